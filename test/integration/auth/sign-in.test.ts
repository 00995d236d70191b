import { expect } from 'chai';
import { advanceClockForTests, nowMs } from '../../../server/clock.js';
import { hashSessionId, SessionStore } from '../../../server/sessions/session.service.js';
import { Session } from '../../../server/sessions/session.model.js';
import { Account } from '../../../server/modules/accounts/account.model.js';
import type { Portal } from '../../../server/portal.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { PortalClient } from '../../support/client.js';
import { makeAgency, makeOfficer, makeUnit, theCbi, type Officer } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';
import { eventually } from '../../support/server-process.js';

describe('sign-in with password and TOTP', () => {
  let portal: Portal;
  let officer: Officer;

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
  });
  beforeEach(async () => {
    const agency = await makeAgency();
    officer = await makeOfficer(portal, 'uo', agency, await makeUnit(agency));
  });

  it('signs in with the derived secret and a fresh code, sets a __Host- cookie, and records it', async () => {
    const since = await lastAuditSeq();
    const client = new PortalClient(portal.url);
    const answer = await client.signIn(officer.username, officer.password, await officer.freshCode());
    expect(answer.status).to.equal(200);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).to.match(/^__Host-bp_session=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict$/);
    expect((await client.request('GET', '/profile', { headers: { accept: 'text/html' } })).status).to.equal(200);
    const records = await auditSince(since, { action: 'auth.sign-in', 'actor.username': officer.username });
    expect(records.map((record) => record.outcome)).to.deep.equal(['success']);
    expect(records[0]?.ip).to.be.a('string');
  });

  it('stores only a hash of the session id and an argon2id hash of the sign-in secret', async () => {
    const client = await officer.signIn();
    const sessionId = client.cookie?.split('=')[1] ?? '';
    expect(await Session.findById(sessionId).lean()).to.equal(null);
    expect(await Session.findById(hashSessionId(sessionId)).lean()).not.to.equal(null);
    const account = await Account.findById(officer.account._id).lean();
    expect(account?.signInHash).to.match(/^\$argon2id\$/);
    expect(account?.totpSealed).to.match(/^v1\./);
    expect(JSON.stringify(account)).not.to.include(officer.totpSecret);
  });

  it('answers every failure the same way, whether the username exists or not', async () => {
    const unknown = new PortalClient(portal.url);
    const noSuchUser = await unknown.signIn('nobody.here', officer.password, '123456');
    const wrongPassword = await new PortalClient(portal.url).signIn(officer.username, 'wrong wrong wrong wrong', await officer.freshCode());
    expect(noSuchUser.status).to.equal(401);
    expect(wrongPassword.status).to.equal(401);
    expect(noSuchUser.body).to.deep.equal(wrongPassword.body);
    const kdfKnown = await unknown.request<{ salt: string }>('POST', '/api/auth/kdf', { json: { username: officer.username } });
    const kdfUnknown = await unknown.request<{ salt: string }>('POST', '/api/auth/kdf', { json: { username: 'nobody.here' } });
    const kdfUnknownAgain = await unknown.request<{ salt: string }>('POST', '/api/auth/kdf', { json: { username: 'nobody.here' } });
    expect(Object.keys(kdfUnknown.body)).to.deep.equal(Object.keys(kdfKnown.body));
    expect(kdfUnknown.body.salt, 'a decoy salt is stable').to.equal(kdfUnknownAgain.body.salt);
  });

  it('refuses a TOTP code that was already used (replay)', async () => {
    const code = await officer.freshCode();
    const first = await new PortalClient(portal.url).signIn(officer.username, officer.password, code);
    const replay = await new PortalClient(portal.url).signIn(officer.username, officer.password, code);
    expect(first.status).to.equal(200);
    expect(replay.status).to.equal(401);
    expect((replay.body as { error: { code: string } }).error.code).to.equal('sign-in-failed');
  });

  it('locks the account after five failures in 15 minutes, until someone in scope unlocks it', async () => {
    const since = await lastAuditSeq();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await new PortalClient(portal.url).signIn(officer.username, 'not the password at all', await officer.freshCode());
      expect(answer.status).to.equal(401);
    }
    expect((await Account.findById(officer.account._id).lean())?.status).to.equal('locked');
    const rightCredentials = await new PortalClient(portal.url).signIn(officer.username, officer.password, await officer.freshCode());
    expect(rightCredentials.status).to.equal(423);
    expect((rightCredentials.body as { error: { code: string } }).error.code).to.equal('account-locked');
    const lockouts = await auditSince(since, { action: 'auth.lockout' });
    expect(lockouts).to.have.length(1);
    expect(lockouts[0]?.target?.label).to.equal(officer.username);
  });

  it('starts a new failure window after 15 minutes', async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await new PortalClient(portal.url).signIn(officer.username, 'not the password at all', await officer.freshCode());
    }
    advanceClockForTests(16 * 60_000);
    await new PortalClient(portal.url).signIn(officer.username, 'not the password at all', await officer.freshCode());
    expect((await Account.findById(officer.account._id).lean())?.status).to.equal('active');
  });

  it('does not keep a planted session id at sign-in (no session fixation)', async () => {
    const planted = 'PLANTEDPLANTEDPLANTEDPLANTEDPLANTEDPLANTED1';
    const client = new PortalClient(portal.url);
    client.cookie = `__Host-bp_session=${planted}`;
    const answer = await client.signIn(officer.username, officer.password, await officer.freshCode());
    expect(answer.status).to.equal(200);
    expect(client.cookie).not.to.include(planted);
    expect(await Session.findById(hashSessionId(planted)).lean()).to.equal(null);
    const attacker = new PortalClient(portal.url);
    attacker.cookie = `__Host-bp_session=${planted}`;
    expect((await attacker.request('GET', '/api/directory')).status).to.equal(401);
  });

  it('accepts each recovery code once instead of a TOTP code', async () => {
    const client = await officer.signIn();
    const regenerated = await client.request<{ recoveryCodes: string[] }>('POST', '/api/me/recovery-codes', {
      json: { code: await officer.freshCode() },
    });
    expect(regenerated.status).to.equal(200);
    expect(regenerated.body.recoveryCodes).to.have.length(10);
    const [code] = regenerated.body.recoveryCodes;
    const first = await new PortalClient(portal.url).signIn(officer.username, officer.password, code ?? '');
    const again = await new PortalClient(portal.url).signIn(officer.username, officer.password, code ?? '');
    expect(first.status).to.equal(200);
    expect(again.status).to.equal(401);
  });

  it('locks an idle session after 30 minutes and requires sign-in again after 12 hours in any case', async () => {
    const idle = await officer.signIn();
    expect((await idle.request('GET', '/api/directory')).status).to.equal(200);
    advanceClockForTests(31 * 60_000);
    const locked = await idle.request('GET', '/directory', { headers: { accept: 'text/html' } });
    expect(locked.status).to.equal(303);
    expect(locked.headers.get('location')).to.match(/^\/sign-in\?next=%2Fdirectory&reason=idle$/);

    const busy = await officer.signIn();
    // Active every 20 minutes for 11 h 40 min: never idle, still inside the 12-hour limit.
    for (let step = 1; step <= 35; step += 1) {
      advanceClockForTests(20 * 60_000);
      expect((await busy.request('GET', '/api/directory')).status, `after ${step * 20} minutes`).to.equal(200);
    }
    advanceClockForTests(21 * 60_000);
    expect((await busy.request('GET', '/api/directory')).status, 'after 12 h 1 min').to.equal(401);
  });

  it('keeps sessions alive on socket activity alone, saved in a few commands however many there are', async () => {
    const store = portal.services.sessions;
    // 150: more update statements than one command may carry on FerretDB v1.24 (99; 100 hang it).
    const sessions = await Promise.all(Array.from({ length: 150 }, () => store.create(String(officer.account._id), { ip: '127.0.0.1', userAgent: 'test' })));
    advanceClockForTests(20 * 60_000);
    for (const { sessionId } of sessions) {
      store.touch(hashSessionId(sessionId), (error) => {
        throw error;
      });
    }
    await store.saveTouches();
    advanceClockForTests(20 * 60_000);
    for (const { sessionId } of sessions) expect(await store.resolve(sessionId), '40 minutes after sign-in, 20 after activity').to.have.property('record');
    advanceClockForTests(31 * 60_000);
    expect(await store.resolve(sessions[0]!.sessionId)).to.deep.equal({ ended: 'idle' });
  });

  it('tells the live sessions among those asked about, by _id lookups or by a scan', async () => {
    for (const scansForIds of [false, true]) {
      const store = new SessionStore({ idleMinutes: 30, maxHours: 12 }, { scansForIds });
      const create = async (): Promise<string> => hashSessionId((await store.create(String(officer.account._id), { ip: '127.0.0.1', userAgent: 'test' })).sessionId);
      const [kept, signedOut, idle, notAsked] = [await create(), await create(), await create(), await create()];
      await store.destroy(signedOut);
      await Session.updateOne({ _id: idle }, { $set: { lastSeenAt: new Date(nowMs() - 31 * 60_000) } });
      const live = await store.liveAmong([kept, signedOut, idle, 'f'.repeat(64)]);
      expect([...live], `scansForIds: ${scansForIds}`).to.deep.equal([kept]);
      expect(live.has(notAsked)).to.equal(false);
    }
  });

  it('signs out: ends the session and closes its open socket within 5 seconds', async () => {
    const client = await officer.signIn();
    const socket = await client.socket();
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const started = Date.now();
    expect((await client.request('POST', '/api/auth/sign-out')).status).to.equal(200);
    expect(await closed).to.equal('io server disconnect');
    expect(Date.now() - started).to.be.below(5000);
    expect((await client.request('GET', '/api/directory')).status).to.equal(401);
  });

  it('closes sockets of a session that expired without a sign-out (periodic recheck)', async function () {
    this.timeout(40_000);
    const client = await officer.signIn();
    const socket = await client.socket();
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await Session.deleteMany({ account: officer.account._id });
    expect(await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 20_000))])).to.equal(
      'io server disconnect',
    );
    expect(await eventually(() => !socket.connected, 100)).to.equal(true);
  });
});
