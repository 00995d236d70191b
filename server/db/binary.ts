import mongoose from 'mongoose';

/**
 * Bytes of a binary field as read from the database: lean queries return BSON `Binary`, hydrated
 * documents a Buffer. Every reader of stored ciphertext goes through here.
 */
export function bytesOf(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof mongoose.mongo.Binary) return Buffer.from(value.buffer);
  if (value instanceof Uint8Array) return Buffer.from(value);
  throw new TypeError('not binary data');
}
