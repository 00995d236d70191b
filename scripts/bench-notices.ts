/**
 * Notices benchmark: what the Notices pages read on the embedded database, at the volume notices
 * come in and well beyond it: the first page of the CBI's and of an ILO's queue as the portal reads
 * it there (the queue log, by `_id`), the count of what waits at an ILO's desk (every page's
 * navigation asks it; one document by `_id`) and the sweep's read of the desks; against the same
 * read as a query (MongoDB's way, a scan of the requests here) and one request read by `_id`, in
 * the same run. Prints figures; it is not a test.
 *
 *   npm run bench:notices -- [--sizes 500,5000,50000] [--rounds 5]
 *
 * Set-up (timed apart): a FerretDB of its own, notice requests written straight to the database,
 * spread over 51 agencies and every state, then the queue log and the desks' lists built from them
 * as the portal does at start for such a database; the reads are the portal's own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import type { Actor } from '../server/access/actor.js';
import { startEmbeddedDatabase } from '../server/db/embedded.js';
import { ensureFerretdbBinary } from '../server/db/ferretdb-binary.js';
import { createLogger } from '../server/logger.js';
import { Notice, type NoticeDocument } from '../server/modules/notices/notice.model.js';
import { listNotices, listQuery } from '../server/modules/notices/notice.queries.js';
import { NOTICE_KINDS } from '../server/shared/notices/kinds.js';
import { parseInput } from '../server/validation.js';
import { DeskRegister } from '../server/workflow/queues/desk-register.js';
import { queueFilter } from '../server/workflow/queues/queue-filter.js';
import { deskKeyFor } from '../server/workflow/queues/queue-keys.js';
import { QueueLog } from '../server/workflow/queues/queue-log.js';
import { percentile } from './bench/common.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '500,5000,50000' }, rounds: { type: 'string', default: '5' } } });
const SIZES = values.sizes.split(',').map(Number);
const ROUNDS = Number(values.rounds);
const AGENCIES = 51;
const BATCH = 1_000;
const STATES = ['draft', 'at-ilo', 'at-cbi', 'at-gs', 'published', 'circulated', 'refused', 'withdrawn'] as const;
const HOLDERS: Record<(typeof STATES)[number], string> = { draft: 'ilo', 'at-ilo': 'ilo', 'at-cbi': 'cbi', 'at-gs': 'gs', published: 'none', circulated: 'none', refused: 'none', withdrawn: 'none' };

const cbiAgency = new mongoose.Types.ObjectId();
const agencies = Array.from({ length: AGENCIES }, () => new mongoose.Types.ObjectId());
const author = new mongoose.Types.ObjectId();
const body = new mongoose.Types.ObjectId();
const largest = Math.max(...SIZES);

/** A notice request as the portal stores it, the `index`-th of the run. */
function noticeDoc(index: number) {
  const agency = agencies[index % AGENCIES]!;
  const status = STATES[index % STATES.length]!;
  const desk = HOLDERS[status];
  const at = new Date(Date.now() - (largest - index) * 60_000);
  return {
    kind: NOTICE_KINDS[index % NOTICE_KINDS.length],
    type: index % 5 === 0 && index % NOTICE_KINDS.length !== NOTICE_KINDS.length - 1 ? 'diffusion' : 'notice',
    status,
    author,
    originDesk: 'ilo',
    agency,
    holder: { desk, ...(desk === 'ilo' ? { agency } : {}) },
    reached: status === 'draft' ? [] : status === 'at-ilo' ? ['ilo'] : ['ilo', 'cbi'],
    crimeArea: 'economic-fraud',
    priority: 'routine',
    deadline: new Date(at.getTime() + 7 * 86_400_000),
    countries: [],
    body,
    bodyDigest: `sha256:${'0'.repeat(64)}`,
    attachments: [],
    steps: [],
    hops: [{ desk: 'ilo', agency, since: at }],
    reminders: 0,
    revision: 0,
    movedAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

const actorOf = (role: Actor['role'], agencyId: string): Actor =>
  ({ userId: String(author), username: 'bench', displayName: 'Bench', role, agencyId, sessionId: 'bench', unitId: undefined }) as unknown as Actor;
const desk = actorOf('ncb-officer', String(cbiAgency));
const ilo = actorOf('ilo', String(agencies[7]));

async function timed(work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}
const figure = (times: number[]): string => `p50 ${percentile(times, 50).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-bench-notices-'));
const database = await startEmbeddedDatabase({ binary: await ensureFerretdbBinary(), dataDir, logger: createLogger('warn') });
const results: Record<string, Record<string, string>> = {};
try {
  await mongoose.connect(database.uri, { dbName: 'bench' });
  await mongoose.connection.syncIndexes();
  const log = new QueueLog('notice');
  const register = new DeskRegister('notice');
  const first = (queue: string) => parseInput(listQuery, { queue });
  let inserted = 0;
  for (const size of SIZES) {
    let started = performance.now();
    for (let start = inserted; start < size; start += BATCH) {
      await Notice.collection.insertMany(Array.from({ length: Math.min(BATCH, size - start) }, (_, offset) => noticeDoc(start + offset)), { ordered: false });
    }
    const insertSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const all = () => Notice.find({}).sort({ movedAt: 1 }).lean<NoticeDocument[]>().cursor();
    const entries = await log.rebuild(all());
    await register.rebuild(all());
    console.log(`${size} notice requests (inserted in ${insertSeconds.toFixed(1)} s; ${entries} queue entries and the desks' lists built in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    inserted = size;
    // Past the launcher's 3-second index pass (scripts/ferretdb/main.go) for the new collections.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const some = await Notice.findOne({}, { _id: 1 }).lean();
    results[`${size} notice requests`] = {
      'baseline: one request by _id': figure(await timed(() => Notice.findById(some!._id).lean())),
      'CBI national queue, first page of 25 (queue log, by _id)': figure(await timed(() => listNotices(desk, first('national'), log))),
      'an ILO agency queue, first page of 25 (queue log, by _id)': figure(await timed(() => listNotices(ilo, first('agency'), log))),
      'count waiting at an ILO desk (desk list, by _id)': figure(await timed(() => register.counts(deskKeyFor(ilo)))),
      'the sweep’s read of every desk list': figure(await timed(() => register.all())),
      'CBI national queue, first page as a query (scan here)': figure(await timed(() => listNotices(desk, first('national')))),
      'an ILO agency queue, first page as a query (scan here)': figure(await timed(() => listNotices(ilo, first('agency')))),
      'count waiting at an ILO desk as a query (scan here)': figure(await timed(() => Notice.countDocuments(queueFilter(ilo, 'desk')))),
    };
    console.log(results[`${size} notice requests`]);
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  await mongoose.disconnect();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
