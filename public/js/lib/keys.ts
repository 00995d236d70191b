import type { PrivateKey } from '../../../server/crypto/client.js';
import { api } from './api.js';

/**
 * The officer's key passphrase lives in this tab's sessionStorage from sign-in to sign-out (it
 * is derived from the password, which is never kept): pages that read or write encrypted content
 * unlock the private key with it. Closing the tab or signing out forgets it.
 */
const STORAGE_KEY = 'bp.keyPassphrase';

/** Keeps the key passphrase derived at sign-in for this tab. */
export function rememberPassphrase(passphrase: string): void {
  sessionStorage.setItem(STORAGE_KEY, passphrase);
}

/** Forgets the key passphrase (sign-out). */
export function forgetPassphrase(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The officer's unlocked private key and fingerprint, or undefined if this tab has no passphrase. */
export async function unlockMyKey(): Promise<{ privateKey: PrivateKey; fingerprint: string } | undefined> {
  const passphrase = sessionStorage.getItem(STORAGE_KEY);
  if (!passphrase) return undefined;
  const [{ unlockPrivateKey }, mine] = await Promise.all([
    import('../../../server/crypto/client.js'),
    api<{ fingerprint: string; encryptedPrivateKey: string }>('GET', '/api/me/key'),
  ]);
  return { privateKey: await unlockPrivateKey(mine.encryptedPrivateKey, passphrase), fingerprint: mine.fingerprint };
}
