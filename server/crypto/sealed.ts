import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) of small server-side secrets at rest, such as TOTP
 * seeds, with a key derived from the app secret: a copy of the database alone does not yield
 * them. Not used for officers' content, which the server never sees in clear.
 */
export class Sealer {
  readonly #key: Buffer;
  readonly #macKey: Buffer;

  constructor(appSecret: string) {
    this.#key = createHash('sha256').update(`bharatpol/v1/seal:${appSecret}`).digest();
    this.#macKey = createHash('sha256').update(`bharatpol/v1/mac:${appSecret}`).digest();
  }

  /** Encrypts `plaintext`, binding it to `context` (for example the account id) so it cannot be moved. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Decrypts what {@link seal} produced for the same `context`; throws if it was altered or moved. */
  unseal(sealed: string, context: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** A keyed hash, for values that must be looked up but not reversed (tokens, decoy salts). */
  mac(value: string): Buffer {
    return createHmac('sha256', this.#macKey).update(value).digest();
  }
}
