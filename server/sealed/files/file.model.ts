import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { sealedFields } from '../sealed-fields.js';

const encryptedFileSchema = new Schema(
  {
    /** Every chunk is encrypted under the session key its key packets wrap. */
    ...sealedFields,
    owner: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    /** Chunks announced (manifest included), and how many have arrived. */
    chunkCount: { type: Number, required: true, min: 2 },
    ciphertextBytes: { type: Number, default: 0 },
    status: { type: String, enum: ['uploading', 'complete'], default: 'uploading' },
  },
  { timestamps: true, strict: 'throw' },
);
encryptedFileSchema.index({ group: 1, _id: -1 });
encryptedFileSchema.index({ status: 1, createdAt: 1 });

/**
 * An end-to-end encrypted file. Its name, type and size are inside the encrypted manifest
 * (chunk 0): the server knows only how many chunks there are and their ciphertext size.
 */
export const EncryptedFile = mongoose.model('EncryptedFile', encryptedFileSchema);
export type EncryptedFileDocument = InferSchemaType<typeof encryptedFileSchema> & { _id: Types.ObjectId; createdAt: Date };

const fileChunkSchema = new Schema(
  {
    file: { type: Schema.Types.ObjectId, ref: 'EncryptedFile', required: true },
    index: { type: Number, required: true, min: 0 },
    data: { type: Buffer, required: true },
  },
  { strict: 'throw', versionKey: false },
);
fileChunkSchema.index({ file: 1, index: 1 }, { unique: true });

/**
 * One encrypted chunk of a file, stored in a collection of the portal's own (each well under the
 * 16 MB document limit), which works the same on FerretDB and MongoDB.
 */
export const FileChunk = mongoose.model('FileChunk', fileChunkSchema);
export type FileChunkDocument = InferSchemaType<typeof fileChunkSchema> & { _id: Types.ObjectId };
