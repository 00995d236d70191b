import { expect } from 'chai';
import { Account } from '../../server/modules/accounts/account.model.js';
import type { Portal } from '../../server/portal.js';
import { PortalClient } from '../support/client.js';
import { makeAgency, makeOfficer, makeUnit, theCbi, type Officer } from '../support/fixtures.js';
import { sharedPortal } from '../support/portal.js';

describe('hostile input: NoSQL operators and prototype keys', () => {
  let portal: Portal;
  let officer: Officer;
  let signedIn: PortalClient;

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
    const agency = await makeAgency();
    officer = await makeOfficer(portal, 'ilo', agency);
    signedIn = await officer.signIn();
  });

  const signInBodies: [string, unknown][] = [
    ['an operator as the username', { username: { $ne: null }, signInSecret: { $ne: null }, code: { $ne: null } }],
    ['an operator as the secret', { username: 'ilo.any', signInSecret: { $gt: '' }, code: '123456' }],
    ['a $where clause', { $where: 'return true', username: 'x', signInSecret: 'y', code: '123456' }],
    ['a regex as the username', { username: { $regex: '.*' }, signInSecret: 'A'.repeat(43), code: '123456' }],
    ['an array as the username', { username: ['a', 'b'], signInSecret: 'A'.repeat(43), code: '123456' }],
  ];
  for (const [what, body] of signInBodies) {
    it(`refuses a sign-in body with ${what} (400)`, async () => {
      const answer = await new PortalClient(portal.url).request('POST', '/api/auth/sign-in', { json: body });
      expect(answer.status).to.equal(400);
      expect(answer.headers.get('set-cookie')).to.equal(null);
    });
  }

  it('refuses a form-encoded sign-in with password[$ne]= (400, no session)', async () => {
    const answer = await new PortalClient(portal.url).request('POST', '/api/auth/sign-in', {
      raw: `username=${officer.username}&password[$ne]=&code[$ne]=`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(answer.status).to.equal(400);
    expect(answer.headers.get('set-cookie')).to.equal(null);
  });

  it('refuses the parameters look-up with an operator username', async () => {
    const answer = await new PortalClient(portal.url).request('POST', '/api/auth/kdf', { json: { username: { $ne: null } } });
    expect(answer.status).to.equal(400);
  });

  for (const query of ['q[$ne]=x', 'q[$regex]=.*', 'agencyId[$ne]=000000000000000000000000', '$where=1', 'role[]=uo&role[]=ilo']) {
    it(`refuses the directory query ${query} (400)`, async () => {
      const answer = await signedIn.request('GET', `/api/directory?${query}`);
      expect(answer.status).to.equal(400);
    });
  }

  it('treats regex characters in a search as plain text', async () => {
    const answer = await signedIn.request<{ officers: unknown[] }>('GET', `/api/directory?q=${encodeURIComponent('.*')}`);
    expect(answer.status).to.equal(200);
    expect(answer.body.officers).to.deep.equal([]);
  });

  it('lets __proto__ keys change nothing: refused, no prototype polluted, no account changed', async () => {
    const before = await Account.findById(officer.account._id).lean();
    const answer = await signedIn.request('POST', '/api/accounts', {
      raw: '{"__proto__":{"role":"ncb-admin","isAdmin":true},"constructor":{"prototype":{"polluted":true}},"username":"x"}',
    });
    expect(answer.status).to.equal(400);
    expect(({} as Record<string, unknown>)['isAdmin']).to.equal(undefined);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(({} as Record<string, unknown>)['role']).to.equal(undefined);
    const after = await Account.findById(officer.account._id).lean();
    expect(after?.role).to.equal(before?.role);
    expect(after?.updatedAt?.getTime()).to.equal(before?.updatedAt?.getTime());
    expect((await signedIn.request('GET', '/api/audit')).status, 'still not an admin or auditor').to.equal(403);
  });

  it('refuses deeply nested bodies without crashing', async () => {
    const deep = '{"a":'.repeat(50) + '1' + '}'.repeat(50);
    const answer = await signedIn.request('POST', '/api/accounts', { raw: deep });
    expect(answer.status).to.equal(400);
    expect((await signedIn.request('GET', '/healthz')).status).to.equal(200);
  });

  it('refuses a hostile path id without a database error', async () => {
    const answer = await signedIn.request('GET', `/api/accounts/${encodeURIComponent('{"$gt":""}')}`);
    expect(answer.status).to.equal(404);
  });

  it('escapes what officers typed wherever a page shows it', async () => {
    const agency = await makeAgency();
    await makeOfficer(portal, 'uo', agency, await makeUnit(agency), '<img src=x onerror=alert(1)>');
    const cbiOfficer = await (await makeOfficer(portal, 'ncb-officer', await theCbi())).signIn();
    const page = await cbiOfficer.request<string>('GET', `/directory?q=${encodeURIComponent('<img')}`, { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(200);
    expect(page.body).to.include('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(page.body).not.to.include('<img src=x');
  });
});
