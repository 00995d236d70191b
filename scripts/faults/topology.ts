/**
 * The ways the portal is run that faults are injected into: one process on its embedded database
 * (as `npm start` runs it), or several processes sharing a database and Redis behind HAProxy (as
 * the README's production section runs them). Every piece is a real process on loopback.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createLogger } from '../../server/logger.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { ensureFerretdbBinary } from '../../server/db/ferretdb-binary.js';
import { freePort, startRedis } from '../../test/support/redis-server.js';
import { spawnServer, type ServerProcess } from '../../test/support/server-process.js';
import { startHaproxy } from './haproxy.js';

/** One portal process at a fixed port (a restart comes back at the same address). */
export class PortalSlot {
  #server: ServerProcess | undefined;

  constructor(
    readonly port: number,
    private readonly environment: Record<string, string>,
  ) {}

  get server(): ServerProcess {
    if (!this.#server) throw new Error('portal not started');
    return this.#server;
  }

  /** Starts the process and resolves once it listens. */
  async start(): Promise<void> {
    this.#server = spawnServer({ ...this.environment, PORT: String(this.port) }, { detached: true });
    await this.#server.waitForLog((line) => line['msg'] === 'listening', 120_000);
  }

  /** Signals the process and waits for it to exit (killing it if it has not within 15 s). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const server = this.#server;
    if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
    server.child.kill(signal);
    const killer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
    await server.exited;
    clearTimeout(killer);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Whether `/readyz` answers 200. */
  async ready(): Promise<boolean> {
    return fetch(`http://127.0.0.1:${this.port}/readyz`).then((answer) => answer.ok, () => false);
  }
}

export interface Topology {
  /** The one address officers use. */
  readonly url: string;
  readonly databaseUri: () => string;
  readonly databaseName: string;
  readonly portals: PortalSlot[];
  readonly redis?: { port: number; stop(): Promise<void>; restart(): Promise<void> };
  /** Process id of the database (the embedded one, as it is now). */
  databasePid(): number;
  stop(): Promise<void>;
}

/** One portal on its embedded database in `dataDir`, with demo data. */
export async function singlePortal(dataDir: string): Promise<Topology> {
  const slot = new PortalSlot(await freePort(), { DATA_DIR: dataDir, DEMO_DATA: 'true', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '3000' });
  await slot.start();
  const embedded = (): { uri: string; pid: number } => {
    const restarted = slot.server.logs.findLast((line) => line['msg'] === 'embedded database restarted');
    const connected = slot.server.logs.findLast((line) => line['msg'] === 'database connected')?.['embedded'] as { uri: string; pid: number };
    return { uri: connected.uri, pid: Number(restarted?.['pid'] ?? connected.pid) };
  };
  return {
    url: `http://127.0.0.1:${slot.port}`,
    databaseUri: () => embedded().uri,
    databaseName: 'bharatpol',
    portals: [slot],
    databasePid: () => embedded().pid,
    stop: () => slot.kill('SIGTERM'),
  };
}

/**
 * `count` portals sharing one database and one Redis behind HAProxy (or, with `proxy: false`,
 * each at its own address), with demo data; the database is a fresh database name in
 * `databaseUri` (dropped by `stop`) or an embedded one started in `dataDir`.
 */
export async function cluster(dataDir: string, options: { count?: number; databaseUri?: string; proxy?: boolean } = {}): Promise<Topology> {
  let database: EmbeddedDatabase | undefined;
  if (!options.databaseUri) {
    database = await startEmbeddedDatabase({ binary: await ensureFerretdbBinary(), dataDir, logger: createLogger('warn') });
  }
  const databaseUri = options.databaseUri ?? database!.uri;
  const databaseName = `faults_${randomBytes(4).toString('hex')}`;
  let redis = await startRedis();
  const environment = {
    MONGODB_URI: databaseUri,
    MONGODB_DB: databaseName,
    APP_SECRET: `fault-run-secret-${randomBytes(16).toString('hex')}`,
    REDIS_URL: redis.url,
    TRUST_PROXY: '1',
    DEMO_DATA: 'true',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
  const portals: PortalSlot[] = [];
  for (let index = 0; index < (options.count ?? 2); index += 1) {
    const slot = new PortalSlot(await freePort(), environment);
    await slot.start(); // one after the other: the first loads the demo data
    portals.push(slot);
  }
  const proxy = options.proxy === false ? undefined : await startHaproxy(dataDir, await freePort(), portals.map((slot) => slot.port));
  return {
    url: proxy?.url ?? portals[0]!.url,
    databaseUri: () => databaseUri,
    databaseName,
    portals,
    redis: {
      get port() {
        return redis.port;
      },
      stop: () => redis.stop(),
      async restart() {
        redis = await startRedis(redis.port);
      },
    },
    databasePid: () => database?.pid ?? -1,
    async stop() {
      await proxy?.stop();
      for (const slot of portals) await slot.kill('SIGTERM');
      await redis.stop();
      if (database) await database.stop();
      else await dropDatabase(databaseUri, databaseName);
    },
  };
}

async function dropDatabase(uri: string, name: string): Promise<void> {
  const client = await MongoClient.connect(uri);
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}
