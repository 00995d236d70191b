/**
 * What sign-in and enrolment (the auth module) read and write of an account's credentials: the
 * accounts module's face for them, so that no other module touches the account model.
 */
import mongoose from 'mongoose';
import { now } from '../../clock.js';
import { Account, type AccountDocument } from './account.model.js';

export type { AccountDocument };

/** An account by username, with its credentials (sign-in); null when there is none. */
export function accountByUsername(username: string): Promise<AccountDocument | null> {
  return Account.findOne({ username }).lean<AccountDocument>();
}

/** An account by id, with its credentials. */
export function accountWithCredentials(accountId: string): Promise<AccountDocument | null> {
  return Account.findById(accountId).lean<AccountDocument>();
}

/** The account an enrolment link (by its token's keyed hash) is for. */
export function accountByEnrolmentToken(tokenHash: string): Promise<AccountDocument | null> {
  return Account.findOne({ enrolmentTokenHash: tokenHash }).lean<AccountDocument>();
}

/** A successful sign-in: failures forgotten, the time kept. */
export async function recordSignIn(accountId: string): Promise<void> {
  await Account.updateOne({ _id: accountId }, { $set: { failedSignIns: 0, lastSignInAt: now() }, $unset: { failureWindowStartedAt: 1 } });
}

/**
 * Takes a TOTP time step if it is later than the last one accepted, in one conditional update, so
 * two requests racing with the same code cannot both succeed.
 */
export async function claimTotpStep(accountId: string, step: number): Promise<boolean> {
  const claimed = await Account.updateOne({ _id: accountId, totpLastStep: mongoose.trusted({ $lt: step }) }, { $set: { totpLastStep: step } });
  return claimed.modifiedCount === 1;
}

/** Counts a failed sign-in in the window that started after `windowStart` (or starts one); returns the count. */
export async function countSignInFailure(accountId: string, windowStart: Date): Promise<number> {
  const counted = await Account.findOneAndUpdate(
    { _id: accountId, failureWindowStartedAt: mongoose.trusted({ $gt: windowStart }) },
    { $inc: { failedSignIns: 1 } },
    { returnDocument: 'after' },
  ).lean<AccountDocument>();
  if (counted) return counted.failedSignIns ?? 0;
  await Account.updateOne({ _id: accountId }, { $set: { failedSignIns: 1, failureWindowStartedAt: now() } });
  return 1;
}

/** Locks an active account after too many failed sign-ins; false if it was no longer active. */
export async function lockAfterFailures(accountId: string): Promise<boolean> {
  const locked = await Account.updateOne({ _id: accountId, status: 'active' }, { $set: { status: 'locked', lockedAt: now(), lockReason: 'failed-sign-ins' } });
  return locked.modifiedCount === 1;
}

/** Starts (or restarts) enrolment: the link's token hash, its expiry, the sealed TOTP secret to set up. */
export async function startEnrolment(accountId: string, tokenHash: string, expiresAt: Date, totpSealed: string): Promise<void> {
  await Account.updateOne({ _id: accountId }, { $set: { enrolmentTokenHash: tokenHash, enrolmentExpiresAt: expiresAt, enrolmentTotpSealed: totpSealed } });
}

/**
 * Activates an invited account with its credentials, consuming the enrolment link in the same
 * conditional update; false if the link was used meanwhile.
 */
export async function completeEnrolment(
  accountId: string,
  tokenHash: string,
  credentials: { signInHash: string; totpSealed: string; totpLastStep: number },
): Promise<boolean> {
  const activated = await Account.updateOne(
    { _id: accountId, enrolmentTokenHash: tokenHash, status: 'invited' },
    {
      $set: { status: 'active', ...credentials, failedSignIns: 0 },
      $unset: { enrolmentTokenHash: 1, enrolmentExpiresAt: 1, enrolmentTotpSealed: 1, lockedAt: 1, lockReason: 1, disabledAt: 1 },
    },
  );
  return activated.modifiedCount === 1;
}
