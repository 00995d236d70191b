import { expect } from 'chai';
import type { Portal } from '../../server/portal.js';
import type { PortalClient } from '../support/client.js';
import { makeAgency, makeOfficer, theCbi } from '../support/fixtures.js';
import { sharedPortal } from '../support/portal.js';

describe('cross-site request forgery', () => {
  let portal: Portal;
  let admin: PortalClient;
  const agencyBody = () => ({ code: `C${Date.now().toString(36).toUpperCase().slice(-7)}`, name: 'Forged agency', type: 'central' });

  before(async () => {
    portal = await sharedPortal();
    admin = await (await makeOfficer(portal, 'ncb-admin', await theCbi())).signIn();
    await makeAgency();
  });

  it('refuses a state-changing request without the session’s CSRF token', async () => {
    const answer = await admin.request<{ error: { code: string } }>('POST', '/api/agencies', {
      json: agencyBody(),
      headers: { 'x-csrf-token': '' },
    });
    expect(answer.status).to.equal(403);
    expect(answer.body.error.code).to.equal('csrf-token-invalid');
  });

  it('refuses a wrong CSRF token', async () => {
    const answer = await admin.request('POST', '/api/agencies', { json: agencyBody(), headers: { 'x-csrf-token': 'x'.repeat(43) } });
    expect(answer.status).to.equal(403);
  });

  it('refuses a request from another origin even with the right token', async () => {
    const answer = await admin.request<{ error: { code: string } }>('POST', '/api/agencies', {
      json: agencyBody(),
      headers: { origin: 'https://evil.example' },
    });
    expect(answer.status).to.equal(403);
    expect(answer.body.error.code).to.equal('origin-refused');
  });

  it('accepts the same request with the token from the same origin', async () => {
    const answer = await admin.request('POST', '/api/agencies', { json: agencyBody(), headers: { origin: `http://localhost:${portal.port}` } });
    expect(answer.status).to.equal(201);
  });

  it('marks pages and API answers not to be stored', async () => {
    const answer = await admin.request('GET', '/api/directory');
    expect(answer.headers.get('cache-control')).to.equal('no-store');
  });
});
