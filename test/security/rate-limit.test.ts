import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { spawnServer, type ServerProcess } from '../support/server-process.js';

describe('rate limit on sign-in', function () {
  this.timeout(60_000);
  let dataDir: string;
  let server: ServerProcess | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-ratelimit-'));
  });
  after(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('slows password spraying from one address with 429 after the per-minute limit', async () => {
    server = spawnServer({ PORT: '0', DATA_DIR: dataDir, SIGN_IN_RATE_LIMIT: '5', LOG_LEVEL: 'info' });
    const listening = await server.waitForLog((line) => line['msg'] === 'listening');
    const url = String(listening['url']);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const response = await fetch(`${url}/api/auth/kdf`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `spray.${attempt}` }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('too-many-requests');
        expect(response.headers.get('ratelimit-policy')).to.match(/5/);
      }
    }
    expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429, 429]);
    expect((await fetch(`${url}/healthz`)).status, 'other endpoints unaffected').to.equal(200);
  });
});
