/**
 * The crypto client: the one place where officers' content is encrypted, signed, decrypted and
 * verified. Written once, used by the browser bundle, the seed script and the tests (Node); the
 * server itself only imports it to generate demo keys. It wraps OpenPGP.js behind small option
 * objects and errors that say what failed.
 *
 * Formats, chosen for GnuPG 2.2 interoperability:
 * - officer and group keys are v4 Ed25519 (signing) + Curve25519 (encryption) keys;
 * - items and file chunks are SEIPDv1 (integrity-protected, non-AEAD) messages, signed inside;
 * - the key packets (PKESK) that open a message are kept apart from its body, so that a message
 *   can be opened for new readers by adding key packets, without touching or re-uploading the body.
 *
 * Files are sealed chunk by chunk (`sealed-files.ts`); the pieces every part shares are in
 * `openpgp-core.ts`. This module is the client's face: it re-exports both.
 */
import * as openpgp from 'openpgp';
import { concat, CryptoClientError, decryptVerified, encryptToBytes, openSessionKey, type PrivateKey, type PublicKey, type VerifiedSignature } from './openpgp-core.js';

export { concat, CryptoClientError, type CryptoFailure, type PrivateKey, type PublicKey, type VerifiedSignature } from './openpgp-core.js';
export { chunkCountFor, FILE_CHUNK_BYTES, FileOpener, FileSealer, type ByteSource, type FileManifest, type SealedFileDestination } from './sealed-files.js';

/** Domain of the user ids in officers' keys (never a real mail domain). */
export const KEY_EMAIL_DOMAIN = 'officers.bharatpol.invalid';


/** The email-style user id of an officer's key. */
export function officerKeyEmail(username: string): string {
  return `${username}@${KEY_EMAIL_DOMAIN}`;
}

/** Upper-case hex fingerprint, grouped by four for reading aloud (as colleagues compare them). */
export function formatFingerprint(fingerprint: string): string {
  return fingerprint.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

// ---------------------------------------------------------------------------------------------
// Keys

/** An officer's new key pair: the public key, the passphrase-protected private key, the fingerprint. */
export interface OfficerKeyPair {
  readonly publicKey: string;
  readonly encryptedPrivateKey: string;
  readonly fingerprint: string;
}

/** Generates an officer's key pair, its private key protected by `passphrase` (made at `createdAt`: the demo's officers sign months of history). */
export async function generateOfficerKey(options: { name: string; username: string; passphrase: string; createdAt?: Date }): Promise<OfficerKeyPair> {
  const { publicKey, privateKey } = await openpgp.generateKey({
    ...(options.createdAt ? { date: options.createdAt } : {}),
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: options.name, email: officerKeyEmail(options.username) }],
    passphrase: options.passphrase,
    format: 'armored',
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return { publicKey, encryptedPrivateKey: privateKey, fingerprint: key.getFingerprint() };
}

/** Reads an armored public key. */
export async function readPublicKey(armored: string): Promise<PublicKey> {
  try {
    const key = await openpgp.readKey({ armoredKey: armored });
    return key.toPublic();
  } catch (error) {
    throw new CryptoClientError('not-a-key', 'This is not an OpenPGP public key.', { cause: error });
  }
}

/** Opens an officer's private key with the passphrase derived from their password. */
export async function unlockPrivateKey(encryptedPrivateKey: string, passphrase: string): Promise<PrivateKey> {
  let key: PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: encryptedPrivateKey });
  } catch (error) {
    throw new CryptoClientError('not-a-key', 'This is not an OpenPGP private key.', { cause: error });
  }
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase });
  } catch (error) {
    throw new CryptoClientError('wrong-passphrase', 'The private key could not be opened with this passphrase.', { cause: error });
  }
}

/** Reads an unprotected private key (a group key taken out of its envelope, or a test key). */
export async function readPrivateKey(armored: string): Promise<PrivateKey> {
  try {
    return await openpgp.readPrivateKey({ armoredKey: armored });
  } catch (error) {
    throw new CryptoClientError('not-a-key', 'This is not an OpenPGP private key.', { cause: error });
  }
}

/** A group's key pair for one epoch; the private key is unprotected and travels only inside envelopes. */
export interface GroupKeyPair {
  readonly publicKey: string;
  readonly privateKey: string;
  readonly fingerprint: string;
}

/** Generates the key pair of one epoch of a group (a channel, a desk, an agency's ILOs, a unit). */
export async function generateGroupKey(options: { group: string; epoch: number }): Promise<GroupKeyPair> {
  const { publicKey, privateKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: `Group ${options.group} epoch ${options.epoch}` }],
    format: 'armored',
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return { publicKey, privateKey, fingerprint: key.getFingerprint() };
}

/**
 * Seals a group's private key to one member ("an envelope"): encrypted to the member's key and
 * signed by the officer who shares it.
 */
export async function sealEnvelope(options: { groupPrivateKey: string; recipient: PublicKey; sharer: PrivateKey }): Promise<Uint8Array> {
  return encryptToBytes({
    message: await openpgp.createMessage({ text: options.groupPrivateKey }),
    encryptionKeys: options.recipient,
    signingKeys: options.sharer,
  });
}

/**
 * Opens an envelope: decrypts it with the member's key, checks it was signed by one of
 * `sharerKeys`, and checks the key inside is the group key with `expectedFingerprint` (so a
 * forged envelope cannot slip in another key).
 */
