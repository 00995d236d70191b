import { expect } from 'chai';
import * as openpgp from 'openpgp';
import { advanceClockForTests } from '../../../server/clock.js';
import { generateOfficerKey, type OfficerKeyPair } from '../../../server/crypto/client.js';
import { deriveSecrets, type KdfParameters } from '../../../server/crypto/kdf.js';
import type { Portal } from '../../../server/portal.js';
import type { AgencyDocument, UnitDocument } from '../../../server/modules/organisation/organisation.model.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { PortalClient, totpCode } from '../../support/client.js';
import { makeAgency, makeOfficer, makeUnit, tag, theCbi, type Officer } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';

interface Offer {
  username: string;
  kdf: KdfParameters;
  totp: { secret: string; uri: string; qrSvg: string };
}

/** What the enrolment page sends: the derived sign-in secret and a new key under the derived passphrase. */
async function enrolmentSecrets(password: string, offer: Offer, options: { name?: string } = {}): Promise<{ signInSecret: string } & Pick<OfficerKeyPair, 'publicKey' | 'encryptedPrivateKey'>> {
  const { signInSecret, keyPassphrase } = await deriveSecrets(password, offer.kdf);
  const key = await generateOfficerKey({ name: options.name ?? 'Rekha Menon', username: offer.username, passphrase: keyPassphrase });
  return { signInSecret, publicKey: key.publicKey, encryptedPrivateKey: key.encryptedPrivateKey };
}

