import { recordSuccess } from '../../access/authorize.js';
import type { Actor } from '../../access/actor.js';
import mongoose from 'mongoose';
import type { AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { chunkCountFor } from '../../crypto/client.js';
import { bytesOf } from '../../db/binary.js';
import { checkEncryptedBody, checkKeyPackets } from '../../crypto/packets.js';
import { AppError, badRequest, forbidden, notFound } from '../../errors.js';
import { requireMembership, writableEpoch, writerKeyIds } from '../groups/groups.service.js';
import { forwardSealed, readableKeyPackets } from '../groups/sealed-access.js';
import type { ForwardInput } from '../items/items.schema.js';
import { currentKey } from '../keys/keys.service.js';
import { EncryptedFile, FileChunk, type EncryptedFileDocument, type FileChunkDocument } from './file.model.js';
import type { CreateFileInput } from './files.schema.js';

/** Uploads not completed within this time are deleted with their chunks. */
export const ABANDONED_UPLOAD_MS = 24 * 60 * 60_000;

/** Upper bound of a chunk's ciphertext: the plaintext chunk plus signature, header and framing. */
export const MAX_CHUNK_CIPHERTEXT_BYTES = 1024 * 1024 + 64 * 1024;

/** Encrypted files: announced, uploaded chunk by chunk, completed, read and forwarded. */
export class FilesService {
  constructor(private readonly maxFileBytes: number) {}

  /** Announces a file a member sealed for their group's current epoch. */
  async create(context: AuthorizeContext, input: CreateFileInput): Promise<{ id: string; maxChunkBytes: number }> {
    const { group, members } = await requireMembership(context, input.group);
    const epoch = await writableEpoch(group.id, input.epoch, members);
    if (input.chunkCount > chunkCountFor(this.maxFileBytes)) {
      throw new AppError(413, 'file-too-large', `Files may be at most ${Math.round(this.maxFileBytes / 1024 / 1024)} MiB.`);
    }
    const key = await currentKey(context.actor.userId);
    if (!key) throw new AppError(409, 'key-missing', 'You need a key to sign what you upload.');
    await checkKeyPackets(input.keyPackets, 'keyPackets', await writerKeyIds(epoch, key));
    const file = await EncryptedFile.create({
      group: group.id,
      epoch: epoch.epoch,
      owner: context.actor.userId,
      authorFingerprint: key.fingerprint,
      keyPackets: Buffer.from(input.keyPackets),
      chunkCount: input.chunkCount,
    });
    return { id: String(file._id), maxChunkBytes: MAX_CHUNK_CIPHERTEXT_BYTES };
  }

  /** Stores chunk `index` of an upload in progress (again, if re-sent after a dropped connection). */
  async putChunk(context: AuthorizeContext, fileId: string, index: number, data: Buffer | undefined): Promise<{ index: number; received: number }> {
    const file = await this.#find(fileId);
    if (String(file.owner) !== context.actor.userId) throw forbidden('Only the officer who started this upload can add to it.');
    if (file.status !== 'uploading') throw new AppError(409, 'upload-complete', 'This upload is already complete.');
    if (index >= file.chunkCount) throw badRequest(`This file has ${file.chunkCount} chunks.`, [{ field: 'index', message: 'out of range' }]);
    if (!data || data.length === 0) throw badRequest('Send the chunk as the "chunk" part.', [{ field: 'chunk', message: 'is missing' }]);
    await checkEncryptedBody(data, 'chunk');
    await FileChunk.updateOne({ file: file._id, index }, { $set: { data } }, { upsert: true });
    return { index, received: await FileChunk.countDocuments({ file: file._id }) };
  }

  /** Marks an upload complete once every chunk has arrived. */
  async complete(context: AuthorizeContext, fileId: string): Promise<{ id: string; chunkCount: number; ciphertextBytes: number }> {
    const file = await this.#find(fileId);
    if (String(file.owner) !== context.actor.userId) throw forbidden('Only the officer who started this upload can complete it.');
    const chunks = await FileChunk.find({ file: file._id }, { index: 1, data: 1 }).lean<FileChunkDocument[]>();
    if (chunks.length !== file.chunkCount) {
      throw new AppError(409, 'upload-incomplete', `${file.chunkCount - chunks.length} of ${file.chunkCount} chunks are still missing.`);
    }
    const ciphertextBytes = chunks.reduce((total, chunk) => total + bytesOf(chunk.data).length, 0);
    await EncryptedFile.updateOne({ _id: file._id }, { $set: { status: 'complete', ciphertextBytes } });
    await recordSuccess(context, 'file.uploaded', { type: 'file', id: String(file._id), label: file.group }, { chunks: file.chunkCount, bytes: ciphertextBytes });
    return { id: String(file._id), chunkCount: file.chunkCount, ciphertextBytes };
  }

  /** A complete file's description and the key packets that open it for the reader. */
  async describe(context: AuthorizeContext, fileId: string): Promise<Record<string, unknown>> {
    const file = await this.#findComplete(fileId);
    const access = await readableKeyPackets(context, file, 'file');
    return {
      id: String(file._id),
      group: file.group,
      via: access.group,
      epoch: access.epoch,
      ownerId: String(file.owner),
      authorFingerprint: file.authorFingerprint,
      chunkCount: file.chunkCount,
      ciphertextBytes: file.ciphertextBytes,
      keyPackets: access.keyPackets.toString('base64'),
      createdAt: file.createdAt.toISOString(),
    };
  }

  /** One encrypted chunk, for a reader of the file. */
  async chunk(context: AuthorizeContext, fileId: string, index: number): Promise<Buffer> {
    const file = await this.#findComplete(fileId);
    await readableKeyPackets(context, file, 'file');
    const chunk = await FileChunk.findOne({ file: file._id, index }).lean<FileChunkDocument>();
    if (!chunk) throw notFound('chunk');
    return bytesOf(chunk.data);
  }

  /** Opens a file for another group (an ILO passing it to units): new key packets, no second upload. */
  async forward(context: AuthorizeContext, fileId: string, input: ForwardInput): Promise<{ forwarded: string }> {
    return forwardSealed(context, await this.#findComplete(fileId), 'file', input, EncryptedFile);
  }

  /** Deletes uploads left incomplete for {@link ABANDONED_UPLOAD_MS}, chunks first; returns how many. */
  async sweepAbandoned(): Promise<number> {
    const cutoff = new Date(now().getTime() - ABANDONED_UPLOAD_MS);
    const abandoned = await EncryptedFile.find({ status: 'uploading', createdAt: mongoose.trusted({ $lt: cutoff }) }, { _id: 1 }).lean();
    for (const file of abandoned) {
      await FileChunk.deleteMany({ file: file._id });
      await EncryptedFile.deleteOne({ _id: file._id, status: 'uploading' });
    }
    return abandoned.length;
  }

  async #find(fileId: string): Promise<EncryptedFileDocument> {
    const file = mongoose.isValidObjectId(fileId) ? await EncryptedFile.findById(fileId).lean<EncryptedFileDocument>() : null;
    if (!file) throw notFound('file');
    return file;
  }

  async #findComplete(fileId: string): Promise<EncryptedFileDocument> {
    const file = await this.#find(fileId);
    if (file.status !== 'complete') throw notFound('file');
    return file;
  }
}

