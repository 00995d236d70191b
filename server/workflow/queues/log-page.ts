/**
 * One page of a queue read from its log (the embedded database's way; see queue-log.ts): entries
 * newest first, each request read by `_id`, stale entries skipped, the page's filter checked in
 * memory. A page with a rare filter stops after looking through {@link LOG_BUDGET} entries, and
 * its cursor goes on from there.
 */
import type { Types } from 'mongoose';
import { badRequest } from '../../errors.js';
import { movedAtOf, queueKeysOf, type Placed } from './queue-keys.js';
import type { QueueLog } from './queue-log.js';

/** How many queue entries one page may look through before it stops short (its next page goes on). */
export const LOG_BUDGET = 500;

export interface LogPage<T> {
  readonly items: T[];
  /** The cursor of the next page: `s<n>`, the number of the last entry looked at. */
  readonly next?: string;
  /** Set when the page stopped short after looking through {@link LOG_BUDGET} entries. */
  readonly searched?: number;
}

type Logged = Placed & { _id: Types.ObjectId; movedAt?: Date | null; updatedAt?: Date };

function decodeCursor(cursor: string): number {
  const seq = /^s(\d{1,12})$/.exec(cursor)?.[1];
  if (!seq || Number(seq) < 1) throw badRequest('This page link is not valid.', [{ field: 'cursor', message: 'invalid' }]);
  return Number(seq);
}

/** The requests of queue `key` that `matches` accepts, newest move first, `limit` at most. */
export async function pageFromLog<T extends Logged>(
  log: QueueLog,
  key: string,
  options: { cursor?: string | undefined; limit: number; matches: (request: T) => boolean; read: (id: Types.ObjectId) => Promise<T | null> },
): Promise<LogPage<T>> {
  const found: { request: T; seq: number }[] = [];
  const shown = new Set<string>();
  let looked = 0;
  let lowest: number | undefined;
  for await (const entries of log.newestFirst(key, options.cursor ? decodeCursor(options.cursor) : undefined)) {
    const requests = await Promise.all(entries.map((entry) => options.read(entry.request)));
    for (const [index, entry] of entries.entries()) {
      const request = requests[index];
      looked += 1;
      lowest = entry.seq;
      // Stale: it moved since (a newer entry stands for it), or left this queue.
      if (!request || movedAtOf(request).getTime() !== entry.at.getTime() || shown.has(String(request._id))) continue;
      if (!queueKeysOf(request).includes(key) || !options.matches(request)) continue;
      shown.add(String(request._id));
      found.push({ request, seq: entry.seq });
      if (found.length > options.limit) break;
    }
    if (found.length > options.limit || looked >= LOG_BUDGET) break;
  }
  const page = found.slice(0, options.limit);
  const items = page.map((row) => row.request);
  if (found.length > options.limit) return { items, next: `s${page.at(-1)!.seq}` };
  // Short of a full page: the queue's end, or the budget spent with entries left below.
  const more = looked >= LOG_BUDGET && lowest !== undefined && lowest > 1;
  return { items, ...(more ? { next: `s${lowest}`, searched: looked } : {}) };
}
