import mongoose from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { DESK_ROLES } from '../../access/policy.js';
import { badRequest, forbidden } from '../../errors.js';
import { Reference, type ReferenceDocument } from './reference.model.js';
import { STATUSES } from './reference.schema.js';
import { referenceRow, type ReferenceRow } from './reference.view.js';

/**
 * The queues: `desk` (what waits at the caller's own desk), `unit` (a unit officer's unit's
 * references), `agency` (an ILO's agency's, once they reached the ILO or were the ILO's own), and
 * `national` (everything that reached the CBI).
 */
export const QUEUES = ['desk', 'unit', 'agency', 'national'] as const;
export type Queue = (typeof QUEUES)[number];

export const listQuery = z.object({
  queue: z.enum(QUEUES).default('desk'),
  status: z.enum(STATUSES).optional(),
  country: z.string().trim().max(60).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListQuery = z.output<typeof listQuery>;

/** The filter selecting a queue's references for `actor`, or 403 for a queue not theirs. */
export function queueFilter(actor: Actor, queue: Queue): Record<string, unknown> {
  const desk = DESK_ROLES.includes(actor.role);
  switch (queue) {
    case 'desk':
      if (actor.role === 'uo' && actor.unitId) return { 'holder.unit': new mongoose.Types.ObjectId(actor.unitId) };
      if (actor.role === 'ilo') return { 'holder.desk': 'ilo', 'holder.agency': new mongoose.Types.ObjectId(actor.agencyId) };
      if (desk) return { 'holder.desk': 'cbi' };
      break;
    case 'unit':
      if (actor.role === 'uo' && actor.unitId) return { unit: new mongoose.Types.ObjectId(actor.unitId) };
      break;
    case 'agency':
      if (actor.role === 'ilo') return { agency: new mongoose.Types.ObjectId(actor.agencyId), $or: [{ originDesk: 'ilo' }, { reached: 'ilo' }] };
      break;
    case 'national':
      if (desk) return { $or: [{ originDesk: 'cbi' }, { reached: 'cbi' }] };
      break;
  }
  throw forbidden('This queue is not yours.');
}

/** A position in a queue (newest change first): the change time and id of the last row shown. */
function decodeCursor(cursor: string): { at: Date; id: mongoose.Types.ObjectId } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(Number(at));
  if (!id || !mongoose.isValidObjectId(id) || Number.isNaN(date.getTime())) throw badRequest('This page link is not valid.', [{ field: 'cursor', message: 'invalid' }]);
  return { at: date, id: new mongoose.Types.ObjectId(id) };
}
const encodeCursor = (reference: ReferenceDocument): string => Buffer.from(`${reference.updatedAt.getTime()}|${String(reference._id)}`).toString('base64url');

/** One page of a queue, most recently changed first, and the cursor of the next page if there is one. */
export async function listQueue(actor: Actor, query: ListQuery): Promise<{ items: ReferenceRow[]; next?: string }> {
  const filters: Record<string, unknown>[] = [queueFilter(actor, query.queue)];
  if (query.status) filters.push({ status: query.status });
  if (query.country) filters.push({ 'countries.country': query.country });
  if (query.cursor) {
    const { at, id } = decodeCursor(query.cursor);
    filters.push({ $or: [{ updatedAt: mongoose.trusted({ $lt: at }) }, { updatedAt: at, _id: mongoose.trusted({ $lt: id }) }] });
  }
  const rows = await Reference.find({ $and: filters })
    .sort({ updatedAt: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean<ReferenceDocument[]>();
  const page = rows.slice(0, query.limit);
  return { items: page.map(referenceRow), ...(rows.length > query.limit ? { next: encodeCursor(page.at(-1)!) } : {}) };
}
