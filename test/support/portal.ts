import { randomBytes } from 'node:crypto';
import { parseConfig, type Config } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startPortal, type Portal } from '../../server/portal.js';
import { testDatabaseUri } from './global-fixtures.js';

let shared: Promise<Portal> | undefined;

/** A configuration for a test portal on port 0, using `overrides` on top of test defaults. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    MONGODB_URI: testDatabaseUri(),
    MONGODB_DB: `test_${randomBytes(6).toString('hex')}`,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    SHUTDOWN_TIMEOUT_MS: '2000',
    APP_SECRET: 'test-app-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    SIGN_IN_RATE_LIMIT: '100000',
    // Small enough for a test to go past it.
    LIBRARY_MAX_FILE_MB: '8',
    ...overrides,
  });
}

/**
 * The run's in-process portal (real Express, Socket.IO and database on port 0), started on first
 * use. mongoose's connection is per process, so integration tests share this one portal and each
 * test builds its own data; tests that stop a server spawn their own process instead.
 */
export function sharedPortal(): Promise<Portal> {
  shared ??= startPortal(testConfig(), createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent'), { periodicSweeps: false });
  return shared;
}

/** Stops the shared portal and drops its database. */
export async function stopSharedPortal(): Promise<void> {
  if (!shared) return;
  const portal = await shared;
  shared = undefined;
  await portal.database.connection.dropDatabase();
  await portal.stop();
}
