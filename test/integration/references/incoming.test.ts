import { expect } from 'chai';
import { advanceClockForTests, now, resetClockForTests } from '../../../server/clock.js';
import type { AgencyDocument, UnitDocument } from '../../../server/modules/organisation/organisation.model.js';
import type { Portal } from '../../../server/portal.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { connectUser } from '../../support/connect-client.js';
import { downloadFile, freshGroupKey, uploadFile, referenceDeskOf, type ReferenceDeskOfficer } from '../../support/crypto-officer.js';
import { agencyWith, cbiOfficers, theCbi, type Officer } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';
import { eventually } from '../../support/server-process.js';

type Desk = ReferenceDeskOfficer;

interface View {
  id: string;
  status: string;
  holderDesk: string;
  body: string;
  attachments: string[];
  parts: string[];
  clocks: Record<string, number>;
  reports: { body: string; attachments: string[]; desk: string }[];
  repliesAbroad: { reference: string; final: boolean }[];
  steps: { decision: string; signed: { statement: string; signature: string; fingerprint: string } }[];
}

const HOUR = 3_600_000;
const withKey = { withKey: true };

describe('INTERPOL references from abroad: CBI -> agencies -> units -> CBI -> foreign NCB', function () {
  this.timeout(120_000);
  let portal: Portal;
  let agencyA: AgencyDocument;
  let agencyB: AgencyDocument;
  let unitA: UnitDocument;
  const officers: Record<string, Officer> = {};
  const desks: Record<string, Desk> = {};

  const signIn = async (name: string): Promise<Desk> => {
    desks[name] = await referenceDeskOf(officers[name]!);
    return desks[name];
  };
  /** Moves the portal's clock on; the officers sign in again (their sessions time out meanwhile). */
  const advance = async (ms: number): Promise<void> => {
    advanceClockForTests(ms);
    for (const name of Object.keys(officers)) await signIn(name);
  };
  const request = async <T>(name: string, method: 'GET' | 'POST', path: string, json?: unknown): Promise<{ status: number; body: T }> =>
    desks[name]!.crypto.client.request<T>(method, path, json === undefined ? {} : { json });
  const view = async (name: string, id: string): Promise<View> => {
    const answer = await request<View>(name, 'GET', `/api/references/${id}`);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body;
  };
  const partOf = async (parent: string, agency: AgencyDocument): Promise<string> => {
    const parts = await Promise.all((await view('cbi', parent)).parts.map(async (part) => ({ part, agency: (await view('cbi', part)) as View & { agencyId: string } })));
    return parts.find((entry) => entry.agency.agencyId === String(agency._id))!.part;
  };

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
    const a = await agencyWith(portal, { ilos: ['ILO A'], units: [{ officers: ['UO A'] }] }, withKey);
    const b = await agencyWith(portal, { ilos: ['ILO B'], units: [{ officers: ['UO B'] }] }, withKey);
    const c = await agencyWith(portal, { ilos: ['ILO C'], units: [{ officers: ['UO C'] }] }, withKey);
    const [desk] = await cbiOfficers(portal, [{ role: 'ncb-officer', name: 'Incoming Desk' }], withKey);
    agencyA = a.agency;
    agencyB = b.agency;
    unitA = a.units[0]!;
    Object.assign(officers, { iloA: a.officer('ILO A'), uoA: a.officer('UO A'), iloB: b.officer('ILO B'), iloC: c.officer('ILO C'), uoC: c.officer('UO C'), cbi: desk! });
    for (const name of Object.keys(officers)) await signIn(name);
    await freshGroupKey(desks['cbi']!.crypto, 'ncb-desk');
    await desks['iloA']!.crypto.keyring.keys(`agency-ilos:${String(agencyA._id)}`, { refresh: true });
    await desks['iloB']!.crypto.keyring.keys(`agency-ilos:${String(agencyB._id)}`, { refresh: true });
    await desks['uoA']!.crypto.keyring.keys(`unit:${String(unitA._id)}`, { refresh: true });
  });
  afterEach(resetClockForTests);

  it('is registered and forwarded by the CBI, assigned and reported on down the chain, approved up, and answered abroad, with each desk’s time', async () => {
    const cbi = desks['cbi']!;
    const request_ = new TextEncoder().encode('%PDF-1.4 photo of the suspect');
    const file = await uploadFile(cbi.crypto, 'ncb-desk', 'suspect.pdf', request_);
    const { id } = await cbi.references.register(
      {
        foreign: { country: 'Thailand', ncb: 'NCB Bangkok', reference: '2026/44120-TH', receivedOn: '2026-12-01' },
        assistance: 'locate-person',
        crimeArea: 'organised-crime',
        priority: 'routine',
        handling: { code: 'H2' },
        grading: { source: 'A', information: '2' },
      },
      'Locate Somchai K., believed in Mumbai or Delhi; photo attached.',
      [file],
    );
    expect((await view('cbi', id)).status).to.equal('registered');
    await cbi.references.forwardToAgencies(id, [String(agencyA._id), String(agencyB._id)]);
    const parent = await view('cbi', id);
    expect(parent.status).to.equal('forwarded');
    expect(parent.parts).to.have.length(2);
    const partA = await partOf(id, agencyA);
    const partB = await partOf(id, agencyB);
    const national = await request<{ items: { id: string; partOf?: string }[] }>('cbi', 'GET', '/api/references?queue=national&limit=100');
    const partRows = national.body.items.filter((row) => row.id === partA || row.id === partB);
    expect(partRows.map((row) => row.partOf).sort(), 'each part named by its agency in the queue').to.deep.equal([agencyA.name, agencyB.name].sort());

    // Agency A: the ILO reads the request and assigns it to a unit, which reads it and reports.
    const seenByIlo = await view('iloA', partA);
    expect((await desks['iloA']!.references.read(seenByIlo.body)).text).to.include('Somchai K.');
    expect((await request('iloA', 'GET', `/api/references/${partB}`)).status, 'not another agency’s part').to.equal(403);
    await advance(1 * HOUR);
    await desks['iloA']!.references.assign(partA, String(unitA._id));
    expect((await view('uoA', partA)).holderDesk).to.equal('unit');
    expect((await downloadFile(desks['uoA']!.crypto, seenByIlo.attachments[0]!)).bytes.equals(Buffer.from(request_))).to.equal(true);

    // The foreign NCB reminds: the unit holding A's part is told again.
    const unitSocket = await connectUser(desks['uoA']!.crypto);
    try {
      await desks['cbi']!.references.foreignReminder(id, 'NCB Bangkok asks for an update.');
      const told = (): boolean => unitSocket.events.some((event) => event.name === 'reference:alert' && (event.payload as { id: string; kind: string }).id === partA);
      expect(await eventually(told, 5_000), 'the unit holding it is reminded').to.equal(true);
      await advance(2 * HOUR);
      await desks['uoA']!.references.report(partA, `unit:${String(unitA._id)}`, 'Subject traced to Andheri East; under watch.');
      const moved = (): boolean => unitSocket.events.some((event) => event.name === 'reference:changed' && (event.payload as { id: string }).id === partA);
      expect(await eventually(moved, 5_000), 'the assigned unit follows its part live').to.equal(true);
    } finally {
      unitSocket.socket.disconnect();
    }

    let part = await view('iloA', partA);
    expect(part).to.include({ status: 'at-ilo', holderDesk: 'ilo' });
    expect((await desks['iloA']!.references.read(part.reports[0]!.body)).text).to.include('Andheri East');
    expect((await request('cbi', 'GET', `/api/items/${part.reports[0]!.body}`)).status, 'the CBI reads it once the ILO approves').not.to.equal(200);
    await advance(1 * HOUR);
    await desks['iloA']!.references.approve(partA);
    part = await view('cbi', partA);
    expect(part).to.include({ status: 'at-cbi', holderDesk: 'cbi' });
    expect((await desks['cbi']!.references.read(part.reports[0]!.body)).text).to.include('Andheri East');
    expect(part.clocks['ilo']).to.be.closeTo(2 * HOUR, 60_000);
    expect(part.clocks['unit']).to.be.closeTo(2 * HOUR, 60_000);

    // Agency B's ILO reports itself.
    await desks['iloB']!.references.report(partB, `agency-ilos:${String(agencyB._id)}`, 'No trace in Delhi records.');
    expect((await desks['cbi']!.references.read((await view('cbi', partB)).reports[0]!.body)).text).to.equal('No trace in Delhi records.');

    // The CBI answers abroad: an interim reply keeps it open; the final one closes it and its parts.
    await desks['cbi']!.references.replyAbroad(id, 'Thailand', '2026/44120-TH/R1', { final: false });
    expect((await view('cbi', id)).status).to.equal('forwarded');
    await desks['cbi']!.references.replyAbroad(id, 'Thailand', '2026/44120-TH/R2');
    const done = await view('cbi', id);
    expect(done.status).to.equal('replied');
    expect(done.repliesAbroad.map((sent) => sent.final)).to.deep.equal([false, true]);
    expect((await view('cbi', partA)).status).to.equal('closed');
    expect((await view('cbi', partB)).status).to.equal('closed');
    for (const step of done.steps) expect((await desks['iloA']!.references.verifySigned(step.signed)).signerFingerprint).to.be.a('string');
  });

  it('refuses another agency’s ILO and unit officer on the parts’ read and write paths, and audits each refusal', async () => {
    const cbi = desks['cbi']!;
    const { id } = await cbi.references.register(
      {
        foreign: { country: 'Nepal', ncb: 'NCB Kathmandu', reference: '2026/9001-NP', receivedOn: '2026-12-02' },
        assistance: 'criminal-record',
        crimeArea: 'narcotics',
        priority: 'urgent',
        handling: { code: 'H0' },
        grading: { source: 'B', information: '3' },
      },
      'Criminal record of Ram B.',
    );
    await cbi.references.forwardToAgencies(id, [String(agencyA._id)]);
    const partA = await partOf(id, agencyA);
    const since = await lastAuditSeq();
    const signed = { signedAt: now().toISOString(), signature: `-----BEGIN PGP SIGNATURE-----\n${'A'.repeat(60)}\n-----END PGP SIGNATURE-----` };
    const opening = { epoch: 1, body: 'AA==', attachments: {} };
    const attempts: [string, 'GET' | 'POST', string, unknown?][] = [
      ['read parent', 'GET', `/api/references/${id}`],
      ['read part', 'GET', `/api/references/${partA}`],
      ['assign', 'POST', `/api/references/${partA}/assignment`, { unit: String(unitA._id), opening, ...signed }],
      ['report', 'POST', `/api/references/${partA}/reports`, { body: { epoch: 1, body: 'AA==', keyPackets: 'AA==' }, upward: opening, ...signed }],
      ['approve', 'POST', `/api/references/${partA}/approval`, { openings: {}, ...signed }],
      ['reply abroad', 'POST', `/api/references/${id}/replies-abroad`, { reference: '2026/1-X', ...signed }],
      ['forward', 'POST', `/api/references/${id}/agencies`, { openings: { [String(agencyA._id)]: opening }, ...signed }],
    ];
    for (const name of ['iloC', 'uoC']) {
      for (const [what, method, path, body] of attempts) {
        expect((await request(name, method, path, body)).status, `${name} ${what}`).to.equal(403);
      }
    }
    const denied = await auditSince(since, { outcome: 'denied' });
    expect(denied.filter((record) => record.target?.id === id || record.target?.id === partA).length).to.equal(attempts.length * 2);
    // The unit officer of agency A sees nothing of it until assigned.
    expect((await request('uoA', 'GET', `/api/references/${partA}`)).status).to.equal(403);
  });
});
