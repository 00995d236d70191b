import { expect } from 'chai';
import type { Portal } from '../../server/portal.js';
import type { AgencyDocument, UnitDocument } from '../../server/modules/organisation/organisation.model.js';
import { auditSince, lastAuditSeq } from '../support/audit.js';
import { PortalClient } from '../support/client.js';
import { agencyWith, cbiOfficers, type Officer } from '../support/fixtures.js';
import { sharedPortal } from '../support/portal.js';

/**
 * Cross-agency and out-of-role attempts against the real API: each is refused with 403 and
 * leaves an `access.denied` record naming who tried what.
 */
describe('access scope across agencies and roles', () => {
  let portal: Portal;
  let agencyA: AgencyDocument;
  let agencyB: AgencyDocument;
  let unitB: UnitDocument;
  let iloA: PortalClient;
  let uoA: PortalClient;
  let auditor: PortalClient;
  let ncbOfficer: PortalClient;
  let uoB: Officer;
  let officers: Record<string, Officer>;

  before(async () => {
    portal = await sharedPortal();
    const a = await agencyWith(portal, { ilos: ['ILO A'], units: [{ officers: ['Unit Officer A'] }] });
    const b = await agencyWith(portal, { units: [{ officers: ['Unit Officer B'] }] });
    const [auditorOfficer, deskOfficer] = await cbiOfficers(portal, [{ role: 'auditor' }, { role: 'ncb-officer' }]);
    ({ agency: agencyA } = a);
    ({ agency: agencyB } = b);
    unitB = b.units[0]!;
    officers = { iloA: a.ilos[0]!, uoA: a.uos[0]!, auditor: auditorOfficer!, ncbOfficer: deskOfficer! };
    uoB = b.uos[0]!;
    iloA = await officers['iloA']!.signIn();
    uoA = await officers['uoA']!.signIn();
    auditor = await officers['auditor']!.signIn();
    ncbOfficer = await officers['ncbOfficer']!.signIn();
  });

  const attempts: [string, () => PortalClient, string, string, () => unknown][] = [
    ["an ILO creates a unit in another agency", () => iloA, 'POST', '/api/agencies/:B/units', () => ({ code: 'X1', name: 'Sneaky unit', kind: 'district' })],
    ["an ILO creates a unit officer in another agency", () => iloA, 'POST', '/api/accounts', () => ({ username: 'uo.sneaky', displayName: 'Sneaky', role: 'uo', agencyId: String(agencyB._id), unitId: String(unitB._id) })],
    ["an ILO locks another agency's unit officer", () => iloA, 'POST', '/api/accounts/:uoB/actions', () => ({ action: 'lock' })],
    ["an ILO reads another agency's unit officer", () => iloA, 'GET', '/api/accounts/:uoB', () => undefined],
    ["an ILO lists another agency's units", () => iloA, 'GET', '/api/agencies/:B/units', () => undefined],
    ["an ILO creates an agency", () => iloA, 'POST', '/api/agencies', () => ({ code: 'ROGUE', name: 'Rogue agency', type: 'central' })],
    ["a unit officer searches another agency in the directory", () => uoA, 'GET', '/api/directory?agencyId=:B', () => undefined],
    ["a unit officer creates a unit in its own agency", () => uoA, 'POST', '/api/agencies/:A/units', () => ({ code: 'X2', name: 'Own unit', kind: 'district' })],
    ["a unit officer creates an account", () => uoA, 'POST', '/api/accounts', () => ({ username: 'uo.friend', displayName: 'Friend', role: 'uo', agencyId: String(agencyA._id), unitId: String(unitB._id) })],
    ["a unit officer reads the audit log", () => uoA, 'GET', '/api/audit', () => undefined],
    ["an NCB officer (not admin) creates an ILO", () => ncbOfficer, 'POST', '/api/accounts', () => ({ username: 'ilo.rogue', displayName: 'Rogue', role: 'ilo', agencyId: String(agencyA._id) })],
    ["an auditor searches the directory", () => auditor, 'GET', '/api/directory', () => undefined],
    ["an auditor locks an account", () => auditor, 'POST', '/api/accounts/:uoB/actions', () => ({ action: 'lock' })],
  ];

  for (const [description, client, method, template, body] of attempts) {
    it(`refuses and audits: ${description}`, async () => {
      const path = template
        .replace(':A', String(agencyA._id))
        .replace(':B', String(agencyB._id))
        .replace(':uoB', String(uoB.account._id));
      const since = await lastAuditSeq();
      const json = body();
      const answer = await client().request<{ error: { code: string } }>(method, path, json === undefined ? {} : { json });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(403);
      expect(answer.body.error.code).to.equal('forbidden');
      const denials = await auditSince(since, { action: 'access.denied' });
      expect(denials, 'one denial recorded').to.have.length(1);
      expect(denials[0]?.outcome).to.equal('denied');
      expect(denials[0]?.actor?.username).to.be.a('string');
      expect(denials[0]?.details).to.have.property('attempted');
    });
  }

  it("never lists another agency's officers in a unit officer's directory", async () => {
    const answer = await uoA.request<{ officers: { username: string }[] }>('GET', '/api/directory?q=Unit%20Officer%20B');
    expect(answer.status).to.equal(200);
    expect(answer.body.officers.map((officer) => officer.username)).not.to.include(uoB.username);
  });

  it("shows an ILO its agency's page and refuses another agency's page", async () => {
    expect((await iloA.request('GET', `/admin/agencies/${String(agencyA._id)}`, { headers: { accept: 'text/html' } })).status).to.equal(200);
    expect((await iloA.request('GET', `/admin/agencies/${String(agencyB._id)}`, { headers: { accept: 'text/html' } })).status).to.equal(403);
  });

  it('answers 401, not data, to a request without a session', async () => {
    const answer = await new PortalClient(portal.url).request('GET', '/api/directory');
    expect(answer.status).to.equal(401);
  });
});
