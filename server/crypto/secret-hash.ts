import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id for sign-in secrets, with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). The
 * input is already a slow, salted derivation from the browser; this makes a stolen database of
 * hashes expensive to test guesses against all the same.
 */
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a sign-in secret (the library's default algorithm is argon2id; tests check the prefix). */
export function hashSecret(secret: string): Promise<string> {
  return hash(secret, options);
}

/** Checks a sign-in secret against its stored hash; false for a malformed hash. */
export async function verifySecret(stored: string, secret: string): Promise<boolean> {
  try {
    return await verify(stored, secret);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spends the same time as a real check, for unknown or unusable accounts, so that response times
 * do not tell which usernames exist.
 */
export async function spendVerifyTime(secret: string): Promise<void> {
  decoy ??= hashSecret('decoy-secret-for-timing');
  await verifySecret(await decoy, secret);
}
