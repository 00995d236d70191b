/**
 * Sealed files. A file is cut into chunks of {@link FILE_CHUNK_BYTES}, each an independent signed
 * message under one session key: OpenPGP.js holds a whole SEIPDv1 message in memory until its
 * integrity check (measured: +350 MB for 100 MiB), and AEAD (SEIPDv2), which streams, cannot be
 * read by GnuPG 2.2, so chunking keeps memory flat whatever the file size and keeps every piece
 * readable by gpg. Chunk 0 is a signed manifest (name, type, size, chunk count) and every chunk
 * names its file and position inside the signed data, so chunks cannot be swapped, reordered or
 * dropped unnoticed.
 */
import * as openpgp from 'openpgp';
import { concat, CryptoClientError, decryptVerified, encryptToBytes, openSessionKey, type PrivateKey, type PublicKey, type VerifiedSignature } from './openpgp-core.js';

/** Plaintext bytes per file chunk. */
export const FILE_CHUNK_BYTES = 1024 * 1024;

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
