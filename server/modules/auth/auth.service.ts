import { randomBytes } from 'node:crypto';
import type { Actor, RequestOrigin } from '../../access/actor.js';
import { now, nowMs } from '../../clock.js';
import { KDF_SALT_BYTES, type KdfParameters } from '../../crypto/kdf.js';
import type { Sealer } from '../../crypto/sealed.js';
import { spendVerifyTime, verifySecret } from '../../crypto/secret-hash.js';
import { AppError } from '../../errors.js';
import type { SocketTerminator } from '../../realtime/terminator.js';
import type { SessionStore } from '../../sessions/session.service.js';
import { accountChanged } from '../accounts/account-events.js';
import {
  accountByUsername,
  accountWithCredentials,
  claimTotpStep,
  countSignInFailure,
  lockAfterFailures,
  recordSignIn,
  type AccountDocument,
} from '../accounts/account-credentials.js';
import { RecoveryCode } from './recovery-code.model.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { SignInInput } from './auth.schema.js';
import { matchTotp } from './totp.js';

/** Failed attempts allowed in {@link FAILURE_WINDOW_MS} before the account locks. */
export const MAX_FAILED_SIGN_INS = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const RECOVERY_CODE_COUNT = 10;

const signInFailed = (): AppError =>
  new AppError(401, 'sign-in-failed', 'Sign-in failed. Check your username, password and code, and try again.');

/** Recovery codes: 10 characters from an alphabet without look-alikes, shown as XXXXX-XXXXX. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = Array.from(bytes, (byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Sign-in with the derived secret and a second factor, lockout, and MFA recovery codes. */
export class AuthService {
  constructor(
    private readonly sealer: Sealer,
    private readonly sessions: SessionStore,
    private readonly audit: AuditLog,
    private readonly sockets: SocketTerminator,
    private readonly kdfIterations: number,
  ) {}

  /**
   * The derivation parameters for `username`. An unknown username gets a stable decoy salt,
   * computed from the app secret, so that this answer does not reveal who has an account.
   */
  async kdfParameters(username: string): Promise<KdfParameters> {
    const account = await accountByUsername(username);
    if (account) return { algorithm: 'pbkdf2-sha256', salt: account.kdfSalt, iterations: account.kdfIterations };
    const salt = this.sealer.mac(`kdf-decoy:${username}`).subarray(0, KDF_SALT_BYTES).toString('base64url');
    return { algorithm: 'pbkdf2-sha256', salt, iterations: this.kdfIterations };
  }

  /**
   * Checks the sign-in secret and the second factor and opens a session. Every failure looks the
   * same to the client; five within 15 minutes lock the account until someone in scope unlocks it.
   * Only an officer who proves both factors learns that their account is locked.
   */
  async signIn(input: SignInInput, origin: RequestOrigin): Promise<{ sessionId: string; account: AccountDocument }> {
    const account = await accountByUsername(input.username);
    const fail = async (reason: string): Promise<never> => {
      await this.audit.record({
        action: 'auth.sign-in',
        outcome: 'failure',
        actor: account ? this.#actorOf(account) : { username: input.username },
        origin,
        target: account ? { type: 'account', id: String(account._id), label: account.username } : undefined,
        details: { reason },
      });
      throw signInFailed();
    };

    if (!account || !account.signInHash || (account.status !== 'active' && account.status !== 'locked')) {
      await spendVerifyTime(input.signInSecret);
      return fail(account ? `account-${account.status}` : 'unknown-username');
    }
    if (!(await verifySecret(account.signInHash, input.signInSecret))) {
      await this.#registerFailure(account, origin);
      return fail('wrong-password');
    }
    const secondFactor = await this.#checkSecondFactor(account, input.code, origin);
    if (!secondFactor) {
      await this.#registerFailure(account, origin);
      return fail('wrong-code');
    }
    if (account.status === 'locked') {
      await this.audit.record({
        action: 'auth.sign-in',
        outcome: 'denied',
        actor: this.#actorOf(account),
        origin,
        details: { reason: 'account-locked' },
      });
      throw new AppError(423, 'account-locked', 'Your account is locked. Ask your administrator (your ILO, or the CBI) to unlock it.');
    }

    await recordSignIn(String(account._id));
    const { sessionId } = await this.sessions.create(String(account._id), origin);
    await this.audit.record({
      action: 'auth.sign-in',
      outcome: 'success',
      actor: this.#actorOf(account),
      origin,
      details: { secondFactor },
    });
    return { sessionId, account };
  }

