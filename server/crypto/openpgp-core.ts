/**
 * What the crypto client's parts share: its errors, the key types, and OpenPGP.js calls wrapped
 * once (encrypting to bytes, opening a session key, decrypting with a required signature).
 */
import * as openpgp from 'openpgp';

/** What went wrong, in a word a caller can act on. */
export type CryptoFailure =
  | 'wrong-passphrase'
  | 'not-a-key'
  | 'no-key-for-me'
  | 'tampered'
  | 'bad-signature'
  | 'unsigned'
  | 'wrong-group-key'
  | 'wrong-file';

/** An error of the crypto client, with a stable reason. */
export class CryptoClientError extends Error {
  constructor(
    readonly reason: CryptoFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CryptoClientError';
  }
}

export type PublicKey = openpgp.PublicKey;
export type PrivateKey = openpgp.PrivateKey;

/** Who signed an item, after verification. */
export interface VerifiedSignature {
  readonly signerFingerprint: string;
  readonly signedAt: Date | undefined;
}

/** One signature's check, as openpgp.decrypt reports it (the type is not exported by OpenPGP.js). */
type Verification = Awaited<ReturnType<openpgp.Message<Uint8Array>['verify']>>[number];

/**
 * openpgp.encrypt to bytes. Its declared return type depends on stream types this project does
 * not load, so the result is narrowed here, once: with a non-stream message it is a Uint8Array.
 */
export async function encryptToBytes(options: openpgp.EncryptOptions & { message: openpgp.Message<string | Uint8Array> }): Promise<Uint8Array> {
  const encrypted: unknown = await openpgp.encrypt({ ...options, format: 'binary' });
  return encrypted as Uint8Array;
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export async function openSessionKey(keyPackets: Uint8Array, decryptionKeys: PrivateKey[]): Promise<openpgp.SessionKey> {
  try {
    const message = await openpgp.readMessage({ binaryMessage: keyPackets });
    const [sessionKey] = await openpgp.decryptSessionKeys({ message, decryptionKeys });
    if (!sessionKey) throw new Error('no session key');
    return { data: sessionKey.data, algorithm: sessionKey.algorithm as openpgp.enums.symmetricNames };
  } catch (error) {
    throw new CryptoClientError('no-key-for-me', 'None of your keys opens this item.', { cause: error });
  }
}

type DecryptInput = {
  message: Uint8Array;
  verificationKeys: PublicKey[];
} & ({ decryptionKeys: PrivateKey[]; sessionKeys?: never } | { sessionKeys: openpgp.SessionKey; decryptionKeys?: never });

export async function decryptVerified(options: DecryptInput & { format: 'utf8' }): Promise<{ data: string; signature: VerifiedSignature }>;
export async function decryptVerified(options: DecryptInput & { format: 'binary' }): Promise<{ data: Uint8Array; signature: VerifiedSignature }>;
/**
 * Decrypts and insists on a valid signature from one of `verificationKeys`, translating
 * OpenPGP.js's errors into the client's reasons.
 */
export async function decryptVerified(
  options: DecryptInput & { format: 'utf8' | 'binary' },
): Promise<{ data: string | Uint8Array; signature: VerifiedSignature }> {
  let message: openpgp.Message<Uint8Array>;
  try {
    message = await openpgp.readMessage({ binaryMessage: options.message });
  } catch (error) {
    throw new CryptoClientError('tampered', 'The encrypted data is damaged or was altered.', { cause: error });
  }
  let result: { data: unknown; signatures: Verification[] };
  try {
    result = await openpgp.decrypt({
      message,
      ...(options.sessionKeys ? { sessionKeys: options.sessionKeys } : { decryptionKeys: options.decryptionKeys }),
      verificationKeys: options.verificationKeys,
      expectSigned: true,
      format: options.format,
    });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/Session key decryption failed|No decryption key|Error decrypting message: No/i.test(text)) {
      throw new CryptoClientError('no-key-for-me', 'None of your keys opens this item.', { cause: error });
    }
    if (/signature|signing key/i.test(text)) {
      throw new CryptoClientError('bad-signature', 'The signature does not verify: the content was altered or not written by its stated author.', {
        cause: error,
      });
    }
    throw new CryptoClientError('tampered', 'The encrypted data is damaged or was altered.', { cause: error });
  }
  const [first] = result.signatures;
  if (!first) throw new CryptoClientError('unsigned', 'The item is not signed.');
  const signer = options.verificationKeys.find((key) => key.getKeys(first.keyID).length > 0);
  let signedAt: Date | undefined;
  try {
    signedAt = (await first.signature).packets[0]?.created ?? undefined;
  } catch {
    signedAt = undefined;
  }
  return { data: result.data as string | Uint8Array, signature: { signerFingerprint: signer?.getFingerprint() ?? '', signedAt } };
}