/**
 * Binds an officer's completed uploads in `group` to what they are attached to (`binding`, say
 * `broadcast:<id>`), so only it can open them for more groups; refused if any is someone else's,
 * another group's, unfinished or bound elsewhere. `noun` names that thing in the error.
 */
export async function bindFiles(owner: Pick<Actor, 'userId'>, fileIds: readonly string[], group: string, binding: string, noun: string): Promise<string[]> {
  if (fileIds.length === 0) return [];
  const files = await EncryptedFile.find({ _id: mongoose.trusted({ $in: fileIds }) }).lean();
  const usable = files.filter((file) => String(file.owner) === owner.userId && file.group === group && file.status === 'complete' && (!file.boundTo || file.boundTo === binding));
  if (usable.length !== fileIds.length) {
    throw badRequest(`Attach only files you finished uploading for this ${noun}.`, [{ field: 'attachments', message: 'includes a file that cannot be attached' }]);
  }
  await EncryptedFile.updateMany({ _id: mongoose.trusted({ $in: fileIds }) }, { $set: { boundTo: binding } }).exec();
  return [...fileIds];
}

/** Frees files no longer attached (a draft's attachment removed). */
export async function unbindFiles(fileIds: readonly string[]): Promise<void> {
  if (fileIds.length > 0) await EncryptedFile.updateMany({ _id: mongoose.trusted({ $in: fileIds }) }, { $unset: { boundTo: 1 } }).exec();
}

/** How many of `fileIds` are the officer's completed uploads to `group` (a message may attach only those). */
export function countOwnUploads(owner: Pick<Actor, 'userId'>, fileIds: readonly string[], group: string): Promise<number> {
  return EncryptedFile.countDocuments({ _id: mongoose.trusted({ $in: fileIds }), group, owner: owner.userId, status: 'complete' });
}