  /** Ends a session (sign-out) and records it. */
  async signOut(actor: Actor, origin: RequestOrigin): Promise<void> {
    await this.sessions.destroy(actor.sessionId);
    this.sockets.endSession(actor.sessionId);
    await this.audit.record({ action: 'auth.sign-out', outcome: 'success', actor, origin });
  }

  /**
   * Replaces an officer's recovery codes after checking a current authenticator code; returns the
   * new codes, which are shown once.
   */
  async regenerateRecoveryCodes(actor: Actor, code: string, origin: RequestOrigin): Promise<string[]> {
    const account = await accountWithCredentials(actor.userId);
    if (!account || !(await this.#consumeTotp(account, code))) {
      await this.audit.record({ action: 'mfa.recovery-codes-regenerated', outcome: 'failure', actor, origin });
      throw new AppError(400, 'code-invalid', 'That code is not valid. Use a fresh code from your authenticator app.');
    }
    const codes = await this.issueRecoveryCodes(String(account._id));
    await this.audit.record({ action: 'mfa.recovery-codes-regenerated', outcome: 'success', actor, origin });
    return codes;
  }

  /** Replaces all recovery codes of an account with {@link RECOVERY_CODE_COUNT} new ones. */
  async issueRecoveryCodes(accountId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await RecoveryCode.deleteMany({ account: accountId });
    await RecoveryCode.insertMany(codes.map((code) => ({ account: accountId, hash: this.#recoveryHash(code) })));
    return codes;
  }

  /** How many unused recovery codes an account has left. */
  remainingRecoveryCodes(accountId: string): Promise<number> {
    return RecoveryCode.countDocuments({ account: accountId, usedAt: null });
  }

  #recoveryHash(code: string): string {
    return this.sealer.mac(`recovery:${code}`).toString('hex');
  }

  async #checkSecondFactor(account: AccountDocument, code: string, origin: RequestOrigin): Promise<'totp' | 'recovery-code' | undefined> {
    if (/^\d{6}$/.test(code)) return (await this.#consumeTotp(account, code)) ? 'totp' : undefined;
    const used = await RecoveryCode.updateOne(
      { account: account._id, hash: this.#recoveryHash(code), usedAt: null },
      { $set: { usedAt: now() } },
    );
    if (used.modifiedCount !== 1) return undefined;
    await this.audit.record({
      action: 'mfa.recovery-code-used',
      outcome: 'success',
      actor: this.#actorOf(account),
      origin,
      details: { remaining: await this.remainingRecoveryCodes(String(account._id)) },
    });
    return 'recovery-code';
  }

  /**
   * Accepts a TOTP code once: the matched time step is written only if it is later than the last
   * one accepted, in one conditional update, so two requests racing with the same code cannot
   * both succeed.
   */
  async #consumeTotp(account: AccountDocument, code: string): Promise<boolean> {
    if (!account.totpSealed) return false;
    const secret = this.sealer.unseal(account.totpSealed, `totp:${String(account._id)}`);
    const lastStep = account.totpLastStep ?? -1;
    const step = await matchTotp(secret, code, Math.floor(nowMs() / 1000), lastStep);
    if (step === undefined) return false;
    return claimTotpStep(String(account._id), step);
  }

  async #registerFailure(account: AccountDocument, origin: RequestOrigin): Promise<void> {
    const failures = await countSignInFailure(String(account._id), new Date(nowMs() - FAILURE_WINDOW_MS));
    if (failures < MAX_FAILED_SIGN_INS || account.status !== 'active') return;
    if (!(await lockAfterFailures(String(account._id)))) return;
    await this.sessions.destroyAllFor(String(account._id));
    this.sockets.endAccount(String(account._id));
    await accountChanged({ accountId: String(account._id), change: 'locked' });
    await this.audit.record({
      action: 'auth.lockout',
      outcome: 'success',
      actor: this.#actorOf(account),
      origin,
      target: { type: 'account', id: String(account._id), label: account.username },
      details: { failures },
    });
  }

  #actorOf(account: AccountDocument): { username: string } {
    return { username: account.username };
  }
}
