import { expect } from 'chai';
import { advanceClockForTests, now, resetClockForTests } from '../../../server/clock.js';
import type { AgencyDocument, UnitDocument } from '../../../server/modules/organisation/organisation.model.js';
import type { Portal } from '../../../server/portal.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { downloadFile, freshGroupKey, uploadFile, referenceDeskOf, type ReferenceDeskOfficer } from '../../support/crypto-officer.js';
import { agencyWith, cbiOfficers, theCbi, type Officer } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';
import { connectUser } from '../../support/connect-client.js';
import { actorOf, expectQueueAgrees } from '../../support/request-queues.js';
import { eventually } from '../../support/server-process.js';

type Desk = ReferenceDeskOfficer;

interface View {
  id: string;
  status: string;
  holderDesk: string;
  body: string;
  attachments: string[];
  deadline?: string;
  overdue: boolean;
  clocks: Record<string, number>;
  countries: { country: string; answeredAt?: string; transmissions: { reference: string }[]; replies: { body: string; attachments: string[]; final: boolean }[] }[];
  steps: { decision: string; comment: string; signed: { statement: string; signature: string; fingerprint: string } }[];
}

const HOUR = 3_600_000;
const withKey = { withKey: true };

describe('INTERPOL references going abroad: unit -> ILO -> CBI -> foreign NCBs and back', function () {
  this.timeout(120_000);
  let portal: Portal;
  let agency: AgencyDocument;
  let unit: UnitDocument;
  let uo: Desk;
  let ilo: Desk;
  let cbi: Desk;
  let otherIlo: Desk;
  let otherUo: Desk;
  let officers: { uo: Officer; ilo: Officer; cbi: Officer };

  /** Moves the portal's clock on, as hours pass; the officers sign in again (sessions time out meanwhile). */
  const advance = async (ms: number): Promise<void> => {
    advanceClockForTests(ms);
    [uo, ilo, cbi] = await Promise.all([signIn(officers.uo), signIn(officers.ilo), signIn(officers.cbi)]);
  };

  const signIn = referenceDeskOf;
  const request = async <T>(desk: Desk, method: 'GET' | 'POST', path: string, json?: unknown): Promise<{ status: number; body: T & { error?: { code: string } } }> =>
    desk.crypto.client.request<T & { error?: { code: string } }>(method, path, json === undefined ? {} : { json });
  const view = async (desk: Desk, id: string): Promise<View> => {
    const answer = await request<View>(desk, 'GET', `/api/references/${id}`);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body;
  };
  const metadata = (countries: string[]) => ({
    countries: countries.map((country) => ({ country, ncb: `NCB ${country}` })),
    assistance: 'locate-person',
    case: { fir: `FIR ${String(Date.now()).slice(-5)}/2026`, policeStation: 'Shivajinagar', sections: '420, 467 IPC', registeredOn: '2026-10-02' },
    crimeArea: 'economic-fraud',
    priority: 'urgent',
    handling: { code: 'H1' },
    grading: { source: 'B', information: '2' },
  });

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
    const ours = await agencyWith(portal, { ilos: ['Reference ILO'], units: [{ officers: ['Reference UO'] }] }, withKey);
    const theirs = await agencyWith(portal, { ilos: ['Other ILO'], units: [{ officers: ['Other UO'] }] }, withKey);
    const [desk] = await cbiOfficers(portal, [{ role: 'ncb-officer', name: 'Reference Desk' }], withKey);
    agency = ours.agency;
    unit = ours.units[0]!;
    officers = { uo: ours.officer('Reference UO'), ilo: ours.officer('Reference ILO'), cbi: desk! };
    uo = await signIn(officers.uo);
    ilo = await signIn(officers.ilo);
    cbi = await signIn(officers.cbi);
    otherIlo = await signIn(theirs.officer('Other ILO'));
    otherUo = await signIn(theirs.officer('Other UO'));
    // Every desk's group has a key, as once its officers have signed in.
    await uo.crypto.keyring.keys(`unit:${String(unit._id)}`, { refresh: true });
    await ilo.crypto.keyring.keys(`agency-ilos:${String(agency._id)}`, { refresh: true });
    await freshGroupKey(cbi.crypto, 'ncb-desk');
  });
  afterEach(async () => {
    resetClockForTests();
    [uo, ilo, cbi] = await Promise.all([signIn(officers.uo), signIn(officers.ilo), signIn(officers.cbi)]);
  });

  it('travels up with signed decisions, abroad to two countries, is answered one by one, and reaches the unit readable, with each desk’s time', async () => {
    const evidence = new TextEncoder().encode('%PDF-1.4 bank statement of the accused');
    const file = await uploadFile(uo.crypto, `unit:${String(unit._id)}`, 'statement.pdf', evidence);
    const { id } = await uo.references.draft(`unit:${String(unit._id)}`, metadata(['Thailand', 'Singapore']), 'Locate Ravi K., DOB 1984, last seen in Bangkok.', [file]);
    expect((await view(uo, id)).holderDesk).to.equal('unit');
    expect((await request(ilo, 'GET', `/api/references/${id}`)).status, 'a unit’s draft is not the ILO’s yet').to.equal(403);

    await advance(1 * HOUR);
    await uo.references.handOn(id, 'submit');
    let seen = await view(ilo, id);
    expect(seen).to.include({ status: 'at-ilo', holderDesk: 'ilo' });
    expect(Date.parse(seen.deadline!) - now().getTime(), 'the urgent default, from submission').to.be.closeTo(3 * 24 * HOUR, 60_000);
    expect((await ilo.references.read(seen.body)).text).to.equal('Locate Ravi K., DOB 1984, last seen in Bangkok.');
    expect((await request(cbi, 'GET', `/api/references/${id}`)).status, 'not the CBI’s until forwarded').to.equal(403);

    await advance(2 * HOUR);
    await ilo.references.handOn(id, 'forward', 'Verified with the investigating officer.');
    seen = await view(cbi, id);
    expect(seen).to.include({ status: 'at-cbi', holderDesk: 'cbi' });
    expect((await cbi.references.read(seen.body)).text).to.include('Ravi K.');
    expect((await downloadFile(cbi.crypto, seen.attachments[0]!)).bytes.equals(Buffer.from(evidence))).to.equal(true);

    await advance(3 * HOUR);
    await cbi.references.transmit(id, [
      { country: 'Thailand', reference: '2026/77001-TH' },
      { country: 'Singapore', reference: '2026/77002-SG' },
    ]);
    expect((await view(cbi, id)).holderDesk).to.equal('abroad');

    await advance(5 * HOUR);
    const replyFile = await uploadFile(cbi.crypto, 'ncb-desk', 'immigration-record.pdf', new TextEncoder().encode('%PDF-1.4 entry stamp 12 Nov'));
    await cbi.references.recordReply(id, 'Thailand', 'Subject entered Thailand on 12 Nov; address attached.', { attachments: [replyFile] });
    seen = await view(uo, id);
    expect(seen, 'one country of two: still abroad').to.include({ status: 'abroad', holderDesk: 'abroad' });
    const thai = seen.countries.find((entry) => entry.country === 'Thailand')!;
    // Re-wrapped down to the unit: the same ciphertext, opened with the unit's key.
    expect((await uo.references.read(thai.replies[0]!.body)).text).to.equal('Subject entered Thailand on 12 Nov; address attached.');
    expect((await downloadFile(uo.crypto, thai.replies[0]!.attachments[0]!)).name).to.equal('immigration-record.pdf');
    expect((await ilo.references.read(thai.replies[0]!.body)).text).to.include('12 Nov');

    await advance(1 * HOUR);
    await cbi.references.recordReply(id, 'Singapore', 'No trace in Singapore records.');
    seen = await view(uo, id);
    expect(seen).to.include({ status: 'answered', holderDesk: 'unit' });
    const close = (ms: number, hours: number): void => void expect(ms).to.be.closeTo(hours * HOUR, 60_000);
    close(seen.clocks['unit']!, 1);
    close(seen.clocks['ilo']!, 2);
    close(seen.clocks['cbi']!, 3);
    close(seen.clocks['abroad']!, 6);

    // Every step signed, and verifiable by the next desk with the signer's key.
    expect(seen.steps.map((step) => step.decision)).to.deep.equal(['submitted', 'forwarded', 'transmitted', 'replied', 'replied']);
    for (const step of seen.steps) {
      const verified = await ilo.references.verifySigned(step.signed);
      expect(verified.signerFingerprint.toLowerCase()).to.equal(step.signed.fingerprint.toLowerCase());
      expect(step.signed.statement).to.include(`Reference: ${id}`);
    }
    await uo.references.close(id, 'close', 'Subject located; proceeding with extradition request.');
    expect((await view(uo, id)).status).to.equal('closed');
  });

  it('goes back to its author for correction with a reason, is resubmitted, and can be rejected with a reason', async () => {
    const { id } = await uo.references.draft(`unit:${String(unit._id)}`, metadata(['Nepal']), 'Criminal record of Suresh P.');
    await uo.references.handOn(id, 'submit');
    await ilo.references.judge(id, 'return', 'Add the passport number.');
    let seen = await view(uo, id);
    expect(seen).to.include({ status: 'draft', holderDesk: 'unit' });
    expect(seen.steps.at(-1)).to.include({ decision: 'returned', comment: 'Add the passport number.' });
    // The author corrects the draft and submits it again.
    const update = await request(uo, 'POST', `/api/references/${id}/draft`, { ...metadata(['Nepal']), body: await uo.references.seal(`unit:${String(unit._id)}`, 'Criminal record of Suresh P., passport Z1234567.'), attachments: [] });
    expect(update.status, JSON.stringify(update.body)).to.equal(200);
    await uo.references.handOn(id, 'submit');
    await ilo.references.handOn(id, 'forward');
    await cbi.references.judge(id, 'reject', 'Nepal requires a court order for this; route it through the MEA.');
    seen = await view(uo, id);
    expect(seen).to.include({ status: 'rejected', holderDesk: 'none' });
    const decisions = await request(uo, 'POST', `/api/references/${id}/decisions`, { decision: 'submit', comment: '', ...(await uo.references.signDecision(id, { decision: 'submit' })), opening: { epoch: 1, body: 'AA==', attachments: {} } });
    expect(decisions.status, 'a rejected reference stays rejected').to.equal(403);
  });

  it('asks abroad again as a follow-up, recorded as such, and waits for that country again', async () => {
    const { id } = await uo.references.draft(`unit:${String(unit._id)}`, metadata(['Malaysia']), 'Bank account details of Lim T.');
    await uo.references.handOn(id, 'submit');
    await ilo.references.handOn(id, 'forward');
    await cbi.references.transmit(id, [{ country: 'Malaysia', reference: '2026/88001-MY' }]);
    await cbi.references.recordReply(id, 'Malaysia', 'Interim: bank asked; reply expected next week.', { final: false });
    expect((await view(uo, id)).status, 'an interim reply does not answer').to.equal('abroad');
    await uo.references.close(id, 'follow-up', 'Please remind NCB Kuala Lumpur.');
    expect((await view(cbi, id)).status).to.equal('at-cbi');
    await cbi.references.transmit(id, [{ country: 'Malaysia', reference: '2026/88001-MY/R1' }]);
    const seen = await view(cbi, id);
    expect(seen.countries[0]!.transmissions.map((sent) => sent.reference)).to.deep.equal(['2026/88001-MY', '2026/88001-MY/R1']);
    expect(seen.steps.map((step) => step.decision)).to.deep.equal(['submitted', 'forwarded', 'transmitted', 'interim-reply', 'follow-up', 'transmitted']);
  });

  it('refuses another agency’s ILO and unit officer on every read and write path, and audits each refusal', async () => {
    const { id } = await uo.references.draft(`unit:${String(unit._id)}`, metadata(['Japan']), 'Identity verification of Kenji M.');
    await uo.references.handOn(id, 'submit');
    const since = await lastAuditSeq();
    const signed = { signedAt: now().toISOString(), signature: `-----BEGIN PGP SIGNATURE-----\n${'A'.repeat(60)}\n-----END PGP SIGNATURE-----` };
    const attempts: [string, 'GET' | 'POST', string, unknown?][] = [
      ['read', 'GET', `/api/references/${id}`],
      ['targets', 'GET', `/api/references/${id}/targets?step=next`],
      ['statement', 'POST', `/api/references/${id}/statement`, { decision: 'forward', signedAt: signed.signedAt }],
      ['forward', 'POST', `/api/references/${id}/decisions`, { decision: 'forward', ...signed, opening: { epoch: 1, body: 'AA==', attachments: {} } }],
      ['return', 'POST', `/api/references/${id}/decisions`, { decision: 'return', comment: 'Not ours to say', ...signed }],
      ['edit', 'POST', `/api/references/${id}/draft`, { ...metadata(['Japan']), body: { epoch: 1, body: 'AA==', keyPackets: 'AA==' }, attachments: [] }],
      ['transmit', 'POST', `/api/references/${id}/transmissions`, { transmissions: [{ country: 'Japan', reference: '2026/1-JP' }], ...signed }],
      ['close', 'POST', `/api/references/${id}/close`, { decision: 'close', ...signed }],
    ];
    for (const outsider of [otherIlo, otherUo]) {
      for (const [name, method, path, body] of attempts) {
        const answer = await request(outsider, method, path, body);
        expect(answer.status, `${outsider.crypto.officer.username} ${name}: ${JSON.stringify(answer.body)}`).to.equal(403);
      }
      const queue = await request<{ items: { id: string }[] }>(outsider, 'GET', `/api/references?queue=${outsider === otherIlo ? 'agency' : 'unit'}`);
      expect(queue.body.items.map((item) => item.id)).not.to.include(id);
    }
    const denied = await auditSince(since, { outcome: 'denied' });
    expect(denied.filter((record) => record.target?.id === id).length, 'every refusal audited').to.equal(attempts.length * 2);
  });

  it('refuses an H3 reference that does not state its restrictions, as Broadcast does', async () => {
    const answer = await request(uo, 'POST', '/api/references', {
      ...metadata(['Italy']),
      handling: { code: 'H3' },
      body: await uo.references.seal(`unit:${String(unit._id)}`, 'Witness statement of Marco R.'),
      attachments: [],
    });
    expect(answer.status).to.equal(400);
    expect(JSON.stringify(answer.body)).to.include('State the restrictions that H3 refers to.');
  });

  it('lists each desk’s queue, newest change first, a page at a time', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const { id } = await uo.references.draft(`unit:${String(unit._id)}`, metadata(['Bhutan']), `Queue test ${index}`);
      await uo.references.handOn(id, 'submit');
      ids.push(id);
    }
    const first = await request<{ items: { id: string; holderDesk: string }[]; next?: string }>(ilo, 'GET', '/api/references?queue=desk&limit=2');
    expect(first.body.items.map((item) => item.id)).to.deep.equal([ids[2], ids[1]]);
    const second = await request<{ items: { id: string }[]; next?: string }>(ilo, 'GET', `/api/references?queue=desk&limit=2&cursor=${first.body.next}`);
    expect(second.body.items[0]!.id).to.equal(ids[0]);
    expect((await request(uo, 'GET', '/api/references?queue=national')).status, 'the national queue is the CBI’s').to.equal(403);
  });

  it('reminds the desk holding an urgent reference, marks it overdue past its deadline, and escalates it one level up after the grace', async () => {
    const { id } = await uo.references.draft(`unit:${String(unit._id)}`, { ...metadata(['Oman']), priority: 'urgent' }, 'Locate vessel Al Noor.');
    await uo.references.handOn(id, 'submit');
    let iloSocket = await connectUser(ilo.crypto);
    let deskSocket = await connectUser(cbi.crypto);
    /** Moves the clock on: the officers' sessions idle out meanwhile (and the portal closes their sockets), so they sign in and connect again. */
    const later = async (ms: number): Promise<void> => {
      await advance(ms);
      for (const user of [iloSocket, deskSocket]) user.socket.disconnect();
      [iloSocket, deskSocket] = await Promise.all([connectUser(ilo.crypto), connectUser(cbi.crypto)]);
    };
    const alerts = (user: typeof iloSocket): { id: string; kind: string }[] =>
      user.events.filter((event) => event.name === 'reference:alert').map((event) => event.payload as { id: string; kind: string }).filter((alert) => alert.id === id);
    try {
      const since = await lastAuditSeq();
      await later(61 * 60_000);
      await portal.services.references.sweep();
      expect(await eventually(() => alerts(iloSocket).some((alert) => alert.kind === 'reminder'), 5_000), 'the ILO holding it is reminded').to.equal(true);
      await later(3 * 24 * HOUR);
      await portal.services.references.sweep();
      expect((await view(uo, id)).overdue).to.equal(true);
      expect(await eventually(() => alerts(iloSocket).some((alert) => alert.kind === 'overdue'), 5_000)).to.equal(true);
      expect(alerts(deskSocket).some((alert) => alert.kind === 'escalated'), 'not before the grace').to.equal(false);
      await later(25 * HOUR);
      await portal.services.references.sweep();
      expect(await eventually(() => alerts(deskSocket).some((alert) => alert.kind === 'escalated'), 5_000), 'escalated to the CBI above the ILO').to.equal(true);
      await portal.services.references.sweep();
      expect(alerts(deskSocket).filter((alert) => alert.kind === 'escalated'), 'once per desk').to.have.length(1);
      const actions = (await auditSince(since)).filter((record) => record.target?.id === id).map((record) => record.action);
      expect(actions).to.include.members(['reference.reminded', 'reference.overdue', 'reference.escalated']);
    } finally {
      iloSocket.socket.disconnect();
      deskSocket.socket.disconnect();
    }
  });

  it('takes an ILO’s own reference straight to the CBI, and the CBI’s own straight to transmission', async () => {
    const iloGroup = `agency-ilos:${String(agency._id)}`;
    const own = await ilo.references.draft(iloGroup, metadata(['Germany']), 'Vehicle owner of B-XY 1234.');
    await ilo.references.handOn(own.id, 'submit');
    let seen = await view(cbi, own.id);
    expect(seen).to.include({ status: 'at-cbi', holderDesk: 'cbi' });
    expect((await cbi.references.read(seen.body)).text).to.include('B-XY 1234');
    expect((await request(uo, 'GET', `/api/references/${own.id}`)).status, 'not the units’ business').to.equal(403);

    const desks = await cbi.references.draft('ncb-desk', metadata(['France']), 'Criminal record of Jean D.');
    await cbi.references.handOn(desks.id, 'submit');
    expect((await view(cbi, desks.id)).status).to.equal('at-cbi');
    await cbi.references.transmit(desks.id, [{ country: 'France', reference: '2026/3001-FR' }]);
    await cbi.references.recordReply(desks.id, 'France', 'No record.');
    seen = await view(cbi, desks.id);
    expect(seen).to.include({ status: 'answered', holderDesk: 'cbi' });
    await cbi.references.close(desks.id, 'close');
    expect((await request(ilo, 'GET', `/api/references/${desks.id}`)).status, 'the CBI’s own stays the CBI’s').to.equal(403);
  });

  it('lists every queue alike from the log of moves (the embedded database) and by a query (MongoDB), with each filter, and counts each desk', async () => {
    // What the tests above left, in every state: drafts, at each desk, abroad, answered, closed, rejected.
    const clients = { uo: uo.crypto.client, ilo: ilo.crypto.client, cbi: cbi.crypto.client };
    const national = await expectQueueAgrees(officers.cbi, clients.cbi, 'national');
    expect(new Set(national.map((row) => (row as unknown as { status: string }).status))).to.include.members(['at-cbi', 'abroad', 'closed', 'rejected']);
    for (const filters of <Record<string, string>[]>[{ status: 'closed' }, { direction: 'outgoing' }, { country: 'Thailand' }, { priority: 'urgent' }, { crimeArea: 'economic-fraud' }, { overdue: 'true' }, { from: '2026-01-01', to: '2099-12-31' }]) {
      await expectQueueAgrees(officers.cbi, clients.cbi, 'national', filters);
    }
    await expectQueueAgrees(officers.cbi, clients.cbi, 'desk');
    expect(await expectQueueAgrees(officers.ilo, clients.ilo, 'agency')).to.not.be.empty;
    await expectQueueAgrees(officers.ilo, clients.ilo, 'desk', { status: 'at-ilo' });
    expect(await expectQueueAgrees(officers.uo, clients.uo, 'unit')).to.not.be.empty;
    const atUnit = await expectQueueAgrees(officers.uo, clients.uo, 'desk');

    const waiting = await portal.services.references.waiting(actorOf(officers.uo));
    const rows = atUnit as unknown as { status: string; overdue: boolean }[];
    expect(waiting.atDesk, 'what waits at the unit: all but its drafts').to.equal(rows.filter((row) => row.status !== 'draft').length);
    expect(waiting.overdue).to.equal(rows.filter((row) => row.status !== 'draft' && row.overdue).length);
  });
});