describe('onboarding and enrolment', () => {
  let portal: Portal;
  let agency: AgencyDocument;
  let unit: UnitDocument;
  let ilo: Officer;

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
  });
  beforeEach(async () => {
    agency = await makeAgency();
    unit = await makeUnit(agency);
    ilo = await makeOfficer(portal, 'ilo', agency);
  });

  /** The ILO creates a UO account; returns the username and the token from the one-time link. */
  async function inviteUnitOfficer(): Promise<{ username: string; token: string; link: string }> {
    const client = await ilo.signIn();
    const username = `uo.${tag().toLowerCase()}`;
    const created = await client.request<{ enrolmentLink: string; account: { status: string } }>('POST', '/api/accounts', {
      json: { username, displayName: 'Rekha Menon', designation: 'SP', role: 'uo', agencyId: String(agency._id), unitId: String(unit._id) },
    });
    expect(created.status).to.equal(201);
    expect(created.body.account.status).to.equal('invited');
    const link = created.body.enrolmentLink;
    return { username, link, token: link.split('#')[1] ?? '' };
  }

  it('lets an ILO invite a unit officer, who sets a password and MFA from the link and signs in', async () => {
    const { username, token, link } = await inviteUnitOfficer();
    expect(link).to.match(/^http:\/\/127\.0\.0\.1:\d+\/enrol#[A-Za-z0-9_-]{43}$/);
    const since = await lastAuditSeq();

    const newcomer = new PortalClient(portal.url);
    const offer = await newcomer.request<Offer>('POST', '/api/enrolment/lookup', { json: { token } });
    expect(offer.status).to.equal(200);
    expect(offer.body.username).to.equal(username);
    expect(offer.body.totp.uri).to.match(/^otpauth:\/\/totp\/Bharatpol%20Hub:/);
    expect(offer.body.totp.qrSvg).to.match(/^<svg/);

    const password = 'copper falcon meadow 19';
    const secrets = await enrolmentSecrets(password, offer.body);
    const enrolCode = await totpCode(offer.body.totp.secret);
    const done = await newcomer.request<{ recoveryCodes: string[] }>('POST', '/api/enrolment/complete', {
      json: { token, ...secrets, code: enrolCode },
    });
    expect(done.status).to.equal(200);
    expect(done.body.recoveryCodes).to.have.length(10);
    expect(new Set(done.body.recoveryCodes).size).to.equal(10);

    const actions = (await auditSince(since)).map((record) => record.action);
    expect(actions).to.include.members(['account.enrolled', 'mfa.enrolled', 'key.registered']);

    const sameStep = await newcomer.signIn(username, password, enrolCode);
    expect(sameStep.status, 'the enrolment code cannot be replayed to sign in').to.equal(401);
    advanceClockForTests(30_000);
    const signedIn = await newcomer.signIn(username, password, await totpCode(offer.body.totp.secret));
    expect(signedIn.status).to.equal(200);
  });

  it('works once: a used link is refused', async () => {
    const { token } = await inviteUnitOfficer();
    const client = new PortalClient(portal.url);
    const offer = await client.request<Offer>('POST', '/api/enrolment/lookup', { json: { token } });
    const body = { token, ...(await enrolmentSecrets('copper falcon meadow 19', offer.body)), code: await totpCode(offer.body.totp.secret) };
    expect((await client.request('POST', '/api/enrolment/complete', { json: body })).status).to.equal(200);
    const again = await client.request<{ error: { code: string } }>('POST', '/api/enrolment/complete', { json: body });
    expect(again.status).to.equal(404);
    expect(again.body.error.code).to.equal('enrolment-link-invalid');
  });

  it('refuses an enrolment link after 24 hours', async () => {
    const { token } = await inviteUnitOfficer();
    advanceClockForTests(24 * 60 * 60_000 + 1000);
    const answer = await new PortalClient(portal.url).request<{ error: { code: string } }>('POST', '/api/enrolment/lookup', { json: { token } });
    expect(answer.status).to.equal(410);
    expect(answer.body.error.code).to.equal('enrolment-link-expired');
  });

  it('refuses a wrong first code and keeps the link usable', async () => {
    const { token } = await inviteUnitOfficer();
    const client = new PortalClient(portal.url);
    const offer = await client.request<Offer>('POST', '/api/enrolment/lookup', { json: { token } });
    const secrets = await enrolmentSecrets('copper falcon meadow 19', offer.body);
    const wrong = await client.request<{ error: { code: string } }>('POST', '/api/enrolment/complete', {
      json: { token, ...secrets, code: '000000' === (await totpCode(offer.body.totp.secret)) ? '111111' : '000000' },
    });
    expect(wrong.status).to.equal(400);
    expect(wrong.body.error.code).to.equal('code-invalid');
    expect((await client.request('POST', '/api/enrolment/lookup', { json: { token } })).status).to.equal(200);
  });

  it('refuses a malformed or unknown token without saying more', async () => {
    const client = new PortalClient(portal.url);
    expect((await client.request('POST', '/api/enrolment/lookup', { json: { token: 'short' } })).status).to.equal(400);
    const unknown = await client.request<{ error: { code: string } }>('POST', '/api/enrolment/lookup', { json: { token: 'A'.repeat(43) } });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('enrolment-link-invalid');
  });

  it('refuses keys that break the key policy, and keeps the link usable', async () => {
    const { username, token } = await inviteUnitOfficer();
    const client = new PortalClient(portal.url);
    const offer = (await client.request<Offer>('POST', '/api/enrolment/lookup', { json: { token } })).body;
    const good = await enrolmentSecrets('copper falcon meadow 19', offer);
    const code = await totpCode(offer.totp.secret);
    const { publicKey: strangerKey } = await generateOfficerKey({ name: 'Someone Else', username: 'someone.else', passphrase: 'x' });
    const rsa = await openpgp.generateKey({ type: 'rsa', rsaBits: 2048, userIDs: [{ email: `${username}@officers.bharatpol.invalid` }], passphrase: 'x', format: 'armored' });
    const plainPrivate = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: `${username}@officers.bharatpol.invalid` }], format: 'armored' });
    const attempts: [string, Record<string, string>][] = [
      ['a private key sent as the public key', { publicKey: good.encryptedPrivateKey }],
      ['a key for another user id', { publicKey: strangerKey }],
      ['a weak RSA-2048 key', { publicKey: rsa.publicKey, encryptedPrivateKey: rsa.privateKey }],
      ['a private key without a passphrase', { publicKey: plainPrivate.publicKey, encryptedPrivateKey: plainPrivate.privateKey }],
      ['a private key that does not match', { encryptedPrivateKey: (await enrolmentSecrets('another password here', offer)).encryptedPrivateKey }],
    ];
    for (const [what, override] of attempts) {
      const answer = await client.request<{ error: { code: string } }>('POST', '/api/enrolment/complete', { json: { token, ...good, code, ...override } });
      expect(answer.status, what).to.equal(400);
      expect(answer.body.error.code, what).to.be.oneOf(['key-refused', 'bad-request']);
    }
    expect((await client.request('POST', '/api/enrolment/complete', { json: { token, ...good, code } })).status).to.equal(200);
  });

  it('refuses a username that is taken, naming the field', async () => {
    const client = await ilo.signIn();
    const body = { username: ilo.username, displayName: 'Twin', role: 'uo', agencyId: String(agency._id), unitId: String(unit._id) };
    const answer = await client.request<{ error: { code: string; details: { field: string }[] } }>('POST', '/api/accounts', { json: body });
    expect(answer.status).to.equal(409);
    expect(answer.body.error.code).to.equal('username-taken');
    expect(answer.body.error.details[0]?.field).to.equal('username');
  });
});
