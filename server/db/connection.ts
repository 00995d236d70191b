import mongoose, { type Connection } from 'mongoose';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { detectCapabilities, type DatabaseCapabilities } from './capabilities.js';
import { startEmbeddedDatabase } from './embedded.js';
import { EmbeddedSupervisor } from './embedded-supervisor.js';
import { ensureFerretdbBinary } from './ferretdb-binary.js';

/** The portal's database: the mongoose connection, what the server behind it can do, and how to close it. */
export interface Database {
  readonly connection: Connection;
  readonly capabilities: DatabaseCapabilities;
  /** Set when the database is the embedded FerretDB child (restarted if it dies). */
  readonly embedded: EmbeddedSupervisor | undefined;
  /** Answers whether the database responds to a ping within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Closes the connection and, for the embedded database, stops the child. */
  close(): Promise<void>;
}

// Query filters never carry operators that came from input: `{ "$ne": null }` becomes a literal.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

/**
 * Connects mongoose to `MONGODB_URI`, or, when it is unset, starts the embedded FerretDB (building
 * it once per machine if needed) and connects to that.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedSupervisor | undefined;
  let uri = config.database.uri;
  if (!uri) {
    const binary =
      config.embedded.binary ??
      (await ensureFerretdbBinary((target) =>
        logger.warn({ target }, 'building the embedded database (FerretDB) once for this machine; this takes a minute or two'),
      ));
    const options = { binary, dataDir: config.embedded.dataDir, logger };
    embedded = new EmbeddedSupervisor(await startEmbeddedDatabase(options), options, logger);
    uri = embedded.uri;
  }

  try {
    await mongoose.connect(uri, {
      dbName: config.database.name,
      serverSelectionTimeoutMS: 5_000,
      // A small pool is enough for the embedded database; production sizing comes from the URI.
      maxPoolSize: embedded ? 20 : undefined,
      // Indexes are brought in line once, by syncIndexes (db/indexes.ts), at start. Mongoose's own
      // pass per model would run alongside it, and FerretDB v1 answers two concurrent creations of
      // one index with "already exists" (a portal restarting in a cluster failed to start on it).
      autoIndex: false,
    });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const connection = mongoose.connection;
  const capabilities = await detectCapabilities(connection);
  logger.info(
    {
      database: config.database.name,
      server: capabilities.kind,
      version: capabilities.version,
      // The embedded database's loopback address and process, for an operator's tools.
      embedded: embedded ? { uri: embedded.uri, pid: embedded.pid } : false,
    },
    'database connected',
  );

  return {
    connection,
    capabilities,
    embedded,
    async ping(timeoutMs = 2_000) {
      const db = connection.db;
      if (!db || connection.readyState !== mongoose.ConnectionStates.connected) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          db.admin().ping().then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
          }),
        ]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await mongoose.disconnect();
      await embedded?.stop(config.shutdownTimeoutMs);
    },
  };
}
