/**
 * Connect benchmark: the portal (authenticated, persisted, ~1 KiB ciphertext) next to a bare
 * Socket.IO relay (scripts/bench/bare-relay.ts), driven by the same load-generating client
 * process, alternating the two for each measurement. Prints figures; it is not a test.
 *
 *   npm run bench:connect -- [--pairs 500] [--fanout 550] [--seconds 5] [--sockets 10000]
 *                            [--rates 1000,4000] [--only latency,sustained,storm,fanout,sockets]
 *
 * Set-up (not measured): a FerretDB of its own, officers, sessions, channels and group keys
 * written straight to the database, so that no sign-in or key generation is timed.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import type { io as connect, Socket } from 'socket.io-client';
import { generateGroupKey, generateOfficerKey, readPrivateKey, readPublicKey, sealItem } from '../server/crypto/client.js';
import { startEmbeddedDatabase } from '../server/db/embedded.js';
import { ensureFerretdbBinary } from '../server/db/ferretdb-binary.js';
import { createLogger } from '../server/logger.js';
import { Account } from '../server/modules/accounts/account.model.js';
import { Channel } from '../server/modules/connect/channel.model.js';
import { GroupEpoch } from '../server/sealed/groups/group.model.js';
import { OfficerKey } from '../server/sealed/keys/officer-key.model.js';
import { Agency, Unit } from '../server/modules/organisation/organisation.model.js';
import { SessionStore } from '../server/sessions/session.service.js';
import { newClientId } from '../server/shared/client-id.js';
import { benchSession, killOnInterrupt, openSockets, percentile, sleep, startBareRelay, startPortalProcess, type BenchSession } from './bench/common.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '500' },
    fanout: { type: 'string', default: '550' },
    seconds: { type: 'string', default: '5' },
    sockets: { type: 'string', default: '10000' },
    /** Comma-separated fixed rates (messages/s) at which latency is measured. */
    rates: { type: 'string', default: '1000,4000' },
    /** Comma-separated sections to run: latency, sustained, storm, fanout, sockets. */
    only: { type: 'string', default: 'latency,sustained,storm,fanout,sockets' },
  },
});
const SECTIONS = new Set(values.only.split(','));
const PAIRS = Number(values.pairs);
const FANOUT = Number(values.fanout);
const STEP_SECONDS = Number(values.seconds);
const BIG_SOCKETS = Number(values.sockets);
const RATES = values.rates.split(',').map(Number);
if (RATES.some((rate) => !Number.isFinite(rate) || rate <= 0)) throw new Error(`--rates: positive messages/s, comma-separated (got ${values.rates})`);
const AGENCIES = Math.max(1, Math.ceil(PAIRS / 10));
const APP_SECRET = 'bench-connect-app-secret-0123456789-abcdefghijk';

type Client = Socket;
type Officer = BenchSession;
interface Target {
  readonly name: 'bare' | 'portal';
  readonly url: string;
  readonly pid: number;
  /** Socket options for an officer (the portal) or a set of rooms (the bare relay). */
  options(officer: Officer, rooms: string[]): Parameters<typeof connect>[1];
}

