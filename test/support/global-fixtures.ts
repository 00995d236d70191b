import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resetClockForTests } from '../../server/clock.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { ensureFerretdbBinary } from '../../server/db/ferretdb-binary.js';
import { createLogger } from '../../server/logger.js';
import { stopSharedPortal } from './portal.js';

/**
 * One FerretDB for the whole run, in a fresh temporary folder removed at the end, so that no run
 * sees another's data. Each in-process portal uses its own database name on it.
 */
let database: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

/** Folder of the run's database files (SQLite), for tests that inspect what is stored at rest. */
export function testDatabaseDir(): string {
  if (!dataDir) throw new Error('the test database is not started (global fixture missing?)');
  return dataDir;
}

/** Connection string of the run's database server. */
export function testDatabaseUri(): string {
  if (!database) throw new Error('the test database is not started (global fixture missing?)');
  return database.uri;
}

/** Every test starts on real time, whatever the one before did with the clock. */
export const mochaHooks = {
  afterEach(): void {
    resetClockForTests();
  },
};

export async function mochaGlobalSetup(): Promise<void> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-test-db-'));
  const binary = await ensureFerretdbBinary();
  database = await startEmbeddedDatabase({ binary, dataDir, logger: createLogger('warn') });
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stopSharedPortal();
  await database?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
