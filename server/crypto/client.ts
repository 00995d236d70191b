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
 * Files are cut into chunks of {@link FILE_CHUNK_BYTES}, each an independent signed message under
 * one session key. OpenPGP.js holds a whole SEIPDv1 message in memory until its integrity check
 * (measured: +350 MB for 100 MiB), and AEAD (SEIPDv2), which streams, cannot be read by GnuPG
 * 2.2: chunking keeps memory flat whatever the file size and keeps every piece readable by gpg.
 * Chunk 0 is a signed manifest (name, type, size, chunk count) and every chunk names its file and
 * position inside the signed data, so chunks cannot be swapped, reordered or dropped unnoticed.
 */
import * as openpgp from 'openpgp';

/** Plaintext bytes per file chunk. */
export const FILE_CHUNK_BYTES = 1024 * 1024;

/** Domain of the user ids in officers' keys (never a real mail domain). */
export const KEY_EMAIL_DOMAIN = 'officers.bharatpol.invalid';

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

/** Generates an officer's key pair, its private key protected by `passphrase`. */
export async function generateOfficerKey(options: { name: string; username: string; passphrase: string }): Promise<OfficerKeyPair> {
  const { publicKey, privateKey } = await openpgp.generateKey({
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

/** Who signed an item, after verification. */
export interface VerifiedSignature {
  readonly signerFingerprint: string;
  readonly signedAt: Date | undefined;
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

// ---------------------------------------------------------------------------------------------
// Files

/** Something to read a file from: a browser Blob and a Node file handle both fit. */
export interface ByteSource {
  readonly size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

/** What chunk 0 of a file says about it (encrypted: the server never sees it). */
export interface FileManifest {
  readonly fileId: string;
  readonly name: string;
  readonly type: string;
  readonly size: number;
  /** Number of data chunks after the manifest. */
  readonly chunks: number;
}

/** How many chunks (manifest included) a file of `size` bytes is stored as. */
export function chunkCountFor(size: number): number {
  return 1 + Math.max(1, Math.ceil(size / FILE_CHUNK_BYTES));
}

/** Where a sealed file is stored: the portal's file API, as the caller reaches it. */
export interface SealedFileDestination {
  /** Registers the file by its key packets and chunk count; answers the file's id. */
  create(file: { keyPackets: Uint8Array; chunkCount: number }): Promise<string>;
  putChunk(fileId: string, index: number, chunk: Uint8Array): Promise<void>;
  complete(fileId: string): Promise<void>;
}

/**
 * Encrypts a file chunk by chunk under one session key, for `recipients`, signed by `signer`.
 * Create it, store {@link FileSealer.keyPackets} to obtain the file's id, {@link FileSealer.bind}
 * that id (it is signed into every chunk), then call {@link FileSealer.sealChunk} for
 * 0 ... `chunkCount - 1`, one at a time: memory stays at about one chunk whatever the file size.
 * {@link FileSealer.upload} does all that against the file API.
 */
export class FileSealer {
  #fileId: string | undefined;

  private constructor(
    private readonly sessionKey: openpgp.SessionKey,
    private readonly signer: PrivateKey,
    private readonly source: ByteSource,
    private readonly description: { name: string; type: string },
    /** Key packets for the recipients; store them beside the chunks. */
    readonly keyPackets: Uint8Array,
  ) {}

  /** Prepares to seal `source`, named `name`, for `recipients`. */
  static async create(options: { name: string; type: string; source: ByteSource; recipients: PublicKey[]; signer: PrivateKey }): Promise<FileSealer> {
    const sessionKey = await openpgp.generateSessionKey({ encryptionKeys: options.recipients });
    const keyPackets = await openpgp.encryptSessionKey({ ...sessionKey, encryptionKeys: options.recipients, format: 'binary' });
    const description = { name: options.name, type: options.type || 'application/octet-stream' };
    return new FileSealer(sessionKey, options.signer, options.source, description, keyPackets);
  }

  /** Number of chunks to store, the manifest included. */
  get chunkCount(): number {
    return chunkCountFor(this.source.size);
  }

  /** Binds the id the server gave the file; every chunk carries it under the signature. */
  bind(fileId: string): void {
    this.#fileId = fileId;
  }

  /** The manifest chunk 0 carries. */
  get manifest(): FileManifest {
    if (!this.#fileId) throw new Error('bind the file id before sealing');
    return { fileId: this.#fileId, ...this.description, size: this.source.size, chunks: this.chunkCount - 1 };
  }

  /** Registers, seals and sends every chunk, and completes the file, one chunk at a time; answers its id. */
  async upload(destination: SealedFileDestination): Promise<string> {
    const id = await destination.create({ keyPackets: this.keyPackets, chunkCount: this.chunkCount });
    this.bind(id);
    for (let index = 0; index < this.chunkCount; index += 1) await destination.putChunk(id, index, await this.sealChunk(index));
    await destination.complete(id);
    return id;
  }

  /** The encrypted, signed chunk `index` (0 is the manifest). */
  async sealChunk(index: number): Promise<Uint8Array> {
    if (!Number.isInteger(index) || index < 0 || index >= this.chunkCount) throw new RangeError(`no chunk ${index}`);
    const manifest = this.manifest;
    const header = index === 0 ? { ...manifest, index: 0 } : { fileId: manifest.fileId, index };
    const bytes =
      index === 0
        ? new Uint8Array(0)
        : await this.source.read((index - 1) * FILE_CHUNK_BYTES, Math.min(index * FILE_CHUNK_BYTES, this.source.size));
    return encryptToBytes({
      message: await openpgp.createMessage({ binary: frame(header, bytes) }),
      sessionKey: this.sessionKey,
      signingKeys: this.signer,
    });
  }
}

/** Decrypts and verifies a sealed file chunk by chunk. */
export class FileOpener {
  private constructor(
    private readonly sessionKey: openpgp.SessionKey,
    private readonly authorKeys: PublicKey[],
    private readonly fileId: string,
  ) {}

  /** Opens the file's key packets with one of `decryptionKeys`. */
  static async create(options: {
    fileId: string;
    keyPackets: Uint8Array;
    decryptionKeys: PrivateKey[];
    authorKeys: PublicKey[];
  }): Promise<FileOpener> {
    const sessionKey = await openSessionKey(options.keyPackets, options.decryptionKeys);
    return new FileOpener(sessionKey, options.authorKeys, options.fileId);
  }

  /** Decrypts and checks chunk 0: the file's name, type, size and chunk count. */
  async openManifest(chunk: Uint8Array): Promise<FileManifest & { signature: VerifiedSignature }> {
    const { header, signature } = await this.#open(chunk, 0);
    const manifest = header as unknown as FileManifest;
    if (typeof manifest.name !== 'string' || typeof manifest.size !== 'number' || typeof manifest.chunks !== 'number') {
      throw new CryptoClientError('wrong-file', 'The file manifest is malformed.');
    }
    return { fileId: manifest.fileId, name: manifest.name, type: manifest.type, size: manifest.size, chunks: manifest.chunks, signature };
  }

  /** Decrypts and checks data chunk `index` (1-based; 0 is the manifest). */
  async openChunk(chunk: Uint8Array, index: number): Promise<Uint8Array> {
    return (await this.#open(chunk, index)).bytes;
  }

  async #open(chunk: Uint8Array, index: number): Promise<{ header: Record<string, unknown>; bytes: Uint8Array; signature: VerifiedSignature }> {
    const { data, signature } = await decryptVerified({
      message: chunk,
      sessionKeys: this.sessionKey,
      verificationKeys: this.authorKeys,
      format: 'binary',
    });
    const { header, bytes } = unframe(data);
    if (header['fileId'] !== this.fileId || header['index'] !== index) {
      throw new CryptoClientError('wrong-file', `Chunk ${index} belongs to another file or position.`);
    }
    return { header, bytes, signature };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** One signature's check, as openpgp.decrypt reports it (the type is not exported by OpenPGP.js). */
type Verification = Awaited<ReturnType<openpgp.Message<Uint8Array>['verify']>>[number];

/**
 * openpgp.encrypt to bytes. Its declared return type depends on stream types this project does
 * not load, so the result is narrowed here, once: with a non-stream message it is a Uint8Array.
 */
async function encryptToBytes(options: openpgp.EncryptOptions & { message: openpgp.Message<string | Uint8Array> }): Promise<Uint8Array> {
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

/** Chunk plaintext: 4-byte big-endian header length, the header as JSON, then the bytes. */
function frame(header: object, bytes: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.length);
  return concat(length, json, bytes);
}

function unframe(data: Uint8Array): { header: Record<string, unknown>; bytes: Uint8Array } {
  if (data.length < 4) throw new CryptoClientError('wrong-file', 'The chunk is too short.');
  const length = new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
  if (length > data.length - 4) throw new CryptoClientError('wrong-file', 'The chunk header is malformed.');
  const header = JSON.parse(new TextDecoder().decode(data.subarray(4, 4 + length))) as Record<string, unknown>;
  return { header, bytes: data.subarray(4 + length) };
}

async function openSessionKey(keyPackets: Uint8Array, decryptionKeys: PrivateKey[]): Promise<openpgp.SessionKey> {
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

async function decryptVerified(options: DecryptInput & { format: 'utf8' }): Promise<{ data: string; signature: VerifiedSignature }>;
async function decryptVerified(options: DecryptInput & { format: 'binary' }): Promise<{ data: Uint8Array; signature: VerifiedSignature }>;
/**
 * Decrypts and insists on a valid signature from one of `verificationKeys`, translating
 * OpenPGP.js's errors into the client's reasons.
 */
async function decryptVerified(
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
