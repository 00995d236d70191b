import mongoose from 'mongoose';
import { AppError } from '../errors.js';

/**
 * Whether the database is known to be down (the embedded database died and is being restarted),
 * so that writes fail at once with a clear, retryable error instead of waiting for the driver's
 * server-selection timeout on every send.
 */
let downSince: number | undefined;

export function markDatabaseDown(): void {
  downSince ??= performance.now();
}

/** Marks it up again; returns for how many milliseconds it was down. */
export function markDatabaseUp(): number {
  const down = downSince === undefined ? 0 : performance.now() - downSince;
  downSince = undefined;
  return down;
}

export function isDatabaseDown(): boolean {
  return downSince !== undefined;
}

/** Throws the retryable `database-unavailable` error while the database is down. */
export function requireDatabase(): void {
  if (downSince !== undefined) {
    throw new AppError(503, 'database-unavailable', 'The database is restarting. Nothing was stored; it is sent again in a moment.');
  }
}

/** The error to answer for a write that failed: retryable when the database was unreachable. */
export function unavailableOr(error: unknown): unknown {
  const { MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError } = mongoose.mongo;
  const unreachable = error instanceof MongoNetworkError || error instanceof MongoServerSelectionError || error instanceof MongoNotConnectedError;
  if (!unreachable && downSince === undefined) return error;
  return new AppError(503, 'database-unavailable', 'The database could not be reached. Nothing was stored; it is sent again in a moment.');
}
