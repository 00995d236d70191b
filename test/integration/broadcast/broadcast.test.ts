import { expect } from 'chai';
import { advanceClockForTests, now } from '../../../server/clock.js';
import { MissingKeysError, type BroadcastClient } from '../../../server/crypto/broadcast-client.js';
import { signStatement } from '../../../server/crypto/client.js';
import { agencyDeliveryId, BroadcastDelivery, unitDeliveryId } from '../../../server/modules/broadcast/broadcast.model.js';
import { EncryptedFile, FileChunk } from '../../../server/sealed/files/file.model.js';
import { EncryptedItem } from '../../../server/sealed/items/item.model.js';
import type { AgencyDocument, UnitDocument } from '../../../server/modules/organisation/organisation.model.js';
import type { Portal } from '../../../server/portal.js';
import type { BroadcastNotice } from '../../../server/modules/broadcast/broadcast.events.js';
import type { TrackingRow } from '../../../server/workflow/tracking.events.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { ApiCallError, broadcastClientOf, downloadFile, freshGroupKey, uploadFile, withCrypto, type CryptoOfficer } from '../../support/crypto-officer.js';
import { agencyWith, cbiOfficers, makeAgency, makeOfficer, tag, theCbi, type Officer } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';

interface Actor {
  readonly crypto: CryptoOfficer;
  readonly broadcasts: BroadcastClient;
}

interface View {
  deadline?: string;
  id: string;
  status: string;
  body: string;
  attachments: string[];
  mine?: TrackingRow & { instructions?: string };
  tracking: TrackingRow[];
  recipients: string[];
}

const withKey = { withKey: true };

