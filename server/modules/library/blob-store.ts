import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Request } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import mongoose, { Schema } from 'mongoose';
import type { StorageEngine } from 'multer';
import { now } from '../../clock.js';
import { bytesOf } from '../../db/binary.js';
import { AppError } from '../../errors.js';
import { withoutDirectionControls } from '../../shared/text.js';

/**
 * Library files, stored in MongoDB in chunks whose `_id` is `<blob>:<index>`. Every read and
 * delete addresses a chunk by `_id`, the one lookup FerretDB's SQLite backend answers from an
 * index, so a range request into a long video costs the same on FerretDB and MongoDB. Bytes arrive
 * as a stream and are written chunk by chunk: memory stays flat whatever the file's size, and no
 * temporary file ever touches the disk.
 *
 * Chunks are small because FerretDB v1 reads a large document at about 6.5 MB/s (measured: a
 * 512 KiB document takes 80 ms to fetch by `_id`, a 64 KiB one 8 ms), so the first bytes of a
 * range (a seek in a video) arrive after one small chunk: 128 KiB halved the median range time
 * of 512 KiB chunks (`npm run bench:library`).
 */
export const BLOB_CHUNK_BYTES = 128 * 1024;

/** Uploads not attached to an item within this time (the request failed midway) are deleted. */
export const ORPHAN_BLOB_MS = 60 * 60_000;

const blobSchema = new Schema(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: ['uploading', 'stored', 'attached'], required: true },
    /** Chunks written so far (all of them once stored). */
    chunks: { type: Number, default: 0 },
    size: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);
blobSchema.index({ status: 1, createdAt: 1 });
const LibraryBlob = mongoose.model('LibraryBlob', blobSchema);

const chunkSchema = new Schema(
  {
    /** `<blob>:<index>` */
    _id: { type: String, required: true },
    data: { type: Buffer, required: true },
  },
  { strict: 'throw', versionKey: false },
);
const LibraryChunk = mongoose.model('LibraryChunk', chunkSchema);

const chunkId = (blob: string, index: number): string => `${blob}:${index}`;

/** How the portal shows a kind of file inline, if it does. */
export type PreviewKind = 'pdf' | 'image' | 'video' | 'none';

/** The kinds of file the library accepts, by the type found in their bytes. */
const ACCEPTED_TYPES: Readonly<Record<string, { label: string; preview: PreviewKind }>> = {
  'application/pdf': { label: 'PDF', preview: 'pdf' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'Word document', preview: 'none' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel workbook', preview: 'none' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { label: 'PowerPoint deck', preview: 'none' },
  'application/vnd.oasis.opendocument.text': { label: 'OpenDocument text', preview: 'none' },
  'application/vnd.oasis.opendocument.spreadsheet': { label: 'OpenDocument spreadsheet', preview: 'none' },
  'application/vnd.oasis.opendocument.presentation': { label: 'OpenDocument presentation', preview: 'none' },
  // Word 97-2003, Excel 97-2003 and PowerPoint 97-2003 share this container.
  'application/x-cfb': { label: 'Office 97-2003 document', preview: 'none' },
  'image/png': { label: 'PNG image', preview: 'image' },
  'image/jpeg': { label: 'JPEG image', preview: 'image' },
  'image/gif': { label: 'GIF image', preview: 'image' },
  'image/webp': { label: 'WebP image', preview: 'image' },
  'video/mp4': { label: 'MP4 video', preview: 'video' },
  'video/webm': { label: 'WebM video', preview: 'video' },
  'video/quicktime': { label: 'QuickTime video', preview: 'video' },
};

/** A human name and the preview kind of a stored type. */
export function describeType(mediaType: string): { label: string; preview: PreviewKind } {
  return ACCEPTED_TYPES[mediaType] ?? { label: mediaType, preview: 'none' };
}

/** Words for the accepted kinds, for error messages and the publish form. */
export const ACCEPTED_KINDS = 'PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP, MP4, WebM or QuickTime';

/** What the store knows of a file once all its bytes are in. */
export interface StoredBlob {
  readonly id: string;
  readonly size: number;
  readonly sha256: string;
  readonly mediaType: string;
  readonly extension: string;
}

const refused = (): AppError =>
  new AppError(415, 'file-type-refused', `This file's content is not a kind the library accepts (${ACCEPTED_KINDS}). Its name does not count: the bytes do.`);

/** The file's type from its first bytes; refuses anything the library does not accept. */
async function sniff(head: Buffer): Promise<{ mediaType: string; extension: string }> {
  const found = await fileTypeFromBuffer(head);
  if (!found || !(found.mime in ACCEPTED_TYPES)) throw refused();
  return { mediaType: found.mime, extension: found.ext };
}

/** Takes exactly `size` bytes off the front of `pending`. */
function take(pending: Buffer[], size: number): Buffer {
  const all = Buffer.concat(pending);
  pending.length = 0;
  if (all.length > size) pending.push(all.subarray(size));
  return all.subarray(0, size);
}

/**
 * Streams an upload into chunks. The type is decided from the first chunk before anything is
 * written; on any failure (refused type, limit reached, dropped connection) the chunks written
 * so far are deleted and the error is passed on.
 */
export async function storeStream(stream: Readable, isTruncated: () => boolean): Promise<StoredBlob> {
  const id = randomBytes(12).toString('hex');
  await LibraryBlob.create({ _id: id, status: 'uploading', createdAt: now() });
  const hash = createHash('sha256');
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let size = 0;
  let written = 0;
  let type: { mediaType: string; extension: string } | undefined;
  const write = async (data: Buffer): Promise<void> => {
    type ??= await sniff(data);
    await LibraryChunk.create({ _id: chunkId(id, written), data });
    written += 1;
    await LibraryBlob.updateOne({ _id: id }, { $set: { chunks: written } });
  };
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      hash.update(piece);
      size += piece.length;
      pending.push(piece);
      pendingBytes += piece.length;
      while (pendingBytes >= BLOB_CHUNK_BYTES) {
        await write(take(pending, BLOB_CHUNK_BYTES));
        pendingBytes -= BLOB_CHUNK_BYTES;
      }
    }
    if (isTruncated()) throw new AppError(413, 'file-too-large', 'The file is larger than the library accepts.');
    if (size === 0) throw new AppError(400, 'file-empty', 'The file is empty.');
    if (pendingBytes > 0) await write(take(pending, pendingBytes));
    await LibraryBlob.updateOne({ _id: id }, { $set: { status: 'stored', size, chunks: written } });
    if (!type) throw refused(); // unreachable: a non-empty file has a first chunk
    return { id, size, sha256: hash.digest('hex'), ...type };
  } catch (error) {
    stream.resume();
    await deleteBlob(id, written + 1);
    throw error;
  }
}

