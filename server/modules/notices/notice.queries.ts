/**
 * A caller's lists of notice requests, filtered and paged newest move first: what waits at their
 * desk, and everything of theirs (their unit's, their agency's once it reached the ILO, or all that
 * reached the CBI). One query each, which MongoDB's indexes answer; on the embedded database it is
 * a scan of the requests, which stays short at the volume notices come in (Bharatpol's first month
 * brought 16; ten years at ten times that is under 20,000 documents).
 */
import mongoose from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { DESK_ROLES } from '../../access/policy.js';
import { badRequest, forbidden } from '../../errors.js';
import { NOTICE_KINDS, REQUEST_TYPES } from '../../shared/notices/kinds.js';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { optionalDate, optionalEnum } from '../../validation.js';
import { placeNames } from '../organisation/organisation.lookups.js';
import { Notice, type NoticeDocument } from './notice.model.js';
import { STATUSES } from './notice.schema.js';
import { noticeRow, type NoticeRow } from './notice.view.js';

export const LISTS = ['desk', 'all'] as const;

export const listQuery = z.object({
  list: z.enum(LISTS).default('desk'),
  kind: optionalEnum(NOTICE_KINDS),
  type: optionalEnum(REQUEST_TYPES),
  status: optionalEnum(STATUSES),
  crimeArea: optionalEnum(CRIME_AREAS),
  from: optionalDate,
  to: optionalDate,
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListQuery = z.output<typeof listQuery>;

const trusted = <T>(operator: T): T => mongoose.trusted<T>(operator);
const oid = (id: string): mongoose.Types.ObjectId => new mongoose.Types.ObjectId(id);

/** The requests of a list for `actor` (the same rule as the read policy, as a filter). */
export function listFilter(actor: Actor, list: ListQuery['list']): Record<string, unknown> {
  const desk = DESK_ROLES.includes(actor.role);
  if (list === 'desk') {
    if (actor.role === 'uo' && actor.unitId) return { 'holder.desk': 'unit', 'holder.unit': oid(actor.unitId) };
    if (actor.role === 'ilo') return { 'holder.desk': 'ilo', 'holder.agency': oid(actor.agencyId) };
    if (desk) return { 'holder.desk': trusted({ $in: ['cbi', 'gs'] }) };
  } else {
    if (actor.role === 'uo' && actor.unitId) return { originDesk: 'unit', unit: oid(actor.unitId) };
    if (actor.role === 'ilo') return { agency: oid(actor.agencyId), $or: [{ originDesk: 'ilo' }, { reached: 'ilo' }] };
    if (desk) return { $or: [{ originDesk: 'cbi' }, { reached: 'cbi' }] };
  }
  throw forbidden('Notice requests are for the desks of units, agencies and the CBI.');
}

export interface NoticePage {
  /** Each with who asked for it: the unit (or the agency's ILOs, or the CBI) and its agency. */
  readonly items: (NoticeRow & { from: string })[];
  readonly next?: string;
}

const invalidCursor = () => badRequest('This page link is not valid.', [{ field: 'cursor', message: 'invalid' }]);

function decodeCursor(cursor: string): { at: Date; id: mongoose.Types.ObjectId } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(Number(at));
  if (!id || !mongoose.isValidObjectId(id) || Number.isNaN(date.getTime())) throw invalidCursor();
  return { at: date, id: oid(id) };
}

export async function listNotices(actor: Actor, query: ListQuery): Promise<NoticePage> {
  const filters: Record<string, unknown>[] = [listFilter(actor, query.list)];
  if (query.kind) filters.push({ kind: query.kind });
  if (query.type) filters.push({ type: query.type });
  if (query.status) filters.push({ status: query.status });
  if (query.crimeArea) filters.push({ crimeArea: query.crimeArea });
  if (query.from) filters.push({ createdAt: trusted({ $gte: query.from }) });
  if (query.to) filters.push({ createdAt: trusted({ $lt: new Date(query.to.getTime() + 86_400_000) }) });
  if (query.cursor) {
    const { at, id } = decodeCursor(query.cursor);
    filters.push({ $or: [{ movedAt: trusted({ $lt: at }) }, { movedAt: at, _id: trusted({ $lt: id }) }] });
  }
  const rows = await Notice.find({ $and: filters }).sort({ movedAt: -1, _id: -1 }).limit(query.limit + 1).lean<NoticeDocument[]>();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const next = rows.length > query.limit && last ? Buffer.from(`${last.movedAt.getTime()}|${String(last._id)}`).toString('base64url') : undefined;
  const names = await placeNames(page.flatMap((notice) => [notice.agency, ...(notice.unit ? [notice.unit] : [])]));
  const from = (notice: NoticeDocument): string =>
    [notice.unit ? names.get(String(notice.unit)) : notice.originDesk === 'ilo' ? 'ILO' : undefined, names.get(String(notice.agency))].filter(Boolean).join(', ');
  return { items: page.map((notice) => ({ ...noticeRow(notice), from: from(notice) })), ...(next ? { next } : {}) };
}

/** How many requests wait at the actor's desk, and how many of them are past their deadline. */
export async function waitingAt(actor: Actor, at: Date): Promise<{ atDesk: number; overdue: number }> {
  let filter: Record<string, unknown>;
  try {
    filter = listFilter(actor, 'desk');
  } catch {
    return { atDesk: 0, overdue: 0 };
  }
  const waiting = await Notice.find(filter, { deadline: 1, status: 1 }).lean<Pick<NoticeDocument, 'deadline' | 'status'>[]>();
  // Drafts wait on nobody; what is with the General Secretariat waits on INTERPOL.
  const held = waiting.filter((notice) => notice.status !== 'draft' && notice.status !== 'at-gs');
  return { atDesk: held.length, overdue: held.filter((notice) => notice.deadline && notice.deadline < at).length };
}
