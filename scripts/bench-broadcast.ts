/**
 * Broadcast benchmark: how long from the desk's "send" until the ILOs of every agency have the
 * broadcast, and from an ILO's "pass on" until 550 unit officers have it, next to a bare
 * Socket.IO relay reaching the same numbers of sockets in the same run. Prints figures; it is
 * not a test.
 *
 *   npm run bench:broadcast -- [--agencies 51] [--units 550] [--rounds 5]
 *
 * Each round, for the portal: the desk's client re-wraps the session keys of the body and an
 * attachment for every agency's ILO key (timed: "wrap"), POSTs the send (timed: "request"), and
 * the figure that matters is send → the last ILO socket's `broadcast:new` ("all have it"); then
 * all ILOs fetch the broadcast and its ciphertext at once ("all opened", which also records each
 * read). The same for one ILO passing it to every unit of its agency with instructions.
 *
 * Set-up (not measured): a FerretDB of its own, agencies, units, officers, sessions, officer keys
 * and one group key used for every group, written straight to the database.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import type { Socket } from 'socket.io-client';
import { FileSealer, sealItem, SessionKeyWrapper } from '../server/crypto/client.js';
import { base64 } from '../server/crypto/group-keyring.js';
import { startEmbeddedDatabase } from '../server/db/embedded.js';
import { ensureFerretdbBinary } from '../server/db/ferretdb-binary.js';
import { createLogger } from '../server/logger.js';
import { Account } from '../server/modules/accounts/account.model.js';
import { Unit } from '../server/modules/organisation/organisation.model.js';
import type { BroadcastNotice } from '../server/modules/broadcast/broadcast.events.js';
import { SessionStore } from '../server/sessions/session.service.js';
import { allReceive, benchSession, callAs, killOnInterrupt, openSockets, percentile, startBareRelay, startPortalProcess, type BenchSession } from './bench/common.js';
import { benchAccount, benchAgencies, benchGroupKey, benchOfficerKey } from './bench/organisation.js';

const { values } = parseArgs({
  options: {
    agencies: { type: 'string', default: '51' },
    units: { type: 'string', default: '550' },
    rounds: { type: 'string', default: '5' },
  },
});
const AGENCIES = Number(values.agencies);
const UNITS = Number(values.units);
const ROUNDS = Number(values.rounds);
const APP_SECRET = 'bench-broadcast-app-secret-0123456789-abcdefgh';

type Session = BenchSession;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-bench-broadcast-'));
const logger = createLogger('warn');
const database = await startEmbeddedDatabase({ binary: await ensureFerretdbBinary(), dataDir, logger });
const children: ChildProcess[] = [];
killOnInterrupt(children);
const sockets: Socket[] = [];
try {
  await mongoose.connect(database.uri, { dbName: 'bench' });
  await mongoose.connection.syncIndexes();
  console.log(`setting up ${AGENCIES} agencies with one ILO each, and ${UNITS} units (one officer each) in the first…`);
  const { cbi, agencies } = await benchAgencies(AGENCIES);
  const units = await Unit.insertMany(Array.from({ length: UNITS }, (_, index) => ({ agency: agencies[0]!._id, code: `A0-U${index}`, name: `Unit ${index}`, kind: 'district' })));
  const desk = await Account.create(benchAccount('ncb-officer', cbi._id, 'desk.officer'));
  const ilos = await Account.insertMany(agencies.map((agency, index) => benchAccount('ilo', agency._id, `ilo.${index}`)));
  const uos = await Account.insertMany(units.map((unit, index) => benchAccount('uo', agencies[0]!._id, `uo.${index}`, unit._id)));

  // The desk and the first agency's ILO write (seal, sign): they need officer keys.
  const keys = new Map<string, Awaited<ReturnType<typeof benchOfficerKey>>>();
  for (const writer of [desk, ilos[0]!]) keys.set(String(writer._id), await benchOfficerKey(writer));
  const groups = ['ncb-desk', ...agencies.map((agency) => `agency-ilos:${String(agency._id)}`), ...units.map((unit) => `unit:${String(unit._id)}`)];
  const { publicKey: groupPublic, privateKey: groupPrivate } = await benchGroupKey(groups, desk._id);

  const store = new SessionStore({ idleMinutes: 600, maxHours: 72 });
  const sessionFor = (accountId: string): Promise<Session> => benchSession(store, accountId);
  const deskSession = await sessionFor(String(desk._id));
  const iloSessions = await Promise.all(ilos.map((ilo) => sessionFor(String(ilo._id))));
  const uoSessions = await Promise.all(uos.map((uo) => sessionFor(String(uo._id))));

  const portalServer = await startPortalProcess(database.uri, APP_SECRET, { env: { BROADCAST_REVIEW_PRIORITIES: '' } });
  children.push(portalServer.child);
  const bareServer = await startBareRelay();
  children.push(bareServer.child);
  const portalUrl = portalServer.url;
  const bareUrl = bareServer.url;

  const call = <T>(session: Session, method: 'GET' | 'POST' | 'PUT', route: string, body?: unknown): Promise<T> => callAs<T>(portalUrl, session, method, route, body);

  console.log('connecting sockets…');
  const iloSockets = await openSockets(portalUrl, iloSessions.map((session) => ({ extraHeaders: { cookie: session.cookie } })));
  const uoSockets = await openSockets(portalUrl, uoSessions.map((session) => ({ extraHeaders: { cookie: session.cookie } })));
  const bareAgencies = await openSockets(bareUrl, Array.from({ length: AGENCIES }, () => ({ query: { rooms: 'agencies' } })));
  const bareUnits = await openSockets(bareUrl, Array.from({ length: UNITS }, () => ({ query: { rooms: 'units' } })));
  const [bareSender] = await openSockets(bareUrl, [{ query: { rooms: '' } }]);
  sockets.push(...iloSockets, ...uoSockets, ...bareAgencies, ...bareUnits, bareSender!);

  const deskKey = keys.get(String(desk._id))!;
  const iloKey = keys.get(String(ilos[0]!._id))!;
  /** As the browser does: each session key opened once, then wrapped for every recipient. */
  const wrapperOf = (keyPackets: Uint8Array): Promise<SessionKeyWrapper> => SessionKeyWrapper.open(keyPackets, [groupPrivate]);
  const wrap = async (wrapper: SessionKeyWrapper): Promise<string> => base64.encode(await wrapper.wrapFor([groupPublic]));

  /** A sealed 64 KiB attachment of the desk, uploaded the way the browser does. */
  const uploadAttachment = async (): Promise<{ id: string; keyPackets: Uint8Array }> => {
    const bytes = new Uint8Array(64 * 1024).map((_, index) => index % 251);
    const sealer = await FileSealer.create({
      name: 'dossier.pdf',
      type: 'application/pdf',
      source: { size: bytes.length, read: (start, end) => Promise.resolve(bytes.subarray(start, end)) },
      recipients: [groupPublic],
      signer: deskKey,
    });
    const id = await sealer.upload({
      create: async ({ keyPackets, chunkCount }) =>
        (await call<{ id: string }>(deskSession, 'POST', '/api/files', { group: 'ncb-desk', epoch: 1, keyPackets: base64.encode(keyPackets), chunkCount })).id,
      putChunk: async (fileId, index, chunk) => {
        const form = new FormData();
        form.append('chunk', new Blob([Buffer.from(chunk)]), 'chunk.pgp');
        await call(deskSession, 'PUT', `/api/files/${fileId}/chunks/${index}`, form);
      },
      complete: async (fileId) => {
        await call(deskSession, 'POST', `/api/files/${fileId}/complete`, {});
      },
    });
    return { id, keyPackets: sealer.keyPackets };
  };

  const figures: Record<string, number[]> = {};
  const note = (name: string, ms: number): void => {
    (figures[name] ??= []).push(ms);
  };

  for (let round = 1; round <= ROUNDS; round += 1) {
    // Bare relay: one emit to a room of as many sockets.
    for (const [room, clients, name] of [['agencies', bareAgencies, 'agencies'], ['units', bareUnits, 'units']] as const) {
      const clientId = `r${round}-${room}`;
      const received = allReceive(clients, 'message:new', (payload) => (payload as { clientId: string }).clientId === clientId);
      const started = performance.now();
      bareSender!.emit('message:send', { channel: room, clientId, epoch: 1, body: new Uint8Array(900), keyPackets: new Uint8Array(100) }, () => undefined);
      note(`bare: one message to ${name === 'agencies' ? AGENCIES : UNITS} sockets`, (await received) - started);
    }

    // Portal: the desk sends to every agency.
    const attachment = await uploadAttachment();
    const body = await sealItem({ content: `Round ${round}: request for assistance, ${'details '.repeat(100)}`, recipients: [groupPublic], signer: deskKey });
    const draft = await call<{ id: string }>(deskSession, 'POST', '/api/broadcasts', {
      country: 'Thailand',
      foreignNcb: 'NCB Bangkok',
      reference: `BENCH/${round}/${Date.now()}`,
      kind: 'request-for-assistance',
      purpose: 'action',
      crimeArea: 'narcotics',
      priority: 'immediate',
      handling: { code: 'H0' },
      grading: { source: 'B', information: '2' },
      addressees: { mode: 'all', agencies: [] },
      body: { epoch: 1, body: base64.encode(body.body), keyPackets: base64.encode(body.keyPackets) },
      attachments: [attachment.id],
    });
    const arrived = allReceive(iloSockets, 'broadcast:new', (payload) => (payload as BroadcastNotice).id === draft.id);
    const clicked = performance.now();
    const [bodyKey, attachmentKey] = [await wrapperOf(body.keyPackets), await wrapperOf(attachment.keyPackets)];
    const openings: Record<string, unknown> = {};
    for (const agency of agencies) {
      openings[String(agency._id)] = { epoch: 1, body: await wrap(bodyKey), attachments: { [attachment.id]: await wrap(attachmentKey) } };
    }
    const wrapped = performance.now();
    await call(deskSession, 'POST', `/api/broadcasts/${draft.id}/send`, { openings });
    const answered = performance.now();
    const allHaveIt = await arrived;
    note(`portal: desk wraps keys for ${AGENCIES} agencies (client)`, wrapped - clicked);
    note(`portal: send request (${AGENCIES} agencies)`, answered - wrapped);
    note(`portal: send → all ${AGENCIES} ILOs have it`, allHaveIt - wrapped);
    note(`portal: click → all ${AGENCIES} ILOs have it (with wrapping)`, allHaveIt - clicked);
    const opening = performance.now();
    await Promise.all(
      iloSessions.map(async (session) => {
        const view = await call<{ body: string }>(session, 'GET', `/api/broadcasts/${draft.id}`);
        await call(session, 'GET', `/api/items/${view.body}`);
      }),
    );
    note(`portal: all ${AGENCIES} ILOs open it at once (fetch + read receipt)`, performance.now() - opening);

    // Portal: the first agency's ILO passes it to all its units with instructions.
    const instructions = await sealItem({ content: 'Check hotels and report by 18:00.', recipients: [groupPublic], signer: iloKey });
    const reached = allReceive(uoSockets, 'broadcast:new', (payload) => (payload as BroadcastNotice).id === draft.id);
    const passStarted = performance.now();
    const [unitBodyKey, unitAttachmentKey, instructionsKey] = [await wrapperOf(body.keyPackets), await wrapperOf(attachment.keyPackets), await wrapperOf(instructions.keyPackets)];
    const perUnit: Record<string, unknown> = {};
    for (const unit of units) {
      perUnit[String(unit._id)] = {
        epoch: 1,
        body: await wrap(unitBodyKey),
        attachments: { [attachment.id]: await wrap(unitAttachmentKey) },
        instructions: await wrap(instructionsKey),
      };
    }
    const passWrapped = performance.now();
    await call(iloSessions[0]!, 'POST', `/api/broadcasts/${draft.id}/disseminations`, {
      instructions: { epoch: 1, body: base64.encode(instructions.body), keyPackets: base64.encode(instructions.keyPackets) },
      units: perUnit,
    });
    const passAnswered = performance.now();
    const unitsHaveIt = await reached;
    note(`portal: ILO wraps keys for ${UNITS} units (client)`, passWrapped - passStarted);
    note(`portal: pass-on request (${UNITS} units)`, passAnswered - passWrapped);
    note(`portal: pass on → all ${UNITS} unit officers have it`, unitsHaveIt - passWrapped);
    note(`portal: click → all ${UNITS} unit officers have it (with wrapping)`, unitsHaveIt - passStarted);
    const unitsOpening = performance.now();
    await Promise.all(
      uoSessions.map(async (session) => {
        const view = await call<{ body: string }>(session, 'GET', `/api/broadcasts/${draft.id}`);
        await call(session, 'GET', `/api/items/${view.body}`);
      }),
    );
    note(`portal: all ${UNITS} unit officers open it at once (fetch + read receipt)`, performance.now() - unitsOpening);
    console.log(`round ${round}/${ROUNDS} done`);
  }

  console.log(`\nBroadcast on this machine (${os.cpus().length} cores, FerretDB), ${ROUNDS} rounds: median (min–max), ms`);
  for (const [name, samples] of Object.entries(figures)) {
    const format = (value: number): string => value.toFixed(value < 10 ? 1 : 0);
    console.log(`  ${name.padEnd(72)} ${format(percentile(samples, 50)).padStart(7)}  (${format(Math.min(...samples))}–${format(Math.max(...samples))})`);
  }
  const median = (name: string): number => percentile(figures[name] ?? [], 50);
  console.log(
    `\n  portal/bare, send → all ${AGENCIES} ILOs have it: ${(median(`portal: send → all ${AGENCIES} ILOs have it`) / median(`bare: one message to ${AGENCIES} sockets`)).toFixed(1)}x`,
  );
  console.log(
    `  portal/bare, pass on → all ${UNITS} unit officers have it: ${(median(`portal: pass on → all ${UNITS} unit officers have it`) / median(`bare: one message to ${UNITS} sockets`)).toFixed(1)}x`,
  );
} finally {
  for (const socket of sockets) socket.disconnect();
  for (const child of children) child.kill('SIGTERM');
  await mongoose.disconnect();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
