/**
 * The queues, filtered and paged newest move first. On MongoDB a page is one query its indexes
 * answer; on the embedded database, where a query scans the collection, it is read from the
 * queue log by `_id` and the same filter is checked in memory (sift), so both answer alike.
 */
import mongoose from 'mongoose';
import sift from 'sift';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { now } from '../../clock.js';
import { badRequest, forbidden } from '../../errors.js';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITIES } from '../../shared/vocabulary/priorities.js';
import { optionalDate, optionalEnum } from '../../validation.js';
import { agenciesByIds } from '../organisation/organisation.lookups.js';
import { movedAtOf, QUEUES, queueKeyFor, queueKeysOf, type Queue } from './queue-keys.js';
import type { QueueLog } from './queue-log.js';
import { Reference, type ReferenceDocument } from './reference.model.js';
import { DIRECTIONS, STATUSES } from './reference.schema.js';
import { referenceRow, SETTLED, type ReferenceRow } from './reference.view.js';

export { QUEUES, type Queue };

export const listQuery = z.object({
  queue: z.enum(QUEUES).default('desk'),
  direction: optionalEnum(DIRECTIONS),
  status: optionalEnum(STATUSES),
  country: z.string().trim().max(60).default(''),
  crimeArea: optionalEnum(CRIME_AREAS),
  priority: optionalEnum(PRIORITIES),
  overdue: z.preprocess((value) => value === 'true' || value === true || value === '1', z.boolean()).default(false),
  /** Created on or after `from`, and on or before `to` (whole days). */
  from: optionalDate,
  to: optionalDate,
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListQuery = z.output<typeof listQuery>;

/** How many queue entries one page may look through on the embedded database before it stops short (its next page goes on). */
export const LOG_BUDGET = 500;

const trusted = <T>(operator: T): T => mongoose.trusted<T>(operator);
const oid = (id: string): mongoose.Types.ObjectId => new mongoose.Types.ObjectId(id);

/** The filter selecting a queue's references for `actor`, or 403 for a queue not theirs. */
export function queueFilter(actor: Actor, queue: Queue): Record<string, unknown> {
  if (!queueKeyFor(actor, queue)) throw forbidden('This queue is not yours.');
  switch (queue) {
    case 'desk':
      if (actor.role === 'uo') return { 'holder.desk': 'unit', 'holder.unit': oid(actor.unitId!) };
      if (actor.role === 'ilo') return { 'holder.desk': 'ilo', 'holder.agency': oid(actor.agencyId) };
      return { 'holder.desk': 'cbi' };
    case 'unit':
      return { unit: oid(actor.unitId!) };
    case 'agency':
      return { agency: oid(actor.agencyId), $or: [{ originDesk: 'ilo' }, { reached: 'ilo' }] };
    case 'national':
      return { $or: [{ originDesk: 'cbi' }, { reached: 'cbi' }] };
  }
}

/** The filter of a page's references, but for where the page starts. */
export function listFilter(actor: Actor, query: ListQuery): Record<string, unknown> {
  const filters: Record<string, unknown>[] = [queueFilter(actor, query.queue)];
  if (query.direction) filters.push({ direction: query.direction });
  if (query.status) filters.push({ status: query.status });
  if (query.country) filters.push({ 'countries.country': query.country });
  if (query.crimeArea) filters.push({ crimeArea: query.crimeArea });
  if (query.priority) filters.push({ priority: query.priority });
  if (query.overdue) filters.push({ deadline: trusted({ $lt: now() }), status: trusted({ $nin: SETTLED }) });
  if (query.from) filters.push({ createdAt: trusted({ $gte: query.from }) });
  if (query.to) filters.push({ createdAt: trusted({ $lt: new Date(query.to.getTime() + 86_400_000) }) });
  return { $and: filters };
}

/** One page of a queue, most recently moved first, and the cursor of the next page if there is one. */
export interface QueuePage {
  readonly items: ReferenceRow[];
  readonly next?: string;
  /** Set when the embedded database's page stopped short after looking through {@link LOG_BUDGET} entries. */
  readonly searched?: number;
}

export function listQueue(actor: Actor, query: ListQuery, log?: QueueLog): Promise<QueuePage> {
  return log ? pageFromLog(actor, query, log) : pageFromQuery(actor, query);
}

/** A page's rows, each incoming part with its agency's name (the parts of one reference look alike otherwise). */
async function rowsOf(references: readonly ReferenceDocument[]): Promise<ReferenceRow[]> {
  const parts = references.filter((reference) => reference.parent);
  const names = new Map((await agenciesByIds(parts.map((part) => part.agency))).map((agency) => [String(agency._id), agency.name]));
  return references.map((reference) => referenceRow(reference, names.get(String(reference.agency))));
}

/** A query cursor: the move time and id of the last row shown. */
function decodeQueryCursor(cursor: string): { at: Date; id: mongoose.Types.ObjectId } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(Number(at));
  if (!id || !mongoose.isValidObjectId(id) || Number.isNaN(date.getTime())) throw invalidCursor();
  return { at: date, id: oid(id) };
}
const invalidCursor = () => badRequest('This page link is not valid.', [{ field: 'cursor', message: 'invalid' }]);

async function pageFromQuery(actor: Actor, query: ListQuery): Promise<QueuePage> {
  const filter = listFilter(actor, query);
  if (query.cursor) {
    const { at, id } = decodeQueryCursor(query.cursor);
    (filter['$and'] as unknown[]).push({ $or: [{ movedAt: trusted({ $lt: at }) }, { movedAt: at, _id: trusted({ $lt: id }) }] });
  }
  const rows = await Reference.find(filter)
    .sort({ movedAt: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean<ReferenceDocument[]>();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const next = rows.length > query.limit && last ? Buffer.from(`${movedAtOf(last).getTime()}|${String(last._id)}`).toString('base64url') : undefined;
  return { items: await rowsOf(page), ...(next ? { next } : {}) };
}

/** A log cursor: the number of the last queue entry looked at. */
function decodeLogCursor(cursor: string): number {
  const seq = /^s(\d{1,12})$/.exec(cursor)?.[1];
  if (!seq || Number(seq) < 1) throw invalidCursor();
  return Number(seq);
}

async function pageFromLog(actor: Actor, query: ListQuery, log: QueueLog): Promise<QueuePage> {
  // sift's CommonJS export, seen through Node's ESM interop. (The filter refuses a queue not the actor's.)
  const matches = sift.default(listFilter(actor, query));
  const key = queueKeyFor(actor, query.queue)!;
  const found: { reference: ReferenceDocument; seq: number }[] = [];
  const shown = new Set<string>();
  let looked = 0;
  let lowest: number | undefined;
  for await (const entries of log.newestFirst(key, query.cursor ? decodeLogCursor(query.cursor) : undefined)) {
    const references = await Promise.all(entries.map((entry) => Reference.findById(entry.reference).lean<ReferenceDocument>()));
    for (const [index, entry] of entries.entries()) {
      const reference = references[index];
      looked += 1;
      lowest = entry.seq;
      // Stale: it moved since (a newer entry stands for it), or left this queue.
      if (!reference || movedAtOf(reference).getTime() !== entry.at.getTime() || shown.has(String(reference._id))) continue;
      if (!queueKeysOf(reference).includes(key) || !matches(reference)) continue;
      shown.add(String(reference._id));
      found.push({ reference, seq: entry.seq });
      if (found.length > query.limit) break;
    }
    if (found.length > query.limit || looked >= LOG_BUDGET) break;
  }
  const page = found.slice(0, query.limit);
  const items = await rowsOf(page.map((row) => row.reference));
  if (found.length > query.limit) return { items, next: `s${page.at(-1)!.seq}` };
  // Short of a full page: the queue's end, or the budget spent with entries left below.
  const more = looked >= LOG_BUDGET && lowest !== undefined && lowest > 1;
  return { items, ...(more ? { next: `s${lowest}`, searched: looked } : {}) };
}
