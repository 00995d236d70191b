/**
 * Fault runs: Connect under load (demo officers sending through one address, retrying with the
 * same client id, reconnecting and resyncing as the page does) while a portal, the database or
 * Redis is killed; then every acknowledged message is looked for in the database and in every
 * member's client. Prints a table; it is not a test (the invariants have tests of their own).
 *
 *   npm run faults -- [--rate 100] [--before 8] [--after 12] [--only portal-kill,db-kill,...]
 *
 * Each fault runs on a fresh set of processes: one portal on its embedded database, or two
 * portals sharing a FerretDB and Redis behind HAProxy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sleep } from './bench/common.js';
import { cluster, singlePortal, type Topology } from './faults/topology.js';
import { verdict, type Verdict } from './faults/verdict.js';
import { ConnectWorkload } from './faults/workload.js';

interface Fault {
  readonly name: string;
  readonly label: string;
  readonly topology: (dir: string) => Promise<Topology>;
  /** Injects the fault and brings things back; resolves once it is over. */
  readonly inject: (topology: Topology) => Promise<void>;
}

const restartAfterKill = async (topology: Topology, index: number, signal: NodeJS.Signals): Promise<void> => {
  const portal = topology.portals[index]!;
  await portal.kill(signal);
  await portal.start();
};

const FAULTS: Fault[] = [
  {
    name: 'portal-kill',
    label: 'SIGKILL of the portal, restarted on the same data',
    topology: singlePortal,
    inject: (topology) => restartAfterKill(topology, 0, 'SIGKILL'),
  },
  {
    name: 'db-kill',
    label: 'SIGKILL of the embedded database (the portal restarts it)',
    topology: singlePortal,
    async inject(topology) {
      process.kill(topology.databasePid(), 'SIGKILL');
      await topology.portals[0]!.server.waitForLog((line) => line['msg'] === 'embedded database restarted', 30_000);
    },
  },
  {
    name: 'group-stop',
    label: "SIGTERM to the portal's process group, restarted",
    topology: singlePortal,
    async inject(topology) {
      const portal = topology.portals[0]!;
      process.kill(-portal.server.child.pid!, 'SIGTERM');
      await portal.server.exited;
      await portal.start();
    },
  },
  {
    name: 'proxy-kill',
    label: 'two portals behind HAProxy: SIGKILL of one, restarted',
    topology: (dir) => cluster(dir),
    inject: (topology) => restartAfterKill(topology, 0, 'SIGKILL'),
  },
  {
    name: 'rolling',
    label: 'two portals behind HAProxy: rolling restart (SIGTERM, one after the other)',
    topology: (dir) => cluster(dir),
    async inject(topology) {
      for (const index of topology.portals.keys()) {
        await restartAfterKill(topology, index, 'SIGTERM');
        await sleep(2_000);
      }
    },
  },
  {
    name: 'redis-stop',
    label: 'two portals behind HAProxy: Redis stopped for 5 s',
    topology: (dir) => cluster(dir),
    async inject(topology) {
      await topology.redis!.stop();
      await sleep(5_000);
      await topology.redis!.restart();
    },
  },
];

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    before: { type: 'string', default: '8' },
    after: { type: 'string', default: '12' },
    only: { type: 'string', default: FAULTS.map((fault) => fault.name).join(',') },
  },
});
const RATE = Number(values.rate);
const chosen = FAULTS.filter((fault) => values.only.split(',').includes(fault.name));
if (!(RATE > 0) || chosen.length === 0) {
  console.error(`--rate: messages/s above 0; --only: some of ${FAULTS.map((fault) => fault.name).join(', ')}`);
  process.exit(2);
}

async function run(fault: Fault): Promise<Verdict> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `bharatpol-faults-${fault.name}-`));
  const topology = await fault.topology(dir);
  const workload = await ConnectWorkload.open(topology.url);
  try {
    workload.start(RATE);
    await sleep(Number(values.before) * 1000);
    const faultAt = Date.now();
    await fault.inject(topology);
    await sleep(Number(values.after) * 1000);
    await workload.stop();
    await workload.settle();
    return await verdict(workload, topology.databaseUri(), topology.databaseName, faultAt);
  } finally {
    for (const portal of topology.portals) {
      for (const line of portal.server.logs.filter((entry) => Number(entry['level']) >= 50).slice(0, 5)) {
        console.log(`  portal :${portal.port} logged: ${JSON.stringify(line).slice(0, 600)}`);
      }
    }
    workload.close();
    await topology.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const rows: string[][] = [];
for (const fault of chosen) {
  console.log(`${fault.label}…`);
  const result = await run(fault);
  rows.push([
    fault.label,
    String(result.sent),
    String(result.acknowledged),
    String(result.lost),
    String(result.duplicated),
    String(result.neverReceived),
    String(result.disagreeing),
    `${result.givenUp} / ${result.refused}`,
    `${result.retried} / ${result.reconnects}`,
    `${result.ackP50} / ${result.ackMax}`,
    result.recoveryMs === undefined ? '-' : String(result.recoveryMs),
  ]);
}
const header = ['Fault under load', 'sent', 'acknowledged', 'lost', 'duplicated', 'never received', 'lists differ', 'given up / refused', 'retried / reconnects', 'ack ms p50 / max', 'recovery ms'];
console.log(`\n${RATE} messages/s for ${values.before} s, the fault, then ${values.after} s more:\n`);
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map((_, index) => (index === 0 ? '---' : '---:')).join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
process.exit(0);
