import { randomBytes } from 'node:crypto';
import { generateOfficerKey } from '../crypto/client.js';
import { deriveSecrets, KDF_ITERATIONS, KDF_SALT_BYTES } from '../crypto/kdf.js';
import type { Sealer } from '../crypto/sealed.js';
import { hashSecret } from '../crypto/secret-hash.js';
import type { Role } from '../access/roles.js';
import { Account, type AccountDocument } from '../modules/accounts/account.model.js';
import { forgetChannelMembers } from '../modules/connect/channel-members.js';
import { checkOfficerKeys, registerOfficerKey } from '../sealed/keys/keys.service.js';

/** An account to create already enrolled, as the demo data and test fixtures need. */
export interface EnrolledAccountSpec {
  readonly username: string;
  readonly displayName: string;
  readonly designation?: string;
  readonly email?: string;
  readonly role: Role;
  readonly agencyId: string;
  readonly unitId?: string | undefined;
  readonly password: string;
  readonly totpSecret: string;
  /** PBKDF2 iterations; tests may lower it to save time, the demo uses the real figure. */
  readonly kdfIterations?: number;
  /** Also generate the officer's OpenPGP key, protected by the passphrase derived from the password. */
  readonly withKey?: boolean;
  /** When that key says it was made (the demo's officers sign months of history with it). */
  readonly keyCreatedAt?: Date;
}

/**
 * Creates an active account with a password and TOTP (and, on request, its OpenPGP key), deriving
 * the sign-in secret and key passphrase exactly as the browser does. It skips the enrolment link, so it serves only the demo data and tests;
 * officers always enrol themselves.
 */
export async function createEnrolledAccount(spec: EnrolledAccountSpec, sealer: Sealer): Promise<AccountDocument> {
  const kdfSalt = randomBytes(KDF_SALT_BYTES).toString('base64url');
  const kdfIterations = spec.kdfIterations ?? KDF_ITERATIONS;
  const { signInSecret, keyPassphrase } = await deriveSecrets(spec.password, { algorithm: 'pbkdf2-sha256', salt: kdfSalt, iterations: kdfIterations });
  const account = new Account({
    username: spec.username,
    displayName: spec.displayName,
    designation: spec.designation ?? '',
    email: spec.email ?? '',
    role: spec.role,
    agency: spec.agencyId,
    unit: spec.unitId,
    status: 'active',
    kdfSalt,
    kdfIterations,
    signInHash: await hashSecret(signInSecret),
  });
  account.totpSealed = sealer.seal(spec.totpSecret, `totp:${String(account._id)}`);
  await account.save();
  await forgetChannelMembers();
  if (spec.withKey) {
    const pair = await generateOfficerKey({ name: spec.displayName, username: spec.username, passphrase: keyPassphrase, ...(spec.keyCreatedAt ? { createdAt: spec.keyCreatedAt } : {}) });
    await registerOfficerKey(String(account._id), await checkOfficerKeys(spec.username, pair));
  }
  return account.toObject();
}
