/**
 * The queues of notice requests, as References have them (server/workflow/queues): what waits at
 * the caller's desk, their unit's, their agency's, or everything that reached the CBI; filtered
 * and paged newest move first. On MongoDB a page is one query its indexes answer; on the embedded
 * database, where a query scans the collection, it is read from the queue log by `_id` and the same
 * filter is checked in memory (sift), so both answer alike.
 */
import mongoose from 'mongoose';
import sift from 'sift';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { badRequest } from '../../errors.js';
import { NOTICE_KINDS, REQUEST_TYPES } from '../../shared/notices/kinds.js';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { optionalDate, optionalEnum } from '../../validation.js';
import { pageFromLog } from '../../workflow/queues/log-page.js';
import { queueFilter } from '../../workflow/queues/queue-filter.js';
import { QUEUES, queueKeyFor } from '../../workflow/queues/queue-keys.js';
import type { QueueLog } from '../../workflow/queues/queue-log.js';
import { placeNames } from '../organisation/organisation.lookups.js';
import { Notice, type NoticeDocument } from './notice.model.js';
import { STATUSES } from './notice.schema.js';
import { noticeRow, type NoticeRow } from './notice.view.js';

export const listQuery = z.object({
  queue: z.enum(QUEUES).default('desk'),
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

/** The filter of a page's requests, but for where the page starts (403 for a queue not the actor's). */
export function listFilter(actor: Actor, query: ListQuery): Record<string, unknown> {
  const filters: Record<string, unknown>[] = [queueFilter(actor, query.queue)];
  if (query.kind) filters.push({ kind: query.kind });
  if (query.type) filters.push({ type: query.type });
  if (query.status) filters.push({ status: query.status });
  if (query.crimeArea) filters.push({ crimeArea: query.crimeArea });
  if (query.from) filters.push({ createdAt: trusted({ $gte: query.from }) });
  if (query.to) filters.push({ createdAt: trusted({ $lt: new Date(query.to.getTime() + 86_400_000) }) });
  return { $and: filters };
}

export interface NoticePage {
  /** Each with who asked for it: the unit (or the agency's ILOs, or the CBI) and its agency. */
  readonly items: (NoticeRow & { from: string })[];
  readonly next?: string;
  /** Set when the embedded database's page stopped short after looking through its budget of entries. */
  readonly searched?: number;
}

async function rowsOf(notices: readonly NoticeDocument[]): Promise<NoticePage['items']> {
  const names = await placeNames(notices.flatMap((notice) => [notice.agency, ...(notice.unit ? [notice.unit] : [])]));
  const from = (notice: NoticeDocument): string =>
    [notice.unit ? names.get(String(notice.unit)) : notice.originDesk === 'ilo' ? 'ILO' : undefined, names.get(String(notice.agency))].filter(Boolean).join(', ');
  return notices.map((notice) => ({ ...noticeRow(notice), from: from(notice) }));
}

export async function listNotices(actor: Actor, query: ListQuery, log?: QueueLog): Promise<NoticePage> {
  const filter = listFilter(actor, query);
  if (log) {
    // sift's CommonJS export, seen through Node's ESM interop.
    const matches = sift.default(filter);
    const page = await pageFromLog(log, queueKeyFor(actor, query.queue)!, {
      cursor: query.cursor,
      limit: query.limit,
      matches: (notice: NoticeDocument) => matches(notice),
      read: (id) => Notice.findById(id).lean<NoticeDocument>(),
    });
    return { ...page, items: await rowsOf(page.items) };
  }
  if (query.cursor) {
    const [at, id] = Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
    const date = new Date(Number(at));
    if (!id || !mongoose.isValidObjectId(id) || Number.isNaN(date.getTime())) throw badRequest('This page link is not valid.', [{ field: 'cursor', message: 'invalid' }]);
    (filter['$and'] as unknown[]).push({ $or: [{ movedAt: trusted({ $lt: date }) }, { movedAt: date, _id: trusted({ $lt: new mongoose.Types.ObjectId(id) }) }] });
  }
  const rows = await Notice.find(filter).sort({ movedAt: -1, _id: -1 }).limit(query.limit + 1).lean<NoticeDocument[]>();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const next = rows.length > query.limit && last ? Buffer.from(`${last.movedAt.getTime()}|${String(last._id)}`).toString('base64url') : undefined;
  return { items: await rowsOf(page), ...(next ? { next } : {}) };
}