describe('Broadcast: from the CBI to agencies to units, tracked to the last acknowledgement', function () {
  this.timeout(120_000);
  let portal: Portal;
  let agencies: AgencyDocument[];
  let outsiderAgency: AgencyDocument;
  let unitsOfA: UnitDocument[];
  let unitOfB: UnitDocument;
  let author: Actor;
  let reviewer: Actor;
  let ilos: Actor[];
  let outsider: Actor;
  let uos: Actor[];
  let uoOfB: Actor;
  let idleUo: Actor;

  const signIn = async (officer: Officer): Promise<Actor> => {
    const crypto = await withCrypto(officer);
    return { crypto, broadcasts: broadcastClientOf(crypto) };
  };
  const get = async <T>(actor: Actor, path: string): Promise<{ status: number; body: T & { error?: { code: string } } }> =>
    actor.crypto.client.request<T & { error?: { code: string } }>('GET', path);
  const post = async <T>(actor: Actor, path: string, json: unknown): Promise<{ status: number; body: T & { error?: { code: string } } }> =>
    actor.crypto.client.request<T & { error?: { code: string } }>('POST', path, { json });
  const view = async (actor: Actor, id: string): Promise<View> => {
    const answer = await get<View>(actor, `/api/broadcasts/${id}`);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body;
  };
  const tracking = async (actor: Actor, id: string): Promise<TrackingRow[]> => (await get<{ rows: TrackingRow[] }>(actor, `/api/broadcasts/${id}/tracking`)).body.rows;
  const rowOf = (rows: TrackingRow[], agency: AgencyDocument, unit?: UnitDocument): TrackingRow =>
    rows.find((row) => row.agencyId === String(agency._id) && (unit ? row.unitId === String(unit._id) : row.level === 'agency'))!;
  const metadata = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    country: 'Thailand',
    foreignNcb: 'NCB Bangkok',
    reference: `2026/${tag()}-RFA`,
    kind: 'request-for-assistance',
    purpose: 'action',
    crimeArea: 'narcotics',
    priority: 'urgent',
    handling: { code: 'H1' },
    grading: { source: 'B', information: '2' },
    addressees: { mode: 'list', agencies: agencies.map((agency) => String(agency._id)) },
    ...overrides,
  });
  const failure = async (work: Promise<unknown>): Promise<string> => {
    try {
      await work;
    } catch (error) {
      if (error instanceof ApiCallError) return `${error.status} ${error.code}`;
      throw error;
    }
    throw new Error('expected the call to fail');
  };

  before(async () => {
    portal = await sharedPortal();
    const desk = await cbiOfficers(portal, [{ role: 'ncb-officer', name: 'Author' }, { role: 'ncb-officer', name: 'Reviewer' }], withKey);
    const a = await agencyWith(portal, { ilos: ['ILO of A'], units: [{ officers: ['UO A1'] }, { officers: ['UO A2'] }, { officers: ['UO A3'] }] }, withKey);
    const b = await agencyWith(portal, { type: 'union-territory', ilos: ['ILO of B'], units: [{ officers: ['UO of B'] }] }, withKey);
    const c = await agencyWith(portal, { type: 'central', ilos: ['ILO of C'] }, withKey);
    const out = await agencyWith(portal, { ilos: ['Outsider ILO'] }, withKey);
    agencies = [a.agency, b.agency, c.agency];
    outsiderAgency = out.agency;
    unitsOfA = a.units;
    unitOfB = b.units[0]!;
    author = await signIn(desk[0]!);
    reviewer = await signIn(desk[1]!);
    ilos = [];
    for (const ilo of [...a.ilos, ...b.ilos, ...c.ilos]) ilos.push(await signIn(ilo));
    outsider = await signIn(out.ilos[0]!);
    uos = [];
    for (const uo of a.uos) uos.push(await signIn(uo));
    uoOfB = await signIn(b.uos[0]!);
    idleUo = uos[2]!;
    // Each group gets its first key when one of its members' browsers first opens it.
    // The desk's key as the run's other tests left it may predate these officers: a fresh epoch includes them.
    await freshGroupKey(author.crypto, 'ncb-desk');
    await reviewer.crypto.keyring.keys('ncb-desk', { refresh: true });
    for (const [index, agency] of agencies.entries()) await ilos[index]!.crypto.keyring.keys(`agency-ilos:${String(agency._id)}`, { refresh: true });
    await outsider.crypto.keyring.keys(`agency-ilos:${String(outsiderAgency._id)}`, { refresh: true });
    for (const [index, unit] of unitsOfA.entries()) await uos[index]!.crypto.keyring.keys(`unit:${String(unit._id)}`, { refresh: true });
    await uoOfB.crypto.keyring.keys(`unit:${String(unitOfB._id)}`, { refresh: true });
  });

  it('carries a reviewed broadcast through the whole chain, with the tracking matrix right at each step', async () => {
    const since = await lastAuditSeq();
    const [iloA, iloB] = [ilos[0]!, ilos[1]!];
    const [agencyA, agencyB, agencyC] = [agencies[0]!, agencies[1]!, agencies[2]!];
    const text = 'Request: locate the subject (passport T1234567), believed in Mumbai since October.';
    const attachmentBytes = new Uint8Array(1.5 * 1024 * 1024).map((_, i) => (i * 13) % 251);
    const attachment = await uploadFile(author.crypto, 'ncb-desk', 'photo-dossier.pdf', attachmentBytes);

    // Compose; an urgent broadcast needs a second officer's review.
    const draft = await author.broadcasts.compose(metadata(), text, [attachment]);
    expect(draft.reviewRequired).to.equal(true);
    expect(await failure(author.broadcasts.send(draft.id))).to.equal('409 review-required');
    expect((await post(author, `/api/broadcasts/${draft.id}/submit`, {})).status).to.equal(200);
    expect(await failure(author.broadcasts.send(draft.id, 'reviewer')), 'no officer reviews their own').to.equal('403 forbidden');
    expect((await get(iloA, `/api/broadcasts/${draft.id}`)).status, 'agencies see nothing before it is sent').to.equal(403);

    // Sent: every addressed ILO hears of it at once; the agency not addressed hears nothing.
    const iloSocket = await iloA.crypto.client.socket();
    const outsiderSocket = await outsider.crypto.client.socket();
    const heardByOutsider: BroadcastNotice[] = [];
    outsiderSocket.on('broadcast:new', (notice) => heardByOutsider.push(notice));
    const arrived = new Promise<BroadcastNotice>((resolve) => iloSocket.on('broadcast:new', resolve));
    const sent = await reviewer.broadcasts.send(draft.id, 'reviewer');
    expect(sent).to.deep.equal({ status: 'sent', recipients: 3, leftOut: 0 });
    const notice = await arrived;
    expect(notice).to.include({ id: draft.id, priority: 'urgent', purpose: 'action', country: 'Thailand', level: 'agency', handlingCode: 'H1' });
    expect(JSON.stringify(notice)).not.to.contain('passport');

    let rows = await tracking(author, draft.id);
    expect(rows.map((row) => row.state)).to.deep.equal(['sent', 'sent', 'sent']);

    // An agency not addressed sees nothing: not the broadcast, not its body, not its attachment.
    expect((await get(outsider, `/api/broadcasts/${draft.id}`)).status).to.equal(403);
    const body = (await view(author, draft.id)).body;
    expect((await get(outsider, `/api/items/${body}`)).status).to.equal(403);
    expect((await get(outsider, `/api/files/${attachment}`)).status).to.equal(403);
    expect((await get<{ items: unknown[] }>(outsider, '/api/broadcasts')).body.items.map((item) => (item as { id: string }).id)).not.to.include(draft.id);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(heardByOutsider.map((heard) => heard.id)).not.to.include(draft.id);

    // Delivered, then read on opening; the content opens and verifies in the ILO's client.
    const inbox = (await get<{ items: { id: string; state: string }[] }>(iloA, '/api/broadcasts')).body.items;
    expect(inbox.find((item) => item.id === draft.id)?.state).to.equal('sent');
    expect((await post<{ delivered: number }>(iloA, '/api/broadcasts/delivered', { ids: [draft.id] })).body.delivered).to.equal(1);
    const trackerSocket = await author.crypto.client.socket();
    const live: TrackingRow[] = [];
    trackerSocket.on('broadcast:tracking', ({ row }) => live.push(row));
    const opened = await view(iloA, draft.id);
    expect(opened.recipients, 'an agency does not learn who else received it').to.deep.equal([String(agencyA._id)]);
    const read = await iloA.broadcasts.read(opened.body);
    expect(read.text).to.equal(text);
    expect(read.signature.signerFingerprint).to.equal(author.crypto.fingerprint);
    expect((await downloadFile(iloA.crypto, attachment)).bytes.equals(Buffer.from(attachmentBytes))).to.equal(true);
    rows = await tracking(author, draft.id);
    expect(rowOf(rows, agencyA).state).to.equal('read');
    expect(rowOf(rows, agencyB).state).to.equal('sent');
    expect(live.map((row) => `${row.agencyCode}:${row.state}`), 'the desk’s matrix updates live').to.include(`${agencyA.code}:read`);

    // A signed acknowledgement, verifiable by the CBI with the ILO's key (and only that statement).
    await iloA.broadcasts.acknowledge(draft.id, now());
    const acknowledged = rowOf(await tracking(author, draft.id), agencyA);
    expect(acknowledged.state).to.equal('acknowledged');
    const verified = await author.broadcasts.verifyAcknowledgement(acknowledged.acknowledgement!);
    expect(verified.signerFingerprint).to.equal(iloA.crypto.fingerprint);
    expect(acknowledged.acknowledgement!.statement).to.contain(`Broadcast: ${draft.id}`).and.to.contain('Handling code: H1');
    const forged = { ...acknowledged.acknowledgement!, statement: acknowledged.acknowledgement!.statement.replace('H1', 'H0') };
    let forgedFailed = false;
    await author.broadcasts.verifyAcknowledgement(forged).catch(() => (forgedFailed = true));
    expect(forgedFailed).to.equal(true);
    expect(await failure(iloA.broadcasts.acknowledge(draft.id, now()))).to.equal('409 already-acknowledged');
    // A signature by someone else's key over B's statement is refused.
    const { statement } = await iloB.broadcasts.acknowledgementStatement(draft.id, now());
    const wrongSigner = await signStatement({ statement, signer: iloA.crypto.privateKey, date: now() });
    expect((await post(iloB, `/api/broadcasts/${draft.id}/acknowledgements`, { signedAt: now().toISOString(), signature: wrongSigner })).body.error?.code).to.equal('bad-signature');

    // Dissemination to two of A's three units, by re-wrapping: nothing is uploaded again.
    const itemsBefore = await EncryptedItem.countDocuments({ boundTo: `broadcast:${draft.id}` });
    const chunksBefore = (await FileChunk.find({ file: attachment }).lean()).map((chunk) => String(chunk._id));
    const { units } = (await get<{ units: { unitId: string; name: string; epoch?: number; publicKey?: string }[] }>(iloA, `/api/broadcasts/${draft.id}/units`)).body;
    const chosen = units.filter((unit) => unit.unitId !== String(unitsOfA[2]!._id));
    const unitDeadline = new Date(now().getTime() + 3_600_000);
    const unitHeard = new Promise<BroadcastNotice>((resolve) => void uos[0]!.crypto.client.socket().then((socket) => socket.on('broadcast:new', resolve)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await iloA.broadcasts.disseminate(draft.id, String(agencyA._id), chosen, 'Check hotels in Andheri; report by tonight.', unitDeadline)).to.deep.equal({ units: 2 });
    expect((await unitHeard).level).to.equal('unit');
    expect(await EncryptedItem.countDocuments({ boundTo: `broadcast:${draft.id}` }), 'only the instructions are new').to.equal(itemsBefore + 1);
    expect((await FileChunk.find({ file: attachment }).lean()).map((chunk) => String(chunk._id))).to.deep.equal(chunksBefore);
    expect(await EncryptedFile.countDocuments({ boundTo: `broadcast:${draft.id}` })).to.equal(1);
    const agencyRow = rowOf(await tracking(author, draft.id), agencyA);
    expect(agencyRow).to.include({ state: 'disseminated', units: 2 });

    // The units read the same body, the instructions and the attachment; the third unit cannot.
    const unitView = await view(uos[0]!, draft.id);
    expect((await uos[0]!.broadcasts.read(unitView.body)).text).to.equal(text);
    expect((await uos[0]!.broadcasts.read(unitView.mine!.instructions!)).text).to.equal('Check hotels in Andheri; report by tonight.');
    expect(unitView.deadline).to.equal(unitDeadline.toISOString());
    expect((await downloadFile(uos[1]!.crypto, attachment)).bytes.length).to.equal(attachmentBytes.length);
    expect((await get(idleUo, `/api/broadcasts/${draft.id}`)).status).to.equal(403);
    expect((await get(idleUo, `/api/items/${body}`)).status).to.equal(403);
    // Passing it on anywhere else goes through the broadcast, never around it.
    const around = await post<{ error: { code: string } }>(iloA, `/api/items/${body}/forwards`, { group: `unit:${String(unitsOfA[2]!._id)}`, epoch: 1, keyPackets: 'AAAA' });
    expect(around.body.error.code).to.equal('forward-through-owner');

    // A unit acknowledges and reports (with an attachment) to its ILO; the ILO reads it.
    await uos[0]!.broadcasts.acknowledge(draft.id, now());
    const unitGroup = `unit:${String(unitsOfA[0]!._id)}`;
    const evidence = await uploadFile(uos[0]!.crypto, unitGroup, 'hotel-register.pdf', new Uint8Array(4096).fill(7));
    await uos[0]!.broadcasts.answer(draft.id, 'reports', unitGroup, `agency-ilos:${String(agencyA._id)}`, 'Subject traced to Hotel Sea View; CCTV secured.', [evidence]);
    const iloRows = await tracking(iloA, draft.id);
    expect(iloRows.filter((row) => row.level === 'unit').map((row) => row.state).sort()).to.deep.equal(['responded', 'sent']);
    expect(iloRows.every((row) => row.agencyId === String(agencyA._id)), 'an ILO tracks only its own agency').to.equal(true);
    const report = rowOf(iloRows, agencyA, unitsOfA[0]);
    expect((await iloA.broadcasts.read(report.response!)).text).to.equal('Subject traced to Hotel Sea View; CCTV secured.');
    expect((await downloadFile(iloA.crypto, report.responseAttachments[0]!)).name).to.equal('hotel-register.pdf');
    expect((await get(author, `/api/items/${report.response!}`)).status, 'unit reports stay with the agency').to.equal(403);

    // The agency answers the CBI; the desk reads it, records its reply abroad, and closes.
    await iloA.broadcasts.answer(draft.id, 'response', `agency-ilos:${String(agencyA._id)}`, 'ncb-desk', 'Maharashtra Police: subject located; details attached.');
    rows = await tracking(author, draft.id);
    expect(rowOf(rows, agencyA).state).to.equal('responded');
    expect((await author.broadcasts.read(rowOf(rows, agencyA).response!)).text).to.equal('Maharashtra Police: subject located; details attached.');
    expect(rowOf(rows, agencyC).state).to.equal('sent');
    expect((await post(author, `/api/broadcasts/${draft.id}/transmissions`, { reference: 'NCB-IN/2026/0142', medium: 'i24-7' })).status).to.equal(201);
    expect((await post(author, `/api/broadcasts/${draft.id}/status`, { status: 'closed' })).status).to.equal(200);
    expect((await view(author, draft.id)).status).to.equal('closed');
    expect(await failure(iloB.broadcasts.acknowledge(draft.id, now())), 'nothing more once closed').to.equal('403 forbidden');

    // CSV export: metadata only.
    const csv = await author.crypto.client.request<string>('GET', `/api/broadcasts/${draft.id}/tracking.csv`);
    expect(csv.status).to.equal(200);
    const csvText = csv.bytes.toString('utf8');
    expect(csvText.split('\r\n')[0]).to.match(/^Level,Agency code,Agency,Unit,Delivered,Read,Acknowledged/);
    expect(csvText).to.contain(agencyA.code).and.not.to.contain('Hotel');

    const actions = (await auditSince(since, { 'target.id': draft.id })).map((record) => record.action);
    for (const action of ['broadcast.drafted', 'broadcast.submitted', 'broadcast.approved', 'broadcast.sent', 'broadcast.delivered', 'broadcast.read', 'broadcast.acknowledged', 'broadcast.disseminated', 'broadcast.reported', 'broadcast.responded', 'broadcast.transmitted', 'broadcast.closed', 'broadcast.tracking-exported']) {
      expect(actions, action).to.include(action);
    }
    for (const socket of [iloSocket, outsiderSocket, trackerSocket]) socket.disconnect();
  });

  it('enforces the handling code: an H2 broadcast cannot be passed on to units', async () => {
    const since = await lastAuditSeq();
    const iloA = ilos[0]!;
    const sent = await author.broadcasts.compose(
      metadata({ priority: 'immediate', handling: { code: 'H2' }, addressees: { mode: 'list', agencies: [String(agencies[0]!._id)] } }),
      'Intelligence: courier route via Kolkata. Not for dissemination.',
    );
    expect(sent.reviewRequired).to.equal(false);
    await author.broadcasts.send(sent.id);
    const opened = await view(iloA, sent.id);
    expect((opened as unknown as { handling: { allowsOnwardSharing: boolean } }).handling.allowsOnwardSharing).to.equal(false);
    const { units } = (await get<{ units: { unitId: string; name: string; epoch?: number; publicKey?: string }[] }>(iloA, `/api/broadcasts/${sent.id}/units`)).body;
    expect(await failure(iloA.broadcasts.disseminate(sent.id, String(agencies[0]!._id), units.slice(0, 1), 'Pass on'))).to.equal('403 handling-forbids');
    expect(await BroadcastDelivery.countDocuments({ broadcast: sent.id, level: 'unit' })).to.equal(0);
    const denied = await auditSince(since, { action: 'access.denied', 'target.id': sent.id });
    expect(denied.map((record) => (record.details as Record<string, unknown> | undefined)?.['attempted'])).to.include('broadcast.disseminate');
  });

  it('reminds until acknowledged, turns late addressees overdue and escalates a late unit (controllable clock)', async () => {
    const iloB = ilos[1]!;
    const agencyB = agencies[1]!;
    const sent = await author.broadcasts.compose(
      metadata({ priority: 'immediate', crimeArea: 'terrorism', addressees: { mode: 'list', agencies: [String(agencyB._id)] } }),
      'Alert: imminent threat to an event in Port Blair.',
    );
    await author.broadcasts.send(sent.id);
    const socket = await iloB.crypto.client.socket();
    const reminders: BroadcastNotice[] = [];
    socket.on('broadcast:reminder', (notice) => notice.id === sent.id && reminders.push(notice));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const sweep = () => portal.services.broadcasts.sweep();
    await sweep();
    expect(reminders, 'not before the interval').to.have.length(0);
    advanceClockForTests(16 * 60_000);
    await sweep();
    advanceClockForTests(10 * 60_000);
    await sweep();
    advanceClockForTests(6 * 60_000);
    await sweep();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(reminders.map((notice) => notice.reminders)).to.deep.equal([1, 2]);

    // After the acknowledgement, no more reminders; the ILO passes it to a unit with a short deadline.
    const ilo = await signIn(iloB.crypto.officer);
    await ilo.broadcasts.acknowledge(sent.id, now());
    const { units } = (await get<{ units: { unitId: string; name: string; epoch?: number; publicKey?: string }[] }>(ilo, `/api/broadcasts/${sent.id}/units`)).body;
    await ilo.broadcasts.disseminate(sent.id, String(agencyB._id), units.filter((unit) => unit.unitId === String(unitOfB._id)), 'Brief the event’s security.', new Date(now().getTime() + 3_600_000));
    const escalations: string[] = [];
    const iloSocket = await ilo.crypto.client.socket();
    iloSocket.on('broadcast:escalated', (payload) => escalations.push(payload.unitName));
    await new Promise((resolve) => setTimeout(resolve, 100));
    advanceClockForTests(16 * 60_000);
    await sweep();
    const unitDelivery = unitDeliveryId(sent.id, String(agencyB._id), String(unitOfB._id));
    expect((await BroadcastDelivery.findById(unitDelivery).lean())?.reminders, 'the unit has not acknowledged: it is reminded').to.equal(1);
    expect((await BroadcastDelivery.findById(agencyDeliveryId(sent.id, String(agencyB._id))).lean())?.reminders, 'the agency has').to.equal(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reminders).to.have.length(2);

    // The unit's deadline passes: it is overdue and escalated to the ILO, once.
    advanceClockForTests(50 * 60_000);
    await sweep();
    await sweep();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(escalations).to.deep.equal([unitOfB.name]);
    expect((await BroadcastDelivery.findById(unitDelivery).lean())?.escalatedAt).to.be.instanceOf(Date);

    // The agency's own deadline (8 hours for immediate) passes without an answer: overdue.
    advanceClockForTests(8 * 3_600_000);
    await sweep();
    const desk = await signIn(author.crypto.officer);
    const row = rowOf(await tracking(desk, sent.id), agencyB);
    expect(row.overdue).to.equal(true);
    expect(row.reminders).to.equal(2);
    const lateIlo = await signIn(iloB.crypto.officer);
    const overdueAnswer = await get<{ items: { id: string }[] }>(lateIlo, '/api/broadcasts?status=overdue');
    expect(overdueAnswer.status, JSON.stringify(overdueAnswer.body)).to.equal(200);
    const overdue = overdueAnswer.body.items.map((item) => item.id);
    expect(overdue).to.include(sent.id);
    const outbox = (await get<{ items: { id: string; counts: { overdue: number } }[] }>(desk, '/api/broadcasts?status=overdue')).body.items;
    expect(outbox.find((item) => item.id === sent.id)?.counts.overdue).to.equal(1);
    socket.disconnect();
    iloSocket.disconnect();
    author = desk;
    ilos[1] = lateIlo;
  });

  it('filters and searches the inbox on metadata', async () => {
    // (Signing in again after the clock test moves the clock past its codes: the desk first.)
    const desk = await signIn(author.crypto.officer);
    const iloC = await signIn(ilos[2]!.crypto.officer);
    const only = { addressees: { mode: 'list', agencies: [String(agencies[2]!._id)] } };
    const fraud = await desk.broadcasts.compose(metadata({ ...only, priority: 'immediate', crimeArea: 'economic-fraud', country: 'Singapore', foreignNcb: 'NCB Singapore', reference: `SG/${tag()}/CYB` }), 'Fraud ring.');
    const arms = await desk.broadcasts.compose(metadata({ ...only, priority: 'immediate', crimeArea: 'arms-trafficking', purpose: 'information' }), 'Arms route.');
    await desk.broadcasts.send(fraud.id);
    await desk.broadcasts.send(arms.id);
    const list = async (query: string): Promise<string[]> => {
      const answer = await get<{ items: { id: string }[] }>(iloC, `/api/broadcasts?${query}`);
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      return answer.body.items.map((item) => item.id);
    };
    expect(await list('crimeArea=economic-fraud')).to.include(fraud.id).and.not.to.include(arms.id);
    expect(await list('purpose=information')).to.include(arms.id).and.not.to.include(fraud.id);
    expect(await list('q=singap')).to.deep.equal([fraud.id]);
    expect(await list('status=new')).to.include.members([fraud.id, arms.id]);
    await view(iloC, arms.id);
    expect(await list('status=new')).not.to.include(arms.id);
    expect((await get(iloC, '/api/broadcasts?priority=everything')).status).to.equal(400);
  });

  it('renders the pages for each role, escaping what the desk typed', async () => {
    const desk = await signIn(author.crypto.officer);
    const ilo = await signIn(ilos[0]!.crypto.officer);
    const hostile = '<img src=x onerror=alert(1)>';
    const sent = await desk.broadcasts.compose(metadata({ priority: 'immediate', country: hostile, foreignNcb: `NCB ${hostile}`, addressees: { mode: 'list', agencies: [String(agencies[0]!._id)] } }), 'x');
    await desk.broadcasts.send(sent.id);
    const page = async (actor: Actor, path: string): Promise<{ status: number; html: string }> => {
      const answer = await actor.crypto.client.request('GET', path, { headers: { accept: 'text/html' } });
      return { status: answer.status, html: answer.bytes.toString('utf8') };
    };
    for (const [actor, path] of [[desk, '/broadcasts'], [desk, '/broadcasts/new'], [desk, `/broadcasts/${sent.id}`], [ilo, '/broadcasts'], [ilo, `/broadcasts/${sent.id}`]] as const) {
      const { status, html } = await page(actor, path);
      expect(status, path).to.equal(200);
      expect(html, path).not.to.contain('<img src=x');
    }
    expect((await page(ilo, `/broadcasts/${sent.id}`)).html).to.contain('&lt;img src').and.to.contain('Sign and acknowledge');
    expect((await page(ilo, '/broadcasts/new')).status).to.equal(403);
    // A broadcast still at the desk: the ILO is told why it cannot open it, not only "403".
    const draft = await desk.broadcasts.compose(metadata({ addressees: { mode: 'list', agencies: [String(agencies[0]!._id)] } }), 'Not yet.');
    const early = await page(ilo, `/broadcasts/${draft.id}`);
    expect(early.status).to.equal(403);
    expect(early.html).to.contain('once the CBI sends it to their agency');
    const trainer = await (await makeOfficer(portal, 'trainer', await theCbi())).signIn();
    expect((await trainer.request('GET', '/broadcasts', { headers: { accept: 'text/html' } })).status).to.equal(403);
  });

  it('sends to the agencies that can receive it, leaving out (and naming) those whose ILOs have no key yet', async () => {
    const desk = await signIn(author.crypto.officer);
    const unkeyed = await makeAgency();
    const late = await makeOfficer(portal, 'ilo', unkeyed, undefined, 'ILO who never signed in', withKey);
    const draft = await desk.broadcasts.compose(
      metadata({ priority: 'immediate', addressees: { mode: 'list', agencies: [String(agencies[0]!._id), String(unkeyed._id)] } }),
      'For both agencies.',
    );
    let missing: string[] = [];
    await desk.broadcasts.send(draft.id).catch((error: unknown) => {
      missing = error instanceof MissingKeysError ? error.labels : [];
    });
    expect(missing).to.deep.equal([`${unkeyed.name} (${unkeyed.code})`]);
    const wrongly = await post<{ error: { code: string } }>(desk, `/api/broadcasts/${draft.id}/send`, { openings: {}, leaveOut: [String(agencies[0]!._id)] });
    expect(wrongly.status, 'an agency with a key cannot be left out').to.equal(400);
    expect(await desk.broadcasts.send(draft.id, 'author', { leaveOutMissing: true })).to.deep.equal({ status: 'sent', recipients: 1, leftOut: 1 });
    const sent = await view(desk, draft.id);
    expect(sent.recipients).to.deep.equal([String(agencies[0]!._id)]);
    expect((sent as unknown as { leftOut: string[] }).leftOut).to.deep.equal([String(unkeyed._id)]);
    expect((await tracking(desk, draft.id)).map((row) => row.agencyId)).to.deep.equal([String(agencies[0]!._id)]);

    // While the agency still has no key, there is nobody to send to; once its ILO signs in, the desk sends to it.
    expect(await failure(desk.broadcasts.sendToLeftOut(draft.id))).to.equal('409 no-recipients');
    const ilo = await signIn(late);
    await ilo.crypto.keyring.keys(`agency-ilos:${String(unkeyed._id)}`);
    expect(await failure(ilo.broadcasts.sendToLeftOut(draft.id)), 'only the desk sends').to.equal('403 forbidden');
    expect(await desk.broadcasts.sendToLeftOut(draft.id)).to.deep.equal({ status: 'sent', recipients: 1, leftOut: 0 });
    const after = await view(desk, draft.id);
    expect(after.recipients).to.deep.equal([String(agencies[0]!._id), String(unkeyed._id)]);
    expect((after as unknown as { leftOut: string[] }).leftOut).to.deep.equal([]);
    expect((await tracking(desk, draft.id)).map((row) => row.agencyId).sort()).to.deep.equal([String(agencies[0]!._id), String(unkeyed._id)].sort());
    expect((await ilo.broadcasts.read((await view(ilo, draft.id)).body)).text, 'the late agency reads it').to.equal('For both agencies.');
    expect(await failure(desk.broadcasts.sendToLeftOut(draft.id)), 'nobody left to send to').to.equal('409 none-left-out');
  });

  it('returns a draft to its author, who edits it (text re-sealed, attachments kept) and submits it again', async () => {
    const desk = await signIn(author.crypto.officer);
    const second = await signIn(reviewer.crypto.officer);
    const only = { addressees: { mode: 'list', agencies: [String(agencies[2]!._id)] } };
    const file = await uploadFile(desk.crypto, 'ncb-desk', 'annex.pdf', new Uint8Array(2048).fill(3));
    const draft = await desk.broadcasts.compose(metadata({ ...only, priority: 'routine' }), 'First wording.', [file]);
    await post(desk, `/api/broadcasts/${draft.id}/submit`, {});
    expect((await post(second, `/api/broadcasts/${draft.id}/review`, { decision: 'return', comment: 'Name the subject’s passport.' })).status).to.equal(200);
    const page = async (actor: Actor, path: string): Promise<{ status: number; html: string }> => {
      const answer = await actor.crypto.client.request('GET', path, { headers: { accept: 'text/html' } });
      return { status: answer.status, html: answer.bytes.toString('utf8') };
    };
    expect((await page(desk, `/broadcasts/${draft.id}`)).html).to.contain('Name the subject’s passport.').and.to.contain('Edit the draft');
    const edit = await page(desk, `/broadcasts/new?draft=${draft.id}`);
    expect(edit.status).to.equal(200);
    expect(edit.html).to.contain('Edit draft').and.to.contain(`data-draft-attachments="${file}"`);
    expect((await page(second, `/broadcasts/new?draft=${draft.id}`)).status, 'only its author edits it').to.equal(403);

    const oldBody = (await view(desk, draft.id)).body;
    await desk.broadcasts.updateDraft(draft.id, metadata({ ...only, priority: 'routine', reference: 'EDITED/2026/1' }), 'Second wording, passport T1234567.', [file]);
    const edited = await view(desk, draft.id);
    expect(edited.body).not.to.equal(oldBody);
    expect(await EncryptedItem.countDocuments({ _id: oldBody }), 'the replaced text is deleted').to.equal(0);
    expect(edited.attachments).to.deep.equal([file]);
    expect((await second.broadcasts.read(edited.body)).text).to.equal('Second wording, passport T1234567.');
    await post(desk, `/api/broadcasts/${draft.id}/submit`, {});
    expect((await second.broadcasts.send(draft.id, 'reviewer')).status).to.equal('sent');
  });

  it('refuses what is not a well-formed broadcast from the desk', async () => {
    const desk = await signIn(author.crypto.officer);
    const body = await desk.broadcasts.seal('ncb-desk', 'text');
    const compose = (overrides: Record<string, unknown>) => post<{ error: { code: string; details?: { field: string }[] } }>(desk, '/api/broadcasts', { ...metadata(), body, ...overrides });
    expect((await compose({ handling: { code: 'H3' } })).status, 'H3 needs its restrictions stated').to.equal(400);
    expect((await compose({ addressees: { mode: 'list', agencies: [String((await theCbi())._id)] } })).status, 'not to the CBI itself').to.equal(400);
    expect((await compose({ body: { ...body, body: Buffer.from('clear text, not ciphertext').toString('base64') } })).status).to.equal(400);
    expect((await compose({ deadline: new Date(now().getTime() - 60_000).toISOString() })).status).to.equal(400);
    const uo = await signIn(uoOfB.crypto.officer);
    expect((await post(uo, '/api/broadcasts', { ...metadata(), body })).status).to.equal(403);
  });
});
