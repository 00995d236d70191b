import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { now } from '../../clock.js';
import { checkEncryptedPrivateKey, checkOfficerPublicKey } from '../../crypto/key-policy.js';
import { notFound } from '../../errors.js';
import { BulkRefreshingCache } from '../../shared/bulk-refreshing-cache.js';
import { KeyVerification, OfficerKey, type KeyVerificationDocument, type OfficerKeyDocument } from './officer-key.model.js';

/** A colleague's key as another officer sees it, with what that officer has verified. */
export interface KeyView {
  readonly fingerprint: string;
  readonly publicKey: string;
  readonly createdAt: string;
  readonly current: boolean;
  /** The caller marked this exact fingerprint verified. */
  readonly verified: boolean;
  /** The caller verified an earlier key of this colleague: the key changed since. */
  readonly changedSinceVerified: boolean;
}

/** An officer's keys after the key policy accepted them. */
export interface CheckedOfficerKeys {
  readonly publicKey: string;
  readonly encryptedPrivateKey: string;
  readonly fingerprint: string;
}

/** Checks an officer's public key and passphrase-protected private key against the key policy. */
export async function checkOfficerKeys(username: string, keys: { publicKey: string; encryptedPrivateKey: string }): Promise<CheckedOfficerKeys> {
  const { armored, fingerprint } = await checkOfficerPublicKey(keys.publicKey, username);
  const encryptedPrivateKey = await checkEncryptedPrivateKey(keys.encryptedPrivateKey, fingerprint);
  return { publicKey: armored, encryptedPrivateKey, fingerprint };
}

/**
 * Stores an officer's new key, checked by {@link checkOfficerKeys}, retiring the previous one.
 * Old keys are kept: old signatures stay verifiable.
 */
export async function registerOfficerKey(accountId: string, keys: CheckedOfficerKeys): Promise<OfficerKeyDocument> {
  const { publicKey: armored, fingerprint, encryptedPrivateKey } = keys;
  await OfficerKey.updateMany({ account: accountId, retiredAt: null }, { $set: { retiredAt: now() } });
  const created = await OfficerKey.create({ account: accountId, fingerprint, publicKey: armored, encryptedPrivateKey });
  // After the write: a read that started before it is not kept.
  currentKeyCache.forget(accountId);
  return created.toObject();
}

/**
 * Current keys read recently, so that a busy sender's key is not read for every message: first
 * reads made at the same moment are made together, and keys are read again every minute, all of
 * them in one read.
 */
const currentKeyCache = new BulkRefreshingCache((accountIds) => currentKeys(accountIds), 60_000);

/** An account's current key, if it has one (re-read every minute; a new key made here shows at once). */
export async function currentKey(accountId: string | mongoose.Types.ObjectId): Promise<OfficerKeyDocument | null> {
  return (await currentKeyCache.get(String(accountId))) ?? null;
}

/** Current keys of many accounts, by account id. */
export async function currentKeys(accountIds: (string | mongoose.Types.ObjectId)[]): Promise<Map<string, OfficerKeyDocument>> {
  const keys = await OfficerKey.find({ account: mongoose.trusted({ $in: accountIds }), retiredAt: null }).lean<OfficerKeyDocument[]>();
  return new Map(keys.map((key) => [String(key.account), key]));
}

/** A key by fingerprint (current or retired), to verify who signed something. */
export async function keyByFingerprint(fingerprint: string): Promise<OfficerKeyDocument> {
  const key = /^[0-9a-f]{40,64}$/.test(fingerprint) ? await OfficerKey.findOne({ fingerprint }).lean<OfficerKeyDocument>() : null;
  if (!key) throw notFound('key');
  return key;
}

/** All keys of a colleague, newest first, with the caller's verification state. */
export async function keysOf(viewer: Actor, subjectId: string): Promise<KeyView[]> {
  const [keys, verification] = await Promise.all([
    OfficerKey.find({ account: subjectId }).sort({ createdAt: -1 }).lean<OfficerKeyDocument[]>(),
    KeyVerification.findOne({ verifier: viewer.userId, subject: subjectId }).lean<KeyVerificationDocument>(),
  ]);
  const current = keys.find((key) => !key.retiredAt);
  return keys.map((key) => ({
    fingerprint: key.fingerprint,
    publicKey: key.publicKey,
    createdAt: key.createdAt.toISOString(),
    current: key === current,
    verified: verification?.fingerprint === key.fingerprint,
    changedSinceVerified: key === current && verification !== null && verification.fingerprint !== key.fingerprint,
  }));
}

/** Records that `verifier` checked `fingerprint` of a colleague; it must be the colleague's current key. */
export async function markVerified(verifier: Actor, subjectId: string, fingerprint: string): Promise<void> {
  const key = await currentKey(subjectId);
  if (!key || key.fingerprint !== fingerprint) throw notFound('key');
  await KeyVerification.updateOne(
    { verifier: verifier.userId, subject: subjectId },
    { $set: { fingerprint } },
    { upsert: true },
  );
}

/** The fingerprints the viewer verified, by colleague, for marking them in lists. */
export async function verificationsBy(viewerId: string, subjectIds: string[]): Promise<Map<string, string>> {
  const records = await KeyVerification.find({ verifier: viewerId, subject: mongoose.trusted({ $in: subjectIds }) }).lean<KeyVerificationDocument[]>();
  return new Map(records.map((record) => [String(record.subject), record.fingerprint]));
}
