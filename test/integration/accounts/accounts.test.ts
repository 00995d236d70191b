import { expect } from 'chai';
import { activeAccounts } from '../../../server/modules/accounts/account-index.js';
import { Account } from '../../../server/modules/accounts/account.model.js';
import type { Portal } from '../../../server/portal.js';
import type { AgencyDocument, UnitDocument } from '../../../server/modules/organisation/organisation.model.js';
import { SharedRevision } from '../../../server/shared/shared-revision.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { PortalClient, type Answer } from '../../support/client.js';
import { makeAgency, makeOfficer, makeUnit, theCbi, type Officer } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';

describe('account administration', () => {
  let portal: Portal;
  let agency: AgencyDocument;
  let unit: UnitDocument;
  let ilo: Officer;
  let uo: Officer;

  before(async () => {
    portal = await sharedPortal();
  });
  beforeEach(async () => {
    await theCbi();
    agency = await makeAgency();
    unit = await makeUnit(agency);
    ilo = await makeOfficer(portal, 'ilo', agency);
    uo = await makeOfficer(portal, 'uo', agency, unit);
  });

  const act = async (client: PortalClient, officer: Officer, action: string): Promise<Answer<{ enrolmentLink?: string; account?: { status: string }; error?: { code: string } }>> =>
    client.request('POST', `/api/accounts/${String(officer.account._id)}/actions`, { json: { action } });

  it('reads the account index again when a process says accounts changed, not on a timer', async function () {
    this.timeout(30_000);
    const id = String(uo.account._id);
    /** Whether the index lists the officer once it is past its age (the first call starts the check). */
    const listedAfterAge = async (): Promise<boolean> => {
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      await activeAccounts();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return (await activeAccounts()).some((account) => account.id === id);
    };
    expect((await activeAccounts()).some((account) => account.id === id)).to.equal(true);
    // Written straight to the database, as by hand: nobody moves the revision, nothing re-reads.
    await Account.updateOne({ _id: uo.account._id }, { $set: { status: 'disabled' } });
    expect(await listedAfterAge(), 'no scan of every account while the revision stands').to.equal(true);
    // What another process does after changing an account through the portal.
    await new SharedRevision('accounts').bump();
    expect(await listedAfterAge(), 'read again once the revision moved').to.equal(false);
  });

  it("lets an ILO lock and unlock one of its unit officers, and records both", async () => {
    const admin = await ilo.signIn();
    const since = await lastAuditSeq();
    expect((await act(admin, uo, 'lock')).body.account?.status).to.equal('locked');
    expect((await new PortalClient(portal.url).signIn(uo.username, uo.password, await uo.freshCode())).status).to.equal(423);
    expect((await act(admin, uo, 'unlock')).body.account?.status).to.equal('active');
    await uo.signIn();
    const actions = (await auditSince(since, { 'actor.username': ilo.username })).map((record) => record.action);
    expect(actions).to.deep.equal(['account.lock', 'account.unlock']);
  });

  it('refuses an action that does not fit the account state, with a clear conflict', async () => {
    const admin = await ilo.signIn();
    const answer = await act(admin, uo, 'unlock');
    expect(answer.status).to.equal(409);
    expect(answer.body.error?.code).to.equal('account-state-conflict');
  });

  it("disabling an officer ends their sessions and closes their open socket within 5 seconds", async () => {
    const officerBrowser = await uo.signIn();
    const socket = await officerBrowser.socket();
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const admin = await ilo.signIn();
    const started = Date.now();
    expect((await act(admin, uo, 'disable')).status).to.equal(200);
    expect(await closed).to.equal('io server disconnect');
    expect(Date.now() - started).to.be.below(5000);
    expect((await officerBrowser.request('GET', '/api/directory')).status).to.equal(401);
    expect((await new PortalClient(portal.url).signIn(uo.username, uo.password, await uo.freshCode())).status).to.equal(401);
  });

  it('re-enrolling clears the password and MFA and issues a new link', async () => {
    const admin = await ilo.signIn();
    const answer = await act(admin, uo, 're-enrol');
    expect(answer.status).to.equal(200);
    expect(answer.body.enrolmentLink).to.match(/\/enrol#[A-Za-z0-9_-]{43}$/);
    const account = await Account.findById(uo.account._id).lean();
    expect(account?.status).to.equal('invited');
    expect(account?.signInHash).to.equal(undefined);
    expect(account?.totpSealed).to.equal(undefined);
    expect((await new PortalClient(portal.url).signIn(uo.username, uo.password, await uo.freshCode())).status).to.equal(401);
  });

  it('lets an NCB administrator create an agency, a unit in it, and its ILO', async () => {
    const cbiAdmin = await (await makeOfficer(portal, 'ncb-admin', await theCbi())).signIn();
    const code = `Z${Date.now().toString(36).toUpperCase().slice(-6)}`;
    const created = await cbiAdmin.request<{ id: string }>('POST', '/api/agencies', { json: { code, name: 'Test Customs Police', type: 'central' } });
    expect(created.status).to.equal(201);
    const duplicate = await cbiAdmin.request<{ error: { code: string } }>('POST', '/api/agencies', { json: { code, name: 'Again', type: 'central' } });
    expect(duplicate.status).to.equal(409);
    const newUnit = await cbiAdmin.request<{ code: string }>('POST', `/api/agencies/${created.body.id}/units`, {
      json: { code: 'HQ', name: 'Headquarters', kind: 'headquarters', city: 'New Delhi' },
    });
    expect(newUnit.status).to.equal(201);
    expect(newUnit.body.code).to.equal(`${code}-HQ`);
    const newIlo = await cbiAdmin.request('POST', '/api/accounts', {
      json: { username: `ilo.${code.toLowerCase()}`, displayName: 'New ILO', role: 'ilo', agencyId: created.body.id },
    });
    expect(newIlo.status).to.equal(201);
  });

  it('checks that a unit officer belongs to a unit of the same agency', async () => {
    const admin = await ilo.signIn();
    const otherAgencyUnit = await makeUnit(await makeAgency());
    const noUnit = await admin.request<{ error: { details: { field: string }[] } }>('POST', '/api/accounts', {
      json: { username: 'uo.nounit', displayName: 'No Unit', role: 'uo', agencyId: String(agency._id) },
    });
    expect(noUnit.status).to.equal(403, 'an ILO may create only UOs with a unit');
    const wrongUnit = await admin.request<{ error: { details: { field: string }[] } }>('POST', '/api/accounts', {
      json: { username: 'uo.wrongunit', displayName: 'Wrong Unit', role: 'uo', agencyId: String(agency._id), unitId: String(otherAgencyUnit._id) },
    });
    expect(wrongUnit.status).to.equal(400);
    expect(wrongUnit.body.error.details[0]?.field).to.equal('unitId');
  });
});
