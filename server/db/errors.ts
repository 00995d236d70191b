import mongoose from 'mongoose';

/** True when `error` is the database's duplicate-key error (a unique index refused a write). */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof mongoose.mongo.MongoServerError && error.code === 11000;
}
