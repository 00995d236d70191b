import { randomBytes } from 'node:crypto';
import type { RequestOrigin } from '../../access/actor.js';
import { ROLE_LABELS, type Role } from '../../access/roles.js';
import { now, nowMs } from '../../clock.js';
import type { KdfParameters } from '../../crypto/kdf.js';
import type { Sealer } from '../../crypto/sealed.js';
import { hashSecret } from '../../crypto/secret-hash.js';
import { AppError } from '../../errors.js';
import { accountChanged } from '../accounts/account-events.js';
import { accountByEnrolmentToken, completeEnrolment, startEnrolment, type AccountDocument } from '../accounts/account-credentials.js';
import type { AuditLog } from '../audit/audit.service.js';
import { checkOfficerKeys, registerOfficerKey } from '../../sealed/keys/keys.service.js';
import { agencyById } from '../organisation/organisation.lookups.js';
import type { EnrolmentCompleteInput } from './auth.schema.js';
import type { AuthService } from './auth.service.js';
import { matchTotp, newTotpSecret, totpEnrolment } from './totp.js';

/** How long an enrolment link stays valid. */
export const ENROLMENT_VALIDITY_MS = 24 * 60 * 60_000;

/** What the enrolment page shows and needs before the officer chooses a password. */
export interface EnrolmentOffer {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly roleLabel: string;
  readonly agencyName: string;
  readonly kdf: KdfParameters;
  readonly totp: { readonly secret: string; readonly uri: string; readonly qrSvg: string };
  readonly expiresAt: string;
}

const linkInvalid = (): AppError =>
  new AppError(404, 'enrolment-link-invalid', 'This enrolment link is not valid, or it has already been used.');
const linkExpired = (): AppError =>
  new AppError(410, 'enrolment-link-expired', 'This enrolment link has expired. Ask your administrator for a new one.');

/**
 * One-time enrolment links: an officer sets a password (in the browser; the server receives the
 * derived secret) and enrols an authenticator app, proving it with a first code.
 */
export class EnrolmentService {
  constructor(
    private readonly sealer: Sealer,
    private readonly audit: AuditLog,
    private readonly auth: AuthService,
  ) {}

  /** Starts (or restarts) enrolment for an account; returns the token for its one-time link. */
  async issue(accountId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(nowMs() + ENROLMENT_VALIDITY_MS);
    await startEnrolment(accountId, this.#tokenHash(token), expiresAt, this.sealer.seal(newTotpSecret(), `enrolment-totp:${accountId}`));
    return { token, expiresAt };
  }

  /** What the enrolment page needs for a valid, unexpired link. */
  async offer(token: string): Promise<EnrolmentOffer> {
    const account = await this.#pending(token);
    const agency = await agencyById(account.agency);
    const secret = this.#enrolmentSecret(account);
    return {
      username: account.username,
      displayName: account.displayName,
      role: account.role,
      roleLabel: ROLE_LABELS[account.role],
      agencyName: agency?.name ?? '',
      kdf: { algorithm: 'pbkdf2-sha256', salt: account.kdfSalt, iterations: account.kdfIterations },
      totp: { secret, ...(await totpEnrolment(secret, account.username)) },
      expiresAt: (account.enrolmentExpiresAt ?? now()).toISOString(),
    };
  }

  /**
   * Completes enrolment: checks the first authenticator code, stores the argon2id hash of the
   * sign-in secret, activates the account, and returns ten recovery codes to show once. The link
   * is consumed by a conditional update, so it works exactly once.
   */
  async complete(input: EnrolmentCompleteInput, origin: RequestOrigin): Promise<{ username: string; recoveryCodes: string[] }> {
    const account = await this.#pending(input.token);
    const secret = this.#enrolmentSecret(account);
    const step = await matchTotp(secret, input.code, Math.floor(nowMs() / 1000), -1);
    if (step === undefined) {
      await this.audit.record({
        action: 'mfa.enrolled',
        outcome: 'failure',
        actor: { username: account.username },
        origin,
        details: { reason: 'wrong-code' },
      });
      throw new AppError(400, 'code-invalid', 'That code does not match. Check the time on your phone and enter a fresh code.');
    }
    const accountId = String(account._id);
    // Keys are checked before the link is consumed, so a refused key leaves the link usable.
    const keys = await checkOfficerKeys(account.username, input);
    const activated = await completeEnrolment(accountId, this.#tokenHash(input.token), {
      signInHash: await hashSecret(input.signInSecret),
      totpSealed: this.sealer.seal(secret, `totp:${accountId}`),
      totpLastStep: step,
    });
    if (!activated) throw linkInvalid();
    const key = await registerOfficerKey(accountId, keys);
    // Announced once the key is there: colleagues' browsers are asked to share group keys with it.
    await accountChanged({ accountId, change: 'activated' });
    const recoveryCodes = await this.auth.issueRecoveryCodes(accountId);
    const actor = { username: account.username };
    const target = { type: 'account', id: accountId, label: account.username };
    await this.audit.record({ action: 'account.enrolled', outcome: 'success', actor, origin, target });
    await this.audit.record({ action: 'mfa.enrolled', outcome: 'success', actor, origin, target, details: { recoveryCodes: recoveryCodes.length } });
    await this.audit.record({ action: 'key.registered', outcome: 'success', actor, origin, target: { ...target, label: key.fingerprint } });
    return { username: account.username, recoveryCodes };
  }

  async #pending(token: string): Promise<AccountDocument> {
    const account = await accountByEnrolmentToken(this.#tokenHash(token));
    if (!account || account.status !== 'invited' || !account.enrolmentTotpSealed) throw linkInvalid();
    if (!account.enrolmentExpiresAt || account.enrolmentExpiresAt.getTime() <= nowMs()) throw linkExpired();
    return account;
  }

  #enrolmentSecret(account: AccountDocument): string {
    return this.sealer.unseal(account.enrolmentTotpSealed ?? '', `enrolment-totp:${String(account._id)}`);
  }

  #tokenHash(token: string): string {
    return this.sealer.mac(`enrolment:${token}`).toString('hex');
  }
}
