import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../server/demo/seed.js';
import { PortalClient, totpCode } from '../support/client.js';
import { eventually, isAlive, spawnServer, type ServerProcess } from '../support/server-process.js';

/** Boots `server/main.ts` on the embedded database in `dataDir` and waits until it listens. */
async function bootServer(
  dataDir: string,
  environment: Record<string, string> = {},
  options: { detached?: boolean } = {},
): Promise<{ server: ServerProcess; url: string; databasePid: number; databaseUri: string }> {
  const server = spawnServer({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '3000', ...environment }, options);
  const ready = await server.waitForLog((line) => line['msg'] === 'embedded database ready');
  const listening = await server.waitForLog((line) => line['msg'] === 'listening');
  return {
    server,
    url: String(listening['url']),
    databasePid: Number(ready['pid']),
    databaseUri: String(ready['uri']),
  };
}

describe('process lifecycle', function () {
  this.timeout(90_000);
  let dataDir: string;
  const running: ServerProcess[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-lifecycle-'));
  });
  afterEach(async () => {
    for (const server of running.splice(0)) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('boots on the embedded database with demo data, answers /readyz 200, and on SIGTERM exits 0 leaving no database child', async () => {
    const { server, url, databasePid } = await bootServer(dataDir, { DEMO_DATA: 'true' });
    running.push(server);
    expect(isAlive(databasePid)).to.equal(true);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).to.equal(200);
    expect(server.logs.find((line) => line['msg'] === 'demo data loaded')).to.include({ agencies: 52, units: 508 });

    const officer = new PortalClient(url);
    const signedIn = await officer.signIn('ilo.mh', DEMO_PASSWORD, await totpCode(DEMO_TOTP_SECRET));
    expect(signedIn.status).to.equal(200);
    // The demo references: Maharashtra's, in most states, made over months and signed at each step.
    type Row = { id: string; status: string; direction: string; overdue: boolean; movedAt: string };
    const agencyQueue = await officer.request<{ items: Row[] }>('GET', '/api/references?queue=agency&limit=100');
    const states = new Set(agencyQueue.body.items.map((row) => row.status));
    expect([...states]).to.include.members(['at-cbi', 'abroad', 'answered', 'closed', 'at-ilo', 'at-unit']);
    expect(new Set(agencyQueue.body.items.map((row) => row.direction))).to.have.keys('outgoing', 'incoming');
    const moves = agencyQueue.body.items.map((row) => Date.parse(row.movedAt));
    expect(Math.max(...moves) - Math.min(...moves), 'months of history').to.be.greaterThan(60 * 86_400_000);
    const oldest = agencyQueue.body.items.find((row) => row.status === 'closed' && row.direction === 'outgoing')!;
    const timeline = await officer.request<{ steps: { signed: { signature: string } }[]; clocks: Record<string, number> }>('GET', `/api/references/${oldest.id}`);
    expect(timeline.body.steps.length).to.be.greaterThan(3);
    expect(timeline.body.steps.every((step) => step.signed.signature.includes('BEGIN PGP SIGNATURE'))).to.equal(true);
    expect(timeline.body.clocks['abroad'], 'time spent abroad, in days').to.be.greaterThan(86_400_000);

    // The demo notice requests: several kinds in several states, photographs attached, every step signed.
    const desk = new PortalClient(url);
    expect((await desk.signIn('cbi.officer', DEMO_PASSWORD, await totpCode(DEMO_TOTP_SECRET))).status).to.equal(200);
    type NoticeRow = { id: string; kind: string; type: string; status: string; warnings: number; movedAt: string };
    const national = (await desk.request<{ items: NoticeRow[] }>('GET', '/api/notices?queue=national&limit=100')).body.items;
    expect(new Set(national.map((row) => row.status))).to.include.keys('published', 'circulated', 'at-gs', 'refused', 'withdrawn', 'suspended', 'rejected', 'at-cbi', 'information-requested');
    expect(new Set(national.map((row) => row.kind))).to.include.keys('red', 'yellow', 'black', 'green', 'silver', 'purple', 'orange');
    expect(national.some((row) => row.type === 'diffusion')).to.equal(true);
    expect(national.some((row) => row.warnings > 0), 'an Article 3 warning acknowledged on the way').to.equal(true);
    const noticeMoves = national.map((row) => Date.parse(row.movedAt));
    expect(Math.max(...noticeMoves) - Math.min(...noticeMoves), 'months of notice history').to.be.greaterThan(60 * 86_400_000);
    const published = national.find((row) => row.status === 'withdrawn')!;
    const request = (await desk.request<{ attachments: string[]; steps: { decision: string; signed: { statement: string } }[] }>('GET', `/api/notices/${published.id}`)).body;
    expect(request.attachments, 'its photograph').to.have.length(1);
    expect(request.steps.map((step) => step.decision)).to.deep.equal(['submitted', 'forwarded', 'sent-to-gs', 'published', 'withdrawn']);
    expect(request.steps[0]!.signed.statement).to.match(/\nSealed content: sha256:[0-9a-f]{64}\n/);
    // Maharashtra's ILO sees Maharashtra's requests (its own and its units'), not Delhi's or NIA's.
    const ours = (await officer.request<{ items: NoticeRow[] }>('GET', '/api/notices?queue=agency&limit=100')).body.items;
    expect(ours.length).to.be.within(4, national.length - 3);
    expect(new Set(ours.map((row) => row.kind))).to.include.keys('red', 'yellow', 'green', 'silver');
    const settings = (await officer.request<{ requiredCourse: string; training: { valid: boolean } }>('GET', '/api/notices/settings')).body;
    expect(settings, 'the training requirement is on in the demo, and the ILO holds the certificate').to.deep.include({ requiredCourse: 'NOTICES-101', training: settings.training });
    expect(settings.training.valid).to.equal(true);
    const socket = await officer.socket();
    const told = new Promise<number>((resolve) => socket.once('system:shutdown', (p: { reconnectAfterMs: number }) => resolve(p.reconnectAfterMs)));
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));

    server.child.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    expect(await told).to.be.a('number');
    await disconnected;
    expect(isAlive(databasePid)).to.equal(false);
    expect(server.logs.map((line) => line['msg'])).to.include.members(['shutting down', 'embedded database exited', 'stopped']);
  });

  it('keeps every acknowledged write across a SIGTERM and restart on the same data folder', async () => {
    const first = await bootServer(dataDir);
    running.push(first.server);
    const client = await MongoClient.connect(first.databaseUri);
    const written = Array.from({ length: 2000 }, (_, i) => ({ i, marker: `row-${i}` }));
    await client.db('bharatpol').collection('durability').insertMany(written);
    await client.close();
    first.server.child.kill('SIGTERM');
    expect(await first.server.exited).to.equal(0);

    const second = await bootServer(dataDir);
    running.push(second.server);
    const again = await MongoClient.connect(second.databaseUri);
    const collection = again.db('bharatpol').collection('durability');
    expect(await collection.countDocuments()).to.equal(2000);
    expect(await collection.findOne({ i: 1999 })).to.include({ marker: 'row-1999' });
    await again.close();
  });

  it('leaves no database child behind even when the server is killed with SIGKILL', async () => {
    const { server, databasePid } = await bootServer(dataDir);
    running.push(server);
    server.child.kill('SIGKILL');
    await server.exited;
    expect(await eventually(() => !isAlive(databasePid), 5000)).to.equal(true);
  });

  it('on a Ctrl-C in its terminal (SIGINT to its process group), stops cleanly, the database last', async () => {
    const { server, databasePid } = await bootServer(dataDir, {}, { detached: true });
    running.push(server);
    const groupOf = (pid: number): number => Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    // The database is out of the terminal's process group: the Ctrl-C reaches the portal alone.
    expect(groupOf(databasePid)).to.not.equal(groupOf(server.child.pid!));
    process.kill(-server.child.pid!, 'SIGINT');
    expect(await server.exited).to.equal(0);
    expect(await eventually(() => !isAlive(databasePid), 5000)).to.equal(true);
    const messages = server.logs.map((line) => line['msg']);
    expect(messages).to.include.members(['shutting down', 'embedded database exited', 'stopped']);
    expect(messages).to.not.include('embedded database exited unexpectedly; restarting it');
  });

  it("ignores a service manager's SIGTERM, SIGINT and SIGHUP to the database: it stops when the portal has drained", async () => {
    const { server, url, databasePid } = await bootServer(dataDir, {}, { detached: true });
    running.push(server);
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.kill(databasePid, signal);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(isAlive(databasePid)).to.equal(true);
    expect((await fetch(`${url}/readyz`)).status).to.equal(200);
    process.kill(server.child.pid!, 'SIGTERM');
    expect(await server.exited).to.equal(0);
    expect(await eventually(() => !isAlive(databasePid), 5000)).to.equal(true);
    expect(server.logs.map((line) => line['msg'])).to.not.include('embedded database exited unexpectedly; restarting it');
  });

  it('restarts the embedded database when it dies, on the same port and data, and is ready again within seconds', async () => {
    const { server, url, databasePid, databaseUri } = await bootServer(dataDir);
    running.push(server);
    const before = await MongoClient.connect(databaseUri);
    await before.db('bharatpol').collection('durability').insertOne({ marker: 'before the crash' });
    await before.close();
    const killed = performance.now();
    process.kill(databasePid, 'SIGKILL');
    const restarted = await server.waitForLog((line) => line['msg'] === 'embedded database restarted', 30_000);
    expect(Number(restarted['pid'])).to.not.equal(databasePid);
    expect(Number(restarted['downMs'])).to.be.below(10_000);
    // Ready again once the driver has reconnected.
    const ready = async (): Promise<boolean> => (await fetch(`${url}/readyz`)).status === 200;
    let readyAgain = false;
    for (let tries = 0; tries < 100 && !readyAgain; tries += 1) {
      readyAgain = await ready();
      if (!readyAgain) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(readyAgain).to.equal(true);
    console.log(`      embedded database killed: restarted in ${Number(restarted['downMs'])} ms, portal ready again after ${Math.round(performance.now() - killed)} ms`);
    const after = await MongoClient.connect(databaseUri);
    expect(await after.db('bharatpol').collection('durability').findOne({ marker: 'before the crash' })).to.not.equal(null);
    await after.close();
  });

  for (const [variable, value] of [
    ['PORT', 'eighty'],
    ['MONGODB_URI', 'http://db.example:27017'],
  ] as const) {
    it(`stops at boot with one line naming ${variable} when it is wrong`, async () => {
      const server = spawnServer({ [variable]: value, DATA_DIR: dataDir });
      running.push(server);
      expect(await server.exited).to.equal(78);
      const lines = server.stderr().trim().split('\n');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(new RegExp(`^Configuration error: ${variable}: `));
    });
  }
});