const rssOf = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
};
/** CPU seconds (user + system) a process has used so far (Linux clock ticks are 1/100 s). */
const cpuOf = async (pid: number): Promise<number> => {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
/**
 * CPU seconds the server, the database and this load-generating process used while `run` ran
 * (all three share the machine's cores).
 */
async function cpuDuring<T>(target: Target, run: () => Promise<T>): Promise<{ result: T; cpu: string }> {
  const [server, db] = await Promise.all([cpuOf(target.pid), cpuOf(database.pid)]);
  const clients = process.cpuUsage();
  const result = await run();
  const [serverAfter, dbAfter] = await Promise.all([cpuOf(target.pid), cpuOf(database.pid)]);
  const clientsUsed = process.cpuUsage(clients);
  const seconds = (value: number): string => `${value.toFixed(1)} s`;
  return {
    result,
    cpu: `CPU: server ${seconds(serverAfter - server)}, database ${seconds(dbAfter - db)}, clients ${seconds((clientsUsed.user + clientsUsed.system) / 1e6)}`,
  };
}

function openClients(target: Target, specs: { officer: Officer; rooms: string[] }[], concurrency = 100): Promise<Client[]> {
  return openSockets(
    target.url,
    specs.map((spec) => target.options(spec.officer, spec.rooms)),
    concurrency,
  );
}

function closeClients(clients: Client[]): void {
  for (const client of clients) client.disconnect();
}

// -------------------------------------------------------------------------------------------
// Set-up

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-bench-connect-'));
const logger = createLogger('warn');
// FERRETDB_BIN runs the benchmark on another build of the database (to compare launcher changes).
const database = await startEmbeddedDatabase({ binary: process.env['FERRETDB_BIN'] ?? (await ensureFerretdbBinary()), dataDir, logger });
const children: ChildProcess[] = [];
killOnInterrupt(children);
try {
  await mongoose.connect(database.uri, { dbName: 'bench' });
  await mongoose.connection.syncIndexes();
  console.log(`setting up ${PAIRS} ILO/UO pairs in ${AGENCIES} agencies and a ${FANOUT}-member channel…`);
  const group = await generateGroupKey({ group: 'bench', epoch: 1 });
  const groupPublic = await readPublicKey(group.publicKey);
  await Agency.create({ code: 'CBI', name: 'CBI', type: 'ncb' });
  const agencies = await Agency.insertMany(Array.from({ length: AGENCIES + 1 }, (_, index) => ({ code: `B${index}`, name: `Bench ${index}`, type: 'state' })));
  const units = await Unit.insertMany(agencies.map((agency, index) => ({ agency: agency._id, code: `B${index}-U`, name: `Unit ${index}`, kind: 'district' })));
  const account = (role: 'ilo' | 'uo', agencyIndex: number, index: number) => ({
    username: `${role}.${agencyIndex}.${index}`,
    displayName: `${role} ${index}`,
    role,
    agency: agencies[agencyIndex]!._id,
    ...(role === 'uo' ? { unit: units[agencyIndex]!._id } : {}),
    status: 'active' as const,
    kdfSalt: 'AAAAAAAAAAAAAAAAAAAAAA',
    kdfIterations: 1000,
  });
  const ilos = await Account.insertMany(Array.from({ length: PAIRS }, (_, index) => account('ilo', index % AGENCIES, index)));
  const uos = await Account.insertMany(Array.from({ length: PAIRS }, (_, index) => account('uo', index % AGENCIES, index)));
  const fanIlo = await Account.create(account('ilo', AGENCIES, 0));
  const fanUos = await Account.insertMany(Array.from({ length: FANOUT - 1 }, (_, index) => account('uo', AGENCIES, index + 1)));

  // Senders need keys (their fingerprint is stored with each message); one key per sender.
  const senders = [...ilos, fanIlo];
  for (const sender of senders) {
    const pair = await generateOfficerKey({ name: sender.displayName, username: sender.username, passphrase: 'bench' });
    await OfficerKey.create({ account: sender._id, fingerprint: pair.fingerprint, publicKey: pair.publicKey, encryptedPrivateKey: pair.encryptedPrivateKey });
  }
  const signer = await readPrivateKey((await generateGroupKey({ group: 'signer', epoch: 1 })).privateKey);
  const sample = await sealItem({ content: 'x'.repeat(900), recipients: [groupPublic], signer });
  console.log(`message ciphertext: ${sample.body.length + sample.keyPackets.length} bytes`);

  const directs = await Channel.insertMany(
    ilos.map((ilo, index) => {
      const members = [String(ilo._id), String(uos[index]!._id)].sort();
      return { key: `direct:${members.join(':')}`, kind: 'direct', members };
    }),
  );
  const unitsChannels = await Channel.insertMany(agencies.map((agency) => ({ key: `agency-units:${String(agency._id)}`, kind: 'agency-units', agency: agency._id })));
  await Channel.insertMany(agencies.map((agency) => ({ key: `cbi-agency:${String(agency._id)}`, kind: 'cbi-agency', agency: agency._id })));
  const fanChannel = unitsChannels[AGENCIES]!;
  await GroupEpoch.insertMany(
    [...directs, ...unitsChannels].map((channel) => ({
      group: `channel:${String(channel._id)}`,
      epoch: 1,
      publicKey: group.publicKey,
      fingerprint: group.fingerprint,
      members: [],
      createdBy: ilos[0]!._id,
    })),
  );

  const sessions = new SessionStore({ idleMinutes: 600, maxHours: 72 });
  const sessionFor = (accountId: string): Promise<Officer> => benchSession(sessions, accountId);
  const iloOfficers = await Promise.all(ilos.map((ilo) => sessionFor(String(ilo._id))));
  const uoOfficers = await Promise.all(uos.map((uo) => sessionFor(String(uo._id))));
  const fanOfficers = [await sessionFor(String(fanIlo._id)), ...(await Promise.all(fanUos.map((uo) => sessionFor(String(uo._id)))))];

  // Servers.
  const portalServer = await startPortalProcess(database.uri, APP_SECRET, {
    nodeArgs: process.env['BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_PROFILE']] : [],
  });
  children.push(portalServer.child);
  const bareServer = await startBareRelay();
  children.push(bareServer.child);

  const portal: Target = {
    name: 'portal',
    url: portalServer.url,
    pid: portalServer.child.pid!,
    options: (officer) => ({ extraHeaders: { cookie: officer.cookie } }),
  };
  const bare: Target = {
    name: 'bare',
    url: bareServer.url,
    pid: bareServer.child.pid!,
    options: (_officer, rooms) => ({ query: { rooms: rooms.join(',') } }),
  };
  const targets = [bare, portal];
  // Ciphertext as base64 text, as officers' browsers send it.
  const body = Buffer.from(sample.body).toString('base64');
  const keyPackets = Buffer.from(sample.keyPackets).toString('base64');
  const payload = (channel: string) => ({ channel, clientId: newClientId(), epoch: 1, body, keyPackets });
  const results: Record<string, Record<string, string>> = { bare: {}, portal: {} };
  const record = (target: Target, what: string, value: string): void => {
    results[target.name]![what] = value;
    console.log(`  ${target.name.padEnd(6)} ${what}: ${value}`);
  };

  // ------------------------------------------------------------------------------------------
  // 1:1 load: each ILO sends to its unit officer in their direct channel.

  const pairSpecs = (): { officer: Officer; rooms: string[] }[] => [
    ...iloOfficers.map((officer, index) => ({ officer, rooms: [String(directs[index]!._id)] })),
    ...uoOfficers.map((officer, index) => ({ officer, rooms: [String(directs[index]!._id)] })),
  ];

  /** Sends at `rate` messages/s for `seconds` from the ILOs; returns latencies and loss. */
  async function runRate(clients: Client[], rate: number, seconds: number): Promise<{ latencies: number[]; sent: number; acked: number; lost: number; errors: number }> {
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let acked = 0;
    let errors = 0;
    const receivers = clients.slice(PAIRS);
    const onMessage = (message: { clientId: string }): void => {
      const start = sentAt.get(message.clientId);
      if (start === undefined) return;
      latencies.push(performance.now() - start);
      sentAt.delete(message.clientId);
    };
    for (const receiver of receivers) receiver.on('message:new', onMessage);
    const total = Math.round(rate * seconds);
    const tickMs = 5;
    const perTick = rate / (1000 / tickMs);
    let sent = 0;
    let credit = 0;
    let cursor = 0;
    const started = performance.now();
    while (sent < total) {
      credit += perTick;
      while (credit >= 1 && sent < total) {
        credit -= 1;
        const index = cursor++ % PAIRS;
        const body = payload(String(directs[index]!._id));
        sentAt.set(body.clientId, performance.now());
        clients[index]!.emit('message:send', body, (answer: { data?: unknown }) => {
          if (answer.data) acked += 1;
          else errors += 1;
        });
        sent += 1;
      }
      const behind = started + ((sent / rate) * 1000) - performance.now();
      await sleep(Math.max(0, Math.min(tickMs, behind)));
    }
    const deadline = performance.now() + 3000;
    while (sentAt.size > 0 && performance.now() < deadline) await sleep(20);
    for (const receiver of receivers) receiver.off('message:new', onMessage);
    return { latencies, sent, acked, lost: sentAt.size, errors };
  }

  console.log(`\n1:1 messages across ${PAIRS * 2} connected officers (bare relay and portal alternating)`);
  const pairClients: Record<string, Client[]> = {};
  for (const target of targets) {
    const before = await rssOf(target.pid);
    const started = performance.now();
    const { result: clients, cpu } = await cpuDuring(target, () => openClients(target, pairSpecs()));
    pairClients[target.name] = clients;
    const connectSeconds = (performance.now() - started) / 1000;
    await sleep(1500);
    const after = await rssOf(target.pid);
    record(target, `connect ${PAIRS * 2} clients`, `${connectSeconds.toFixed(2)} s (${cpu})`);
    record(target, 'memory per connection', `${((after - before) / (PAIRS * 2) / 1024).toFixed(1)} KiB`);
  }
  // Warm-up: one message in every channel, so that steady state is measured; the cold start (the
  // first message of each channel after the server starts) is reported on its own.
  for (const target of targets) {
    const started = performance.now();
    let delivered = 0;
    const count = (): void => {
      delivered += 1;
    };
    for (const receiver of pairClients[target.name]!.slice(PAIRS)) receiver.on('message:new', count);
    const acks = await Promise.all(
      pairClients[target.name]!.slice(0, PAIRS).map(
        (client, index) =>
          new Promise<boolean>((resolve) => {
            client.timeout(120_000).emit('message:send', payload(String(directs[index]!._id)), (error: Error | null, answer: { data?: unknown }) =>
              resolve(!error && Boolean(answer?.data)),
            );
          }),
      ),
    );
    await sleep(500);
    for (const receiver of pairClients[target.name]!.slice(PAIRS)) receiver.off('message:new', count);
    record(
      target,
      `first message in ${PAIRS} channels (cold start)`,
      `${((performance.now() - started) / 1000).toFixed(2)} s, ${acks.filter(Boolean).length} acknowledged, ${delivered} delivered`,
    );
  }
  // Then a few unmeasured seconds at 1,000/s, so that the measured steps do not include either
  // server's code being compiled (the portal's first measured step used to spend 30-70% more CPU
  // than the next ones at the same rate).
  if (SECTIONS.has('latency') || SECTIONS.has('sustained')) {
    for (const target of targets) await runRate(pairClients[target.name]!, 1000, 3);
  }
  for (const rate of SECTIONS.has('latency') ? RATES : []) {
    for (const target of targets) {
      const { result: run, cpu } = await cpuDuring(target, () => runRate(pairClients[target.name]!, rate, STEP_SECONDS));
      record(
        target,
        `latency at ${rate}/s`,
        `p50 ${percentile(run.latencies, 50).toFixed(1)} ms, p99 ${percentile(run.latencies, 99).toFixed(1)} ms (lost ${run.lost}, errors ${run.errors}; ${cpu})`,
      );
    }
  }
  // Step the rate up until each target loses a message, errs, or its p99 passes 100 ms.
  const sustained: Record<string, number> = { bare: 0, portal: 0 };
  const failed = new Set<string>();
  for (const rate of SECTIONS.has('sustained') ? [1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 16000, 20000, 24000] : []) {
    for (const target of targets) {
      if (failed.has(target.name)) continue;
      await sleep(3000); // let the previous step's backlog (a saturated 4,000/s, say) clear first
      const { result: run, cpu } = await cpuDuring(target, () => runRate(pairClients[target.name]!, rate, STEP_SECONDS));
      const p99 = percentile(run.latencies, 99);
      const passed = run.lost === 0 && run.errors === 0 && p99 <= 100;
      console.log(`  ${target.name.padEnd(6)} ${rate}/s: p99 ${p99.toFixed(1)} ms, lost ${run.lost}, errors ${run.errors} ${passed ? 'ok' : 'FAIL'} (${cpu})`);
      if (passed) sustained[target.name] = rate;
      else failed.add(target.name);
    }
    if (failed.size === targets.length) break;
  }
  if (SECTIONS.has('sustained')) for (const target of targets) record(target, 'sustained 1:1 (no loss, p99 <= 100 ms)', `${sustained[target.name]} messages/s`);

  // ------------------------------------------------------------------------------------------
  // Reconnect storm: everyone drops; while they are away one ILO per agency sends 100 messages to
  // its units channel (through the server, as officers do); everyone comes back at once and
  // resyncs that channel.

  const STORM_MISSED = 100;
  if (SECTIONS.has('storm')) console.log(`\nreconnect storm: ${PAIRS * 2} officers reconnect at once, each resyncing ${STORM_MISSED} missed messages`);
  for (const target of SECTIONS.has('storm') ? targets : []) {
    closeClients(pairClients[target.name]!);
    const unitsOf = (index: number): string => String(unitsChannels[index % PAIRS % AGENCIES]!._id);
    const senders = await openClients(
      target,
      iloOfficers.slice(0, AGENCIES).map((officer, index) => ({ officer, rooms: [unitsOf(index)] })),
    );
    const afterSeq = new Map<string, number>();
    await Promise.all(
      senders.map(async (sender, index) => {
        for (let count = 0; count < STORM_MISSED; count += 1) {
          const answer = (await sender.timeout(30_000).emitWithAck('message:send', payload(unitsOf(index)))) as { data?: { seq: number }; error?: { code: string } };
          if (answer.error?.code === 'too-many-messages') {
            // The portal's per-officer rate limit (30/s): wait and send it again.
            count -= 1;
            await sleep(100);
            continue;
          }
          const seq = answer.data?.seq;
          if (seq === undefined) throw new Error(`${target.name}: a missed message was not stored: ${JSON.stringify(answer)}`);
          if (count === 0) afterSeq.set(unitsOf(index), seq - 1);
        }
      }),
    );
    closeClients(senders);
    const specs = pairSpecs().map((spec, index) => ({ ...spec, channel: unitsOf(index) }));
    const started = performance.now();
    const { result: counts, cpu } = await cpuDuring(target, async () => {
      const clients = await openClients(target, specs.map(({ officer, channel }) => ({ officer, rooms: [channel] })), specs.length);
      const synced = await Promise.all(
        clients.map(async (client, index) => {
          const channel = specs[index]!.channel;
          return new Promise<number>((resolve) => {
            client.timeout(120_000).emit('channel:sync', { channel, afterSeq: afterSeq.get(channel) ?? 0 }, (error: Error | null, answer?: { data?: { messages: unknown[] } }) => {
              resolve(answer?.data?.messages.length ?? -1);
            });
          });
        }),
      );
      closeClients(clients);
      return synced;
    });
    const seconds = (performance.now() - started) / 1000;
    const complete = counts.filter((count) => count === STORM_MISSED).length;
    record(target, 'reconnect storm', `${seconds.toFixed(2)} s, ${complete}/${counts.length} resynced all ${STORM_MISSED} (${cpu})`);
  }

  // ------------------------------------------------------------------------------------------
  // Fan-out: one message to every member of a large channel.

  // 100 rounds, so that the p99 is not simply the slowest of a few.
  const FANOUT_ROUNDS = 100;
  if (SECTIONS.has('fanout')) console.log(`\nfan-out: one message to all ${FANOUT} members of a channel, ${FANOUT_ROUNDS} times`);
  for (const target of SECTIONS.has('fanout') ? targets : []) {
    const clients = await openClients(target, fanOfficers.map((officer) => ({ officer, rooms: [String(fanChannel._id)] })));
    const samples: number[] = [];
    let cold = 0;
    // Round 0 is the channel's first message since the server started (the portal works out its
    // 550 members and reads its key then): reported on its own, the percentiles are of the rest.
    for (let round = 0; round <= FANOUT_ROUNDS; round += 1) {
      const body = payload(String(fanChannel._id));
      let got = 0;
      const done = new Promise<void>((resolve) => {
        const handler = (message: { clientId: string }): void => {
          if (message.clientId !== body.clientId) return;
          got += 1;
          if (got === clients.length) resolve();
        };
        for (const client of clients) client.on('message:new', handler);
      });
      const started = performance.now();
      clients[0]!.emit('message:send', body, () => undefined);
      await Promise.race([done, sleep(5000)]);
      if (round === 0) cold = performance.now() - started;
      else samples.push(performance.now() - started);
      for (const client of clients) client.removeAllListeners('message:new');
      await sleep(50);
    }
    record(target, `first message to all ${FANOUT} (cold start)`, `${cold.toFixed(1)} ms`);
    record(target, `all ${FANOUT} have it`, `p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms`);
    closeClients(clients);
  }

  // ------------------------------------------------------------------------------------------
  // Many sockets in one process: the memory each costs once there are thousands (the figure at
  // the start, with few sockets, also counts the garbage their handshakes left behind).

  if (BIG_SOCKETS > 0 && SECTIONS.has('sockets')) {
    console.log(`\n${BIG_SOCKETS} concurrent sockets in one process (the portal's authenticated)`);
    const officers = [...iloOfficers, ...uoOfficers];
    const extra = await Promise.all(Array.from({ length: BIG_SOCKETS }, (_, index) => sessionFor(officers[index % officers.length]!.accountId)));
    for (const target of targets) {
      const before = await rssOf(target.pid);
      const started = performance.now();
      const clients = await openClients(target, extra.map((officer) => ({ officer, rooms: [] })), 200);
      const seconds = (performance.now() - started) / 1000;
      await sleep(2000);
      const after = await rssOf(target.pid);
      record(
        target,
        `${BIG_SOCKETS} sockets`,
        `connected in ${seconds.toFixed(1)} s, server RSS ${(after / 1024 / 1024).toFixed(0)} MiB, ${((after - before) / BIG_SOCKETS / 1024).toFixed(1)} KiB per socket`,
      );
      closeClients(clients);
      await sleep(1000);
    }
  }

  console.log('\nsummary (portal / bare):');
  const bareSustained = sustained['bare'] ?? 0;
  const portalSustained = sustained['portal'] ?? 0;
  console.log(`  sustained 1:1 ratio: ${(portalSustained / Math.max(1, bareSustained)).toFixed(2)}`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  for (const child of children) child.kill('SIGTERM');
  await mongoose.disconnect().catch(() => undefined);
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
