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

/**
 * The retryable `database-unavailable` error for a failure caused by the database being out of
 * reach (a network error, no server to select, a closed client, or a database known to be
 * restarting); undefined for any other failure. Any read or write may meet one between a crash
 * and the portal noticing it.
 */
export function databaseOutage(error: unknown): AppError | undefined {
  if (error instanceof AppError) return undefined;
  if (!isUnreachable(error) && downSince === undefined) return undefined;
  return new AppError(503, 'database-unavailable', 'The database could not be reached. Nothing was stored; it is sent again in a moment.');
}

/**
 * Whether the driver failed for want of a database: directly, or wrapped (a bulk write that lost
 * its connection is a `MongoBulkWriteError` holding the network error as its `errorResponse`).
 */
function isUnreachable(error: unknown, depth = 0): boolean {
  const { MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError } = mongoose.mongo;
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError || error instanceof MongoNotConnectedError) return true;
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const wrapped = error as { errorResponse?: unknown; cause?: unknown };
  return isUnreachable(wrapped.errorResponse, depth + 1) || isUnreachable(wrapped.cause, depth + 1);
}

/** The error to answer for a write that failed: retryable when the database was unreachable. */
export function unavailableOr(error: unknown): unknown {
  return databaseOutage(error) ?? error;
}
