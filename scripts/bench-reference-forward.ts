/**
 * References forward benchmark: how long from the CBI desk's "forward" of a foreign reference to
 * every agency until the ILOs of all of them have it (their sockets told, then each ILO's desk
 * queue listing it), next to a bare Socket.IO relay reaching as many sockets in the same run.
 * Prints figures; it is not a test.
 *
 *   npm run bench:reference-forward -- [--agencies 51] [--rounds 5]
 *
 * Each round the desk registers a foreign reference (not timed), then, as its browser does, wraps
 * the body's session key for every agency's ILO key ("wrap"), asks for the decision's statement
 * and signs it ("sign"), and POSTs the forward ("request"); the figure that matters is forward →
 * the last ILO socket's `reference:changed`. Then every ILO lists its desk queue at once (read
 * from the queue log on this database) and must find the reference there.
 *
 * Set-up (not measured): a FerretDB of its own, agencies, officers, sessions, the desk's officer
 * key and one group key used for every group, written straight to the database.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import type { Socket } from 'socket.io-client';
import { sealItem, SessionKeyWrapper, signStatement } from '../server/crypto/client.js';
import { base64 } from '../server/crypto/group-keyring.js';
import { startEmbeddedDatabase } from '../server/db/embedded.js';
import { ensureFerretdbBinary } from '../server/db/ferretdb-binary.js';
import { createLogger } from '../server/logger.js';
import { Account } from '../server/modules/accounts/account.model.js';
import { SessionStore } from '../server/sessions/session.service.js';
import { allReceive, benchSession, callAs, killOnInterrupt, openSockets, percentile, startBareRelay, startPortalProcess, type BenchSession } from './bench/common.js';
import { benchAccount, benchAgencies, benchGroupKey, benchOfficerKey } from './bench/organisation.js';

const { values } = parseArgs({ options: { agencies: { type: 'string', default: '51' }, rounds: { type: 'string', default: '5' } } });
const AGENCIES = Number(values.agencies);
const ROUNDS = Number(values.rounds);
const APP_SECRET = 'bench-reference-forward-app-secret-0123456789';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-bench-forward-'));
const logger = createLogger('warn');
const database = await startEmbeddedDatabase({ binary: await ensureFerretdbBinary(), dataDir, logger });
const children: ChildProcess[] = [];
killOnInterrupt(children);
const sockets: Socket[] = [];
try {
  await mongoose.connect(database.uri, { dbName: 'bench' });
  await mongoose.connection.syncIndexes();
  console.log(`setting up the CBI and ${AGENCIES} agencies with one ILO each…`);
  const { cbi, agencies } = await benchAgencies(AGENCIES);
  const desk = await Account.create(benchAccount('ncb-officer', cbi._id, 'desk.officer'));
  const ilos = await Account.insertMany(agencies.map((agency, index) => benchAccount('ilo', agency._id, `ilo.${index}`)));
  const deskKey = await benchOfficerKey(desk);
  const groups = ['ncb-desk', ...agencies.map((agency) => `agency-ilos:${String(agency._id)}`)];
  const { publicKey: groupPublic, privateKey: groupPrivate } = await benchGroupKey(groups, desk._id);

  const store = new SessionStore({ idleMinutes: 600, maxHours: 72 });
  const deskSession = await benchSession(store, String(desk._id));
  const iloSessions = await Promise.all(ilos.map((ilo) => benchSession(store, String(ilo._id))));

  const portalServer = await startPortalProcess(database.uri, APP_SECRET);
  children.push(portalServer.child);
  const bareServer = await startBareRelay();
  children.push(bareServer.child);
  const call = <T>(session: BenchSession, method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> => callAs<T>(portalServer.url, session, method, route, body);

  console.log('connecting sockets…');
  const iloSockets = await openSockets(portalServer.url, iloSessions.map((session) => ({ extraHeaders: { cookie: session.cookie } })));
  const bareAgencies = await openSockets(bareServer.url, Array.from({ length: AGENCIES }, () => ({ query: { rooms: 'agencies' } })));
  const [bareSender] = await openSockets(bareServer.url, [{ query: { rooms: '' } }]);
  sockets.push(...iloSockets, ...bareAgencies, bareSender!);

  const figures: Record<string, number[]> = {};
  const note = (name: string, ms: number): void => {
    (figures[name] ??= []).push(ms);
  };
  const agencyIds = agencies.map((agency) => String(agency._id));

  for (let round = 1; round <= ROUNDS; round += 1) {
    const clientId = `r${round}`;
    const bareReceived = allReceive(bareAgencies, 'message:new', (payload) => (payload as { clientId: string }).clientId === clientId);
    const bareStarted = performance.now();
    bareSender!.emit('message:send', { channel: 'agencies', clientId, epoch: 1, body: new Uint8Array(900), keyPackets: new Uint8Array(100) }, () => undefined);
    note(`bare: one message to ${AGENCIES} sockets`, (await bareReceived) - bareStarted);

    const body = await sealItem({ content: `Round ${round}: locate the suspect, ${'details '.repeat(100)}`, recipients: [groupPublic], signer: deskKey });
    const { id } = await call<{ id: string }>(deskSession, 'POST', '/api/references/incoming', {
      foreign: { country: 'Thailand', ncb: 'NCB Bangkok', reference: `2026/${round}${Date.now() % 100_000}-TH`, receivedOn: new Date().toISOString().slice(0, 10) },
      assistance: 'locate-person',
      crimeArea: 'organised-crime',
      priority: 'urgent',
      handling: { code: 'H1' },
      grading: { source: 'B', information: '2' },
      body: { epoch: 1, body: base64.encode(body.body), keyPackets: base64.encode(body.keyPackets) },
      attachments: [],
    });

    const arrived = allReceive(iloSockets, 'reference:changed', (payload) => (payload as { id: string }).id === id);
    const clicked = performance.now();
    const wrapper = await SessionKeyWrapper.open(body.keyPackets, [groupPrivate]);
    const openings: Record<string, unknown> = {};
    for (const agency of agencyIds) openings[agency] = { epoch: 1, body: base64.encode(await wrapper.wrapFor([groupPublic])), attachments: {} };
    const wrapped = performance.now();
    const signedAt = new Date();
    const { statement } = await call<{ statement: string }>(deskSession, 'POST', `/api/references/${id}/statement`, { decision: 'forward-agencies', places: agencyIds, signedAt: signedAt.toISOString() });
    const signature = await signStatement({ statement, signer: deskKey, date: signedAt });
    const signed = performance.now();
    await call(deskSession, 'POST', `/api/references/${id}/agencies`, { openings, signedAt: signedAt.toISOString(), signature });
    const answered = performance.now();
    const allHaveIt = await arrived;
    note(`portal: desk wraps the key for ${AGENCIES} agencies (client)`, wrapped - clicked);
    note('portal: statement asked and signed (client + request)', signed - wrapped);
    note(`portal: forward request (${AGENCIES} agencies)`, answered - signed);
    note(`portal: forward → all ${AGENCIES} ILOs told`, allHaveIt - signed);
    note(`portal: click → all ${AGENCIES} ILOs told (with wrapping, signing)`, allHaveIt - clicked);

    const listing = performance.now();
    const found = await Promise.all(
      iloSessions.map(async (session) => (await call<{ items: { id: string; label: string }[] }>(session, 'GET', '/api/references?queue=desk&limit=25')).items.some((row) => row.label.includes('Thailand'))),
    );
    if (found.some((listed) => !listed)) throw new Error(`round ${round}: ${found.filter((listed) => !listed).length} ILOs do not list the reference at their desk`);
    note(`portal: all ${AGENCIES} ILOs list their desk queue at once`, performance.now() - listing);
    console.log(`round ${round}/${ROUNDS} done`);
  }

  console.log(`\nReferences forward on this machine (${os.cpus().length} cores, FerretDB), ${ROUNDS} rounds: median (min–max), ms`);
  for (const [name, samples] of Object.entries(figures)) {
    const format = (value: number): string => value.toFixed(value < 10 ? 1 : 0);
    console.log(`  ${name.padEnd(66)} ${format(percentile(samples, 50)).padStart(7)}  (${format(Math.min(...samples))}–${format(Math.max(...samples))})`);
  }
  const median = (name: string): number => percentile(figures[name] ?? [], 50);
  console.log(`\n  portal/bare, forward → all ${AGENCIES} ILOs told: ${(median(`portal: forward → all ${AGENCIES} ILOs told`) / median(`bare: one message to ${AGENCIES} sockets`)).toFixed(1)}x`);
} finally {
  for (const socket of sockets) socket.disconnect();
  for (const child of children) child.kill('SIGTERM');
  await mongoose.disconnect();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
