import { expect } from 'chai';
import type { Actor } from '../../server/access/actor.js';
import { listNotices, listQuery as noticeListQuery } from '../../server/modules/notices/notice.queries.js';
import { listQueue, listQuery, type Queue } from '../../server/modules/references/reference.queries.js';
import { parseInput } from '../../server/validation.js';
import type { PortalClient } from './client.js';
import type { Officer } from './fixtures.js';

interface Row {
  id: string;
  movedAt: string;
}

/** The place in the hierarchy an officer acts from, as the server builds it for a session. */
export function actorOf(officer: Officer): Actor {
  const { account } = officer;
  return {
    userId: String(account._id),
    username: officer.username,
    displayName: account.displayName,
    role: account.role,
    agencyId: String(account.agency),
    agencyType: 'state',
    unitId: account.unit ? String(account.unit) : undefined,
    sessionId: 'test',
  };
}

/** Every row of a queue, following the pages' cursors. */
async function everyPage(page: (cursor?: string) => Promise<{ items: Row[]; next?: string }>): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    rows.push(...answer.items);
    cursor = answer.next;
  } while (cursor);
  return rows;
}

/** How each module's queues are asked: over HTTP, and as the query MongoDB would answer. */
const MODULES = {
  references: { path: '/api/references', query: (actor: Actor, params: Record<string, string>) => listQueue(actor, parseInput(listQuery, params)) },
  notices: { path: '/api/notices', query: (actor: Actor, params: Record<string, string>) => listNotices(actor, parseInput(noticeListQuery, params)) },
} as const;

/**
 * Checks that a queue read over HTTP (on the embedded database: from the queue log, by `_id`)
 * lists the same requests, each once, as the same filter asked as a query (MongoDB's way, which
 * scans here). (The order is the order of the moves in one, of their times in the other: the same
 * unless a test moved the clock back.)
 */
export async function expectQueueAgrees(
  officer: Officer,
  client: PortalClient,
  queue: Queue,
  filters: Record<string, string> = {},
  module: keyof typeof MODULES = 'references',
): Promise<Row[]> {
  const { path, query } = MODULES[module];
  const params = { queue, limit: '2', ...filters };
  const fromLog = await everyPage(async (cursor) => {
    const answer = await client.request<{ items: Row[]; next?: string }>('GET', `${path}?${new URLSearchParams({ ...params, ...(cursor ? { cursor } : {}) }).toString()}`);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body;
  });
  const fromQuery = await everyPage((cursor) => query(actorOf(officer), { ...params, ...(cursor ? { cursor } : {}) }));
  const label = `${officer.username}'s ${module} ${queue} queue ${JSON.stringify(filters)}`;
  expect(fromLog.map((row) => row.id).sort(), label).to.deep.equal(fromQuery.map((row) => row.id).sort());
  expect(new Set(fromLog.map((row) => row.id)).size, `${label}: each once`).to.equal(fromLog.length);
  return fromLog;
}
