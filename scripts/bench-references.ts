/**
 * References benchmark: the time to list the first page of the national queue (the CBI) and of
 * an agency's queue (its ILOs) with a few thousand references in the database, then with many
 * more, in the same run, on the embedded database: how a page grows with the collection. A page
 * is read as the portal reads it there (from the queue log, by `_id`) and, for comparison, as a
 * query (MongoDB's way, a scan here; one round at the larger size). Also counts what waits at a
 * desk (the navigation's figure). Prints figures; it is not a test.
 *
 *   npm run bench:references -- [--small 2000] [--large 200000] [--rounds 5]
 *
 * Set-up (timed apart): a FerretDB of its own and references written straight to the database,
 * spread over 51 agencies, in every state, then the queue log and the desks' lists built from
 * them as the portal does at start for such a database; the reads are the portal's own
 * (reference.queries.ts, desk-register.ts), called in this process.
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
import { DeskRegister } from '../server/workflow/queues/desk-register.js';
import { QueueLog } from '../server/workflow/queues/queue-log.js';
import { Reference, type ReferenceDocument } from '../server/modules/references/reference.model.js';
import { listQuery, listQueue } from '../server/modules/references/reference.queries.js';
import { deskKeyFor } from '../server/workflow/queues/queue-keys.js';
import { parseInput } from '../server/validation.js';
import { percentile } from './bench/common.js';

const { values } = parseArgs({
  options: {
    small: { type: 'string', default: '2000' },
    large: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '5' },
  },
});
const SMALL = Number(values.small);
const LARGE = Number(values.large);
const ROUNDS = Number(values.rounds);
const AGENCIES = 51;
const BATCH = 1_000;
const STATES = ['draft', 'at-ilo', 'at-cbi', 'abroad', 'answered', 'closed', 'rejected'] as const;

const cbiAgency = new mongoose.Types.ObjectId();
const agencies = Array.from({ length: AGENCIES }, () => new mongoose.Types.ObjectId());
const author = new mongoose.Types.ObjectId();
const body = new mongoose.Types.ObjectId();

/** A reference as the portal stores it, the `index`-th of the run, in a state of the cycle. */
function referenceDoc(index: number) {
  const agency = agencies[index % AGENCIES]!;
  const status = STATES[index % STATES.length]!;
  const at = new Date(Date.now() - (LARGE - index) * 60_000);
  const holderDesk = status === 'at-ilo' ? 'ilo' : status === 'at-cbi' ? 'cbi' : status === 'abroad' ? 'abroad' : status === 'draft' || status === 'answered' ? 'ilo' : 'none';
  return {
    direction: 'outgoing',
    status,
    author,
    originDesk: 'ilo',
    agency,
    holder: { desk: holderDesk, ...(holderDesk === 'ilo' ? { agency } : {}) },
    reached: status === 'draft' ? [] : status === 'at-ilo' ? ['ilo'] : ['ilo', 'cbi'],
    countries: [{ country: 'Thailand', ncb: 'NCB Bangkok', transmissions: [], replies: [] }],
    assistance: 'locate-person',
    case: { fir: `${index}/2026`, policeStation: 'Shivajinagar', sections: '420 IPC', registeredOn: at },
    crimeArea: 'economic-fraud',
    priority: 'routine',
    deadline: new Date(at.getTime() + 7 * 86_400_000),
    handling: { code: 'H0', restrictions: '' },
    grading: { source: 'B', information: '2' },
    body,
    attachments: [],
    steps: [],
    hops: [{ desk: 'ilo', agency, since: at }],
    terms: [],
    revision: 0,
    movedAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

async function insertUpTo(count: number, from: number): Promise<void> {
  for (let start = from; start < count; start += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, count - start) }, (_, offset) => referenceDoc(start + offset));
    await Reference.collection.insertMany(docs, { ordered: false });
  }
}

const actorOf = (role: Actor['role'], agencyId: string): Actor =>
  ({ userId: String(author), username: 'bench', displayName: 'Bench', role, agencyId, sessionId: 'bench', unitId: undefined }) as unknown as Actor;
const desk = actorOf('ncb-officer', String(cbiAgency));
const ilo = actorOf('ilo', String(agencies[7]));

async function timed(work: () => Promise<unknown>, rounds = ROUNDS): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}
const figure = (times: number[]): string => `p50 ${percentile(times, 50).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-bench-references-'));
const logger = createLogger('warn');
const database = await startEmbeddedDatabase({ binary: await ensureFerretdbBinary(), dataDir, logger });
const results: Record<string, Record<string, string>> = {};
try {
  await mongoose.connect(database.uri, { dbName: 'bench' });
  await mongoose.connection.syncIndexes();
  const log = new QueueLog('reference');
  const register = new DeskRegister('reference');
  const firstPage = (queue: string) => parseInput(listQuery, { queue });
  let inserted = 0;
  for (const size of [SMALL, LARGE]) {
    let started = performance.now();
    await insertUpTo(size, inserted);
    const insertSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const all = () => Reference.find({}).sort({ movedAt: 1 }).lean<ReferenceDocument[]>().cursor();
    const entries = await log.rebuild(all());
    await register.rebuild(all());
    console.log(`${size} references in the database (inserted in ${insertSeconds.toFixed(1)} s; ${entries} queue entries and the desks' lists built in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    inserted = size;
    // Past the log's 3-second index pass (scripts/ferretdb/main.go) for the new collections.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const national = await timed(() => listQueue(desk, firstPage('national'), log));
    const agency = await timed(() => listQueue(ilo, firstPage('agency'), log));
    const waiting = await timed(() => register.counts(deskKeyFor(ilo)));
    const scanRounds = size > SMALL ? 1 : ROUNDS;
    const nationalScan = await timed(() => listQueue(desk, firstPage('national')), scanRounds);
    const agencyScan = await timed(() => listQueue(ilo, firstPage('agency')), scanRounds);
    results[`${size} references`] = {
      'national queue, first page of 25 (queue log, by _id)': figure(national),
      'an agency queue, first page of 25 (queue log, by _id)': figure(agency),
      'count waiting at an ILO desk (desk list, by _id)': figure(waiting),
      [`national queue, first page as a query (scan here; ${scanRounds} round${scanRounds > 1 ? 's' : ''})`]: figure(nationalScan),
      [`an agency queue, first page as a query (scan here; ${scanRounds} round${scanRounds > 1 ? 's' : ''})`]: figure(agencyScan),
    };
    console.log(results[`${size} references`]);
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  await mongoose.disconnect();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
