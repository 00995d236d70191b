import { expect } from 'chai';
import type { Portal } from '../../server/portal.js';
import { sharedPortal } from '../support/portal.js';

describe('HTTP foundation', () => {
  let portal: Portal;
  before(async () => {
    portal = await sharedPortal();
  });

  it('answers /healthz while the process is up', async () => {
    const response = await fetch(`${portal.url}/healthz`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.include({ status: 'ok' });
    expect(response.headers.get('cache-control')).to.equal('no-store');
  });

  it('answers /readyz 200 when the database responds', async () => {
    const response = await fetch(`${portal.url}/readyz`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: 'ready', database: { kind: 'ferretdb', reachable: true } });
  });

  it('sends a strict Content Security Policy and the other security headers on pages', async () => {
    const response = await fetch(`${portal.url}/`);
    expect(response.status).to.equal(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.include("object-src 'none'");
    expect(csp).to.include("frame-ancestors 'none'");
    expect(csp).not.to.include('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(response.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(response.headers.get('x-powered-by')).to.equal(null);
    expect(response.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('renders the home page in the layout with the system-use notice', async () => {
    const html = await (await fetch(`${portal.url}/`)).text();
    expect(html).to.include('System-use notice');
    expect(html).to.include('INTERPOL Notices');
    expect(html).to.include('href="/sign-in"');
  });

  it('answers an unknown path with 404 in JSON for API clients and as a page for browsers', async () => {
    const api = await fetch(`${portal.url}/api/nothing-here`);
    expect(api.status).to.equal(404);
    expect(await api.json()).to.deep.equal({ error: { code: 'page-not-found', message: 'No such page.' } });
    const page = await fetch(`${portal.url}/nothing-here`, { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(404);
    expect(await page.text()).to.include('page-not-found');
  });

  it('refuses malformed JSON with 400 and a stable code', async () => {
    const response = await fetch(`${portal.url}/api/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"officer": ',
    });
    expect(response.status).to.equal(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('malformed-body');
  });

  it('refuses a body over the size limit with 413 and keeps serving', async () => {
    const response = await fetch(`${portal.url}/api/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ blob: 'x'.repeat(200 * 1024) }),
    });
    expect(response.status).to.equal(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('payload-too-large');
    expect((await fetch(`${portal.url}/healthz`)).status).to.equal(200);
  });

  it('serves static files without directory listings or dotfiles', async () => {
    expect((await fetch(`${portal.url}/css/app.css`)).status).to.equal(200);
    expect((await fetch(`${portal.url}/css/`)).status).to.equal(404);
    expect((await fetch(`${portal.url}/%2e%2e/package.json`)).status).to.be.oneOf([400, 404]);
  });
});