/** Deletes a blob's chunks (one `_id` delete each) and then the blob. */
export async function deleteBlob(id: string, chunkCount?: number): Promise<void> {
  const count = chunkCount ?? (await LibraryBlob.findById(id, { chunks: 1 }).lean())?.chunks ?? 0;
  // One past the recorded count: a crash between a chunk's insert and the count's update leaves one more.
  const operations = Array.from({ length: count + 1 }, (_, index) => ({ deleteOne: { filter: { _id: chunkId(id, index) } } }));
  if (operations.length > 0) await LibraryChunk.bulkWrite(operations, { ordered: false });
  await LibraryBlob.deleteOne({ _id: id });
}

/** Marks a stored blob as belonging to an item, so the sweeper leaves it alone. */
export async function attachBlob(id: string): Promise<void> {
  await LibraryBlob.updateOne({ _id: id, status: 'stored' }, { $set: { status: 'attached' } });
}

/**
 * Bytes `start` to `end` (inclusive) of a blob, chunk by chunk, for a download or a range request.
 * Reads one chunk at a time, so a client that reads slowly holds at most one chunk in memory.
 */
export async function* readBlob(id: string, start: number, end: number): AsyncGenerator<Buffer> {
  const first = Math.floor(start / BLOB_CHUNK_BYTES);
  const last = Math.floor(end / BLOB_CHUNK_BYTES);
  for (let index = first; index <= last; index += 1) {
    const chunk = await LibraryChunk.findById(chunkId(id, index)).lean();
    if (!chunk) throw new AppError(500, 'file-damaged', 'Part of this file is missing from storage.');
    const data = bytesOf(chunk.data);
    const offset = index * BLOB_CHUNK_BYTES;
    yield data.subarray(Math.max(0, start - offset), Math.min(data.length, end - offset + 1));
  }
}

/** Deletes uploads that never became part of an item (request failed, process stopped); returns how many. */
export async function sweepOrphanBlobs(): Promise<number> {
  const cutoff = new Date(now().getTime() - ORPHAN_BLOB_MS);
  const orphans = await LibraryBlob.find(
    { status: mongoose.trusted({ $in: ['uploading', 'stored'] }), createdAt: mongoose.trusted({ $lt: cutoff }) },
    { chunks: 1 },
  ).lean();
  for (const orphan of orphans) await deleteBlob(orphan._id, orphan.chunks);
  return orphans.length;
}

/** Information multer keeps about a file this engine stored. */
export interface StoredFileInfo {
  readonly blob: StoredBlob;
}

/** A multer storage engine that streams each file into the blob store. */
export const blobStorage: StorageEngine = {
  _handleFile(_req: Request, file, callback) {
    const stream = file.stream as Readable & { truncated?: boolean };
    storeStream(stream, () => stream.truncated === true).then(
      (blob) => callback(null, { size: blob.size, blob } as Partial<Express.Multer.File>),
      (error: unknown) => callback(error as Error),
    );
  },
  _removeFile(_req: Request, file, callback) {
    const { blob } = file as unknown as Partial<StoredFileInfo>;
    if (!blob) return callback(null);
    deleteBlob(blob.id).then(
      () => callback(null),
      (error: unknown) => callback(error as Error),
    );
  },
};

/**
 * A file's display name: no directories, no control characters (NUL included), no characters
 * that Windows forbids, at most 150 characters, and an extension that matches its bytes.
 */
export function cleanFileName(raw: string, extension: string): string {
  let name = withoutDirectionControls(raw)
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 150);
  if (!name) name = 'document';
  const lower = name.toLowerCase();
  const matches = lower.endsWith(`.${extension}`) || (extension === 'jpg' && lower.endsWith('.jpeg'));
  return matches ? name : `${name}.${extension}`;
}
