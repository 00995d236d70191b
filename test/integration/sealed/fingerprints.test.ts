import { expect } from 'chai';
import { generateOfficerKey } from '../../../server/crypto/client.js';
import { checkOfficerKeys, registerOfficerKey } from '../../../server/sealed/keys/keys.service.js';
import type { Portal } from '../../../server/portal.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { makeAgency, makeOfficer, makeUnit, theCbi } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';

interface DirectoryAnswer {
  officers: { id: string; username: string; fingerprint?: string; keyStatus: string }[];
}

describe('key fingerprints and verification', () => {
  let portal: Portal;

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
  });

  it('shows a colleague’s fingerprint, records a verification, and warns when the verified key changes', async () => {
    const agency = await makeAgency();
    const unit = await makeUnit(agency);
    const viewer = await makeOfficer(portal, 'uo', agency, unit, 'Viewer', { withKey: true });
    const colleague = await makeOfficer(portal, 'uo', agency, unit, 'Colleague Zeta', { withKey: true });
    const client = await viewer.signIn();
    const find = async (): Promise<DirectoryAnswer['officers'][number] | undefined> =>
      (await client.request<DirectoryAnswer>('GET', '/api/directory?q=Zeta')).body.officers.find((officer) => officer.username === colleague.username);

    const before = await find();
    expect(before?.keyStatus).to.equal('unverified');
    expect(before?.fingerprint).to.match(/^([0-9A-F]{4} ){9}[0-9A-F]{4}$/);
    const fingerprint = (before?.fingerprint ?? '').replace(/ /g, '').toLowerCase();

    const wrong = await client.request('POST', `/api/officers/${before?.id}/verification`, { json: { fingerprint: 'a'.repeat(40) } });
    expect(wrong.status, 'only the current fingerprint can be marked').to.equal(404);
    const since = await lastAuditSeq();
    expect((await client.request('POST', `/api/officers/${before?.id}/verification`, { json: { fingerprint } })).status).to.equal(200);
    expect((await find())?.keyStatus).to.equal('verified');
    expect((await auditSince(since, { action: 'key.verified' }))).to.have.length(1);

    const renewed = await generateOfficerKey({ name: 'Colleague Zeta', username: colleague.username, passphrase: 'new passphrase' });
    await registerOfficerKey(String(colleague.account._id), await checkOfficerKeys(colleague.username, renewed));
    const after = await find();
    expect(after?.keyStatus).to.equal('changed');
    const keys = await client.request<{ keys: { fingerprint: string; current: boolean; verified: boolean; changedSinceVerified: boolean }[] }>(
      'GET',
      `/api/officers/${before?.id}/keys`,
    );
    expect(keys.body.keys.map((key) => [key.current, key.verified, key.changedSinceVerified])).to.deep.equal([
      [true, false, true],
      [false, true, false],
    ]);
  });

  it("refuses another agency's unit officer a colleague's keys outside their directory", async () => {
    const agencyA = await makeAgency();
    const agencyB = await makeAgency();
    const uoA = await makeOfficer(portal, 'uo', agencyA, await makeUnit(agencyA), 'A', { withKey: true });
    const uoB = await makeOfficer(portal, 'uo', agencyB, await makeUnit(agencyB), 'B', { withKey: true });
    const client = await uoA.signIn();
    expect((await client.request('GET', `/api/officers/${String(uoB.account._id)}/keys`)).status).to.equal(403);
  });
});
