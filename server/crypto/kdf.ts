/**
 * Derivation of an officer's secrets from their password, run in the browser (and by the seed
 * script and tests in Node, with the same WebCrypto API). One slow PBKDF2-SHA256 derivation with
 * a per-officer salt yields a master key; HKDF splits it into two independent secrets:
 *
 * - the **sign-in secret**, sent to the server instead of the password; the server keeps only
 *   its argon2id hash, so the raw password never reaches it;
 * - the **key passphrase**, which protects the officer's OpenPGP private key and never leaves
 *   the browser.
 *
 * Knowing the sign-in secret (as the server briefly does) says nothing about the passphrase.
 */

/** PBKDF2 iterations: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const KDF_ITERATIONS = 600_000;
/** Length in bytes of the per-officer salt. */
export const KDF_SALT_BYTES = 16;

/** What the server tells a browser so it can derive an officer's secrets. */
export interface KdfParameters {
  readonly algorithm: 'pbkdf2-sha256';
  /** base64url-encoded salt. */
  readonly salt: string;
  readonly iterations: number;
}

/** The two secrets derived from a password, each 32 bytes in base64url. */
export interface DerivedSecrets {
  readonly signInSecret: string;
  readonly keyPassphrase: string;
}

/** Shape of a sign-in secret on the wire: 32 bytes in base64url, no padding. */
export const SIGN_IN_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const encoder = new TextEncoder();

/** Encodes bytes as base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url (with or without padding) to bytes. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

async function expand(master: CryptoKey, info: string): Promise<string> {
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) },
    master,
    256,
  );
  return toBase64Url(new Uint8Array(bits));
}

/**
 * Derives the sign-in secret and the key passphrase from `password` (normalised to Unicode NFKC,
 * so the same password typed on another keyboard gives the same secrets).
 */
export async function deriveSecrets(password: string, parameters: KdfParameters): Promise<DerivedSecrets> {
  if (parameters.algorithm !== 'pbkdf2-sha256') throw new Error(`unsupported KDF ${String(parameters.algorithm)}`);
  const passwordKey = await crypto.subtle.importKey('raw', encoder.encode(password.normalize('NFKC')), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const masterBits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64Url(parameters.salt), iterations: parameters.iterations },
    passwordKey,
    256,
  );
  const master = await crypto.subtle.importKey('raw', masterBits, 'HKDF', false, ['deriveBits']);
  return {
    signInSecret: await expand(master, 'bharatpol/v1/sign-in-secret'),
    keyPassphrase: await expand(master, 'bharatpol/v1/private-key-passphrase'),
  };
}
