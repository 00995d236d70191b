import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { AuditRecord } from '../../../server/modules/audit/audit.model.js';
import { verifyAuditChain } from '../../../server/modules/audit/audit.service.js';
import { projectRoot } from '../../../server/paths.js';
import type { Portal } from '../../../server/portal.js';
import { lastAuditSeq } from '../../support/audit.js';
import { PortalClient } from '../../support/client.js';
import { makeAgency, makeOfficer, theCbi, type Officer } from '../../support/fixtures.js';
import { sharedPortal, testConfig } from '../../support/portal.js';

/** Runs `npm run audit:verify`'s script against the shared portal's database. */
function runVerifyCommand(portal: Portal): Promise<{ code: number | null; output: string }> {
  const config = testConfig();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'verify-audit.ts')], {
      cwd: projectRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        NODE_ENV: 'test',
        MONGODB_URI: config.database.uri ?? '',
        MONGODB_DB: portal.database.connection.name,
        APP_SECRET: config.appSecret ?? '',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('audit log', () => {
  let portal: Portal;
  let auditor: Officer;
  let ilo: Officer;

  before(async () => {
    portal = await sharedPortal();
    auditor = await makeOfficer(portal, 'auditor', await theCbi());
    ilo = await makeOfficer(portal, 'ilo', await makeAgency());
  });

  it('records who, what, when, from where and the outcome, chained to the record before', async () => {
    const since = await lastAuditSeq();
    await new PortalClient(portal.url).signIn(ilo.username, 'certainly not the password', await ilo.freshCode());
    const record = await AuditRecord.findOne({ seq: since + 1 }).lean();
    const previous = await AuditRecord.findOne({ seq: since }).lean();
    expect(record).to.include({ action: 'auth.sign-in', outcome: 'failure' });
    expect(record?.actor?.username).to.equal(ilo.username);
    expect(record?.ip).to.be.a('string');
    expect(record?.userAgent).to.be.a('string');
    expect(record?.at).to.be.instanceOf(Date);
    expect(record?.prevHash).to.equal(previous?.hash ?? '0'.repeat(64));
    expect(record?.hash).to.match(/^[0-9a-f]{64}$/);
  });

  it('keeps one unbroken chain when many events are recorded at once', async () => {
    await Promise.all(
      Array.from({ length: 20 }, async () => new PortalClient(portal.url).request('POST', '/api/auth/sign-in', {
        json: { username: ilo.username, signInSecret: 'B'.repeat(43), code: '123456' },
      })),
    );
    expect(await verifyAuditChain()).to.deep.include({ intact: true });
  });

  it('lets an auditor read and filter the log, newest first, page by page', async () => {
    const client = await auditor.signIn();
    const answer = await client.request<{ records: { seq: number; action: string; actor: string }[]; nextBefore?: number }>(
      'GET',
      `/api/audit?action=auth.sign-in&username=${ilo.username}`,
    );
    expect(answer.status).to.equal(200);
    expect(answer.body.records.length).to.be.greaterThan(0);
    expect(answer.body.records.every((record) => record.action === 'auth.sign-in' && record.actor === ilo.username)).to.equal(true);
    const seqs = answer.body.records.map((record) => record.seq);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => b - a));
    const page = await client.request<string>('GET', `/audit?username=${ilo.username}`, { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(200);
    expect(page.body).to.include('auth.sign-in');
  });

  it('has the verify command name the first tampered record, and pass again once it is restored', async function () {
    this.timeout(60_000);
    expect((await runVerifyCommand(portal)).code).to.equal(0);
    const victim = await AuditRecord.findOne({ action: 'auth.sign-in', outcome: 'failure' }).sort({ seq: 1 }).lean();
    if (!victim) throw new Error('no record to tamper with');
    await AuditRecord.collection.updateOne({ _id: victim._id }, { $set: { outcome: 'success' } });
    try {
      const broken = await runVerifyCommand(portal);
      expect(broken.code).to.equal(1);
      expect(broken.output).to.include(`BROKEN at record ${victim.seq} (id ${String(victim._id)})`);
      expect(broken.output).to.include('altered');
      const client = await auditor.signIn();
      const verdict = await client.request<{ intact: boolean; firstBroken?: { seq: number } }>('POST', '/api/audit/verify');
      expect(verdict.body).to.deep.include({ intact: false });
      expect(verdict.body.firstBroken?.seq).to.equal(victim.seq);
    } finally {
      await AuditRecord.collection.updateOne({ _id: victim._id }, { $set: { outcome: victim.outcome } });
    }
    expect((await runVerifyCommand(portal)).code).to.equal(0);
  });

  it('detects a deleted record in the middle of the chain', async () => {
    const victim = await AuditRecord.findOne({ seq: Math.max(1, (await lastAuditSeq()) - 3) }).lean();
    if (!victim) throw new Error('no record');
    await AuditRecord.collection.deleteOne({ _id: victim._id });
    try {
      const verdict = await verifyAuditChain();
      expect(verdict.intact).to.equal(false);
      expect(verdict.intact ? undefined : verdict.firstBroken.seq).to.equal(victim.seq + 1);
    } finally {
      await AuditRecord.collection.insertOne(victim);
    }
    expect(await verifyAuditChain()).to.deep.include({ intact: true });
  });
});
