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
import { badRequest } from '../../errors.js';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITIES } from '../../shared/vocabulary/priorities.js';
import { optionalDate, optionalEnum } from '../../validation.js';
import { agenciesByIds } from '../organisation/organisation.lookups.js';
import { pageFromLog as pageOfLog } from '../../workflow/queues/log-page.js';
import { queueFilter } from '../../workflow/queues/queue-filter.js';
import { movedAtOf, QUEUES, queueKeyFor, type Queue } from '../../workflow/queues/queue-keys.js';
import type { QueueLog } from '../../workflow/queues/queue-log.js';
import { Reference, type ReferenceDocument } from './reference.model.js';
import { DIRECTIONS, STATUSES } from './reference.schema.js';
import { referenceRow, SETTLED, type ReferenceRow } from './reference.view.js';

export { LOG_BUDGET } from '../../workflow/queues/log-page.js';
export { QUEUES, queueFilter, type Queue };

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

const trusted = <T>(operator: T): T => mongoose.trusted<T>(operator);
const oid = (id: string): mongoose.Types.ObjectId => new mongoose.Types.ObjectId(id);

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

async function pageFromLog(actor: Actor, query: ListQuery, log: QueueLog): Promise<QueuePage> {
  // sift's CommonJS export, seen through Node's ESM interop. (The filter refuses a queue not the actor's.)
  const matches = sift.default(listFilter(actor, query));
  const page = await pageOfLog(log, queueKeyFor(actor, query.queue)!, {
    cursor: query.cursor,
    limit: query.limit,
    matches: (reference: ReferenceDocument) => matches(reference),
    read: (id) => Reference.findById(id).lean<ReferenceDocument>(),
  });
  return { ...page, items: await rowsOf(page.items) };
}