export async function openEnvelope(options: {
  envelope: Uint8Array;
  memberKey: PrivateKey;
  sharerKeys: PublicKey[];
  expectedFingerprint: string;
}): Promise<PrivateKey> {
  const { data } = await decryptVerified({
    message: options.envelope,
    decryptionKeys: [options.memberKey],
    verificationKeys: options.sharerKeys,
    format: 'utf8',
  });
  const key = await readPrivateKey(data);
  if (key.getFingerprint() !== options.expectedFingerprint.toLowerCase()) {
    throw new CryptoClientError('wrong-group-key', 'The envelope holds a different key than the group announced.');
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// Items

/** An encrypted item as stored: key packets (who can open it) apart from the body (what it says). */
export interface SealedItem {
  readonly keyPackets: Uint8Array;
  readonly body: Uint8Array;
}

/**
 * Signs `content` with the author's key and encrypts it once, to `recipients` (group keys, or
 * officers' keys): never once per reader.
 */
export async function sealItem(options: { content: Uint8Array | string; recipients: PublicKey[]; signer: PrivateKey }): Promise<SealedItem> {
  const sessionKey = await openpgp.generateSessionKey({ encryptionKeys: options.recipients });
  const message =
    typeof options.content === 'string'
      ? await openpgp.createMessage({ text: options.content })
      : await openpgp.createMessage({ binary: options.content });
  const body = await encryptToBytes({ message, sessionKey, signingKeys: options.signer });
  const keyPackets = await openpgp.encryptSessionKey({ ...sessionKey, encryptionKeys: options.recipients, format: 'binary' });
  return { keyPackets, body };
}

/**
 * Decrypts an item and verifies its author's signature. A tampered body, a missing or failing
 * signature, or a signature by someone other than `authorKeys` is an error: such content is
 * reported, never returned.
 */
export async function openItem(options: {
  item: SealedItem;
  decryptionKeys: PrivateKey[];
  authorKeys: PublicKey[];
}): Promise<{ content: Uint8Array; signature: VerifiedSignature }> {
  const result = await decryptVerified({
    message: concat(options.item.keyPackets, options.item.body),
    decryptionKeys: options.decryptionKeys,
    verificationKeys: options.authorKeys,
    format: 'binary',
  });
  return { content: result.data, signature: result.signature };
}

/** Decodes an item's content as UTF-8 text. */
export function contentText(content: Uint8Array): string {
  return new TextDecoder().decode(content);
}

/**
 * Opens an item's session key with one of `decryptionKeys` and wraps it again for `recipients`:
 * the new key packets let them read the same body, which is not touched (forwarding).
 */
export async function rewrapKeyPackets(options: {
  keyPackets: Uint8Array;
  decryptionKeys: PrivateKey[];
  recipients: PublicKey[];
}): Promise<Uint8Array> {
  return (await SessionKeyWrapper.open(options.keyPackets, options.decryptionKeys)).wrapFor(options.recipients);
}

/**
 * A session key opened once, to be wrapped for many readers in turn (a broadcast passed on to
 * hundreds of units, each with its own key): half the work of re-wrapping from the key packets
 * each time. The session key never leaves this object.
 */
export class SessionKeyWrapper {
  readonly #sessionKey: openpgp.SessionKey;

  private constructor(sessionKey: openpgp.SessionKey) {
    this.#sessionKey = sessionKey;
  }

  /** Opens the session key in `keyPackets` with one of `decryptionKeys`. */
  static async open(keyPackets: Uint8Array, decryptionKeys: PrivateKey[]): Promise<SessionKeyWrapper> {
    return new SessionKeyWrapper(await openSessionKey(keyPackets, decryptionKeys));
  }

  /** Key packets that open the same content for `recipients`. */
  wrapFor(recipients: PublicKey[]): Promise<Uint8Array> {
    return openpgp.encryptSessionKey({ ...this.#sessionKey, encryptionKeys: recipients, format: 'binary' });
  }
}

// ---------------------------------------------------------------------------------------------
// Signed statements

/**
 * Signs a clear statement (an acknowledgement) with the officer's key: an armored detached
 * signature, which anyone holding the officer's public key can check, GnuPG included.
 */
export async function signStatement(options: { statement: string; signer: PrivateKey; date?: Date }): Promise<string> {
  const message = await openpgp.createMessage({ text: options.statement });
  const signature: unknown = await openpgp.sign({ message, signingKeys: options.signer, detached: true, format: 'armored', ...(options.date ? { date: options.date } : {}) });
  return signature as string;
}

/**
 * Checks a detached signature over `statement` by one of `signerKeys`, as of `date` (the time the
 * statement says it was signed; default now); throws `bad-signature` otherwise.
 */
export async function verifyStatement(options: { statement: string; signature: string; signerKeys: PublicKey[]; date?: Date }): Promise<VerifiedSignature> {
  try {
    const result = await openpgp.verify({
      message: await openpgp.createMessage({ text: options.statement }),
      signature: await openpgp.readSignature({ armoredSignature: options.signature }),
      verificationKeys: options.signerKeys,
      expectSigned: true,
      ...(options.date ? { date: options.date } : {}),
    });
    const [verification] = result.signatures;
    if (!verification) throw new Error('no signature');
    await verification.verified;
    const packet = (await verification.signature).packets[0];
    return { signerFingerprint: signerOf(options.signerKeys, verification.keyID.toHex()), signedAt: packet?.created ?? undefined };
  } catch (error) {
    throw new CryptoClientError('bad-signature', 'The signature does not verify for this statement and key.', { cause: error });
  }
}

function signerOf(keys: PublicKey[], keyId: string): string {
  for (const key of keys) {
    if (key.getKeys().some((candidate) => candidate.getKeyID().toHex() === keyId)) return key.getFingerprint();
  }
  throw new Error('signed by an unknown key');
}
