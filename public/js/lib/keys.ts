import type { PrivateKey, PublicKey } from '../../../server/crypto/client.js';
import type { KeyringApi } from '../../../server/crypto/group-keyring.js';
import { api } from './api.js';

/**
 * The officer's key passphrase (derived from the password at sign-in; the password is never kept)
 * is kept for the signed-in session so that every tab can unlock the private key without asking
 * again, and never in clear: it is encrypted with an AES-GCM key the browser generates as
 * non-extractable and keeps in IndexedDB (script can use it, never read it out), and only that
 * ciphertext is in localStorage. Signing out deletes both; a later sign-in replaces both.
 */
const SEALED_KEY = 'bp.keyPassphrase.sealed';
const DATABASE = 'bharatpol-keys';
const STORE = 'wrapping';
const WRAPPING_KEY = 'passphrase';

/** The one IndexedDB request a caller needs, as a promise. */
function requested<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

async function openStore(mode: IDBTransactionMode): Promise<IDBObjectStore> {
  const opening = indexedDB.open(DATABASE, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
  const database = await requested(opening);
  return database.transaction(STORE, mode).objectStore(STORE);
}

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

/** Keeps the key passphrase derived at sign-in for this session, sealed (see above). */
export async function rememberPassphrase(passphrase: string): Promise<void> {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(passphrase)));
  await requested((await openStore('readwrite')).put(key, WRAPPING_KEY));
  localStorage.setItem(SEALED_KEY, JSON.stringify({ iv: toBase64(iv), sealed: toBase64(sealed) }));
}

/** Forgets the key passphrase (sign-out), in every tab. */
export async function forgetPassphrase(): Promise<void> {
  localStorage.removeItem(SEALED_KEY);
  await requested((await openStore('readwrite')).delete(WRAPPING_KEY)).catch(() => undefined);
}

/** The key passphrase of this session, or undefined when there is none (signed in elsewhere, or before keys were kept so). */
async function recallPassphrase(): Promise<string | undefined> {
  const stored = localStorage.getItem(SEALED_KEY);
  if (!stored) return undefined;
  try {
    const { iv, sealed } = JSON.parse(stored) as { iv: string; sealed: string };
    const key = await requested((await openStore('readonly')).get(WRAPPING_KEY) as IDBRequest<CryptoKey | undefined>);
    if (!key) return undefined;
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, key, fromBase64(sealed));
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}

/** Whether this session holds the key passphrase (so pages can unlock the key without asking). */
export async function holdsPassphrase(): Promise<boolean> {
  return (await recallPassphrase()) !== undefined;
}

/**
 * A non-extractable AES-GCM key for data this browser keeps for the officer (`purpose` names
 * which), derived with HKDF from the key passphrase: what it seals opens only in a session the
 * officer signed in to with their password, never after sign-out, and not for a colleague on the
 * same device. Undefined when this session holds no passphrase.
 */
export async function deviceDataKey(accountId: string, purpose: string): Promise<CryptoKey | undefined> {
  const passphrase = await recallPassphrase();
  if (!passphrase) return undefined;
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode(`bharatpol:${accountId}`), info: new TextEncoder().encode(purpose) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** The officer's unlocked private key and fingerprint, or undefined if this session has no passphrase. */
export async function unlockMyKey(): Promise<{ privateKey: PrivateKey; fingerprint: string } | undefined> {
  const passphrase = await recallPassphrase();
  if (!passphrase) return undefined;
  const [{ unlockPrivateKey }, mine] = await Promise.all([
    import('../../../server/crypto/client.js'),
    api<{ fingerprint: string; encryptedPrivateKey: string }>('GET', '/api/me/key'),
  ]);
  return { privateKey: await unlockPrivateKey(mine.encryptedPrivateKey, passphrase), fingerprint: mine.fingerprint };
}

/** The keyring's API calls, through the page's fetch wrapper. */
export const keyringApi: KeyringApi = {
  get: (path) => api('GET', path),
  post: (path, body) => api('POST', path, body),
};

/** A colleague's public key by fingerprint, from the portal (to check what they signed). */
export async function fetchPublicKey(fingerprint: string): Promise<PublicKey> {
  const { readPublicKey } = await import('../../../server/crypto/client.js');
  return readPublicKey((await api<{ publicKey: string }>('GET', `/api/keys/${encodeURIComponent(fingerprint)}`)).publicKey);
}
