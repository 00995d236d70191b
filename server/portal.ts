import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { syncIndexes } from './db/indexes.js';
import { openDatabase, type Database } from './db/connection.js';
import type { Logger } from './logger.js';
import { originPolicy } from './middleware/origin.js';
import { loadActor } from './modules/accounts/accounts.actor.js';
import { registerConnectHandlers } from './modules/connect/connect.socket.js';
import { onDemoStage } from './demo/demo-desks.js';
import { demoNotices } from './demo/notices.js';
import { demoReferences } from './demo/references.js';
import { seedDemoDataIfEmpty } from './demo/seed.js';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { sweepOrphanBlobs } from './modules/library/blob-store.js';
import { createRealtime, type PortalServer } from './realtime/io.js';
import { RedisSeqAllocator } from './modules/connect/redis-seq-allocator.js';
import { connectRedis } from './realtime/redis.js';
import { createServices, type Services } from './services.js';
import { loadSession } from './sessions/session.middleware.js';

/**
 * How often expired sessions and abandoned uploads are deleted (there are no TTL indexes on
 * FerretDB), and broadcast reminders, deadlines and escalations are checked.
 */
const SWEEP_MS = 60_000;

/** A running portal: HTTP, Socket.IO and the database, and the one way to stop them. */
export interface Portal {
  readonly app: Express;
  readonly httpServer: HttpServer;
  readonly io: PortalServer;
  readonly database: Database;
  readonly services: Services;
  /** The port actually bound (useful with PORT=0). */
  readonly port: number;
  /** Base URL of the running server, such as http://127.0.0.1:3000. */
  readonly url: string;
  /**
   * Graceful stop: readiness turns 503, no new connections are accepted, in-flight requests drain
   * (up to the shutdown timeout, then connections are cut), sockets are told and closed, the
   * database connection closes and the embedded database stops. Safe to call more than once.
   */
  stop(): Promise<void>;
}

function boundPort(server: HttpServer): number {
  return (server.address() as AddressInfo | null)?.port ?? -1;
}

export interface PortalOptions {
  /**
   * Run the sweeps every minute (expired sessions, abandoned uploads, broadcast, reference and notice deadlines); on
   * unless false. The shared test portal turns them off: a test that moves the clock a day on
   * would otherwise, now and then, see a sweep end every other test's sessions meanwhile. Tests
   * of the sweeps call them.
   */
  readonly periodicSweeps?: boolean;
}

/** Boots the database, the services, the Express app and Socket.IO, and listens. */
export async function startPortal(config: Config, logger: Logger, options: PortalOptions = {}): Promise<Portal> {
  const database = await openDatabase(config, logger);
  let io: PortalServer | undefined;
  // Told to this process's own sockets (not through the adapter, which rides on Redis).
  const redisWatcher = {
    down: () => io?.local.emit('system:degraded', { service: 'realtime', message: 'The message service is reconnecting.' }),
    up: () => io?.local.emit('system:restored', { service: 'realtime' }),
  };
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, logger, redisWatcher) : undefined;
  // The adapter reads Redis in a loop: on a client that refuses commands while offline the loop
  // would spin without yielding and starve the process, so it has a client of its own that
  // queues while Redis is away (what it carries is late, not lost; clients resync when told).
  const adapterRedis = redis ? await redis.duplicate({ disableOfflineQueue: false }).on('error', () => undefined).connect() : undefined;
  let shuttingDown = false;
  let services: Services;
  let app: Express;
  let httpServer: HttpServer;
  try {
    await syncIndexes(database);
    services = await createServices(config, logger, { database: database.capabilities, ...(redis ? { seqs: new RedisSeqAllocator(redis) } : {}) });
    const seeded = config.demoData && (await seedDemoDataIfEmpty(services.sealer, logger));
    httpServer = createServer({ requestTimeout: 120_000, headersTimeout: 30_000 });
    const isAllowedOrigin = originPolicy(config.publicOrigin, () => boundPort(httpServer));
    const sessionMiddleware = loadSession(services.sessions, loadActor);
    app = createApp({ services, database, isAllowedOrigin, sessionMiddleware, isShuttingDown: () => shuttingDown });
    if (seeded) await onDemoStage(app, services.sessions, logger, [demoReferences, demoNotices]);
    httpServer.on('request', app);
    io = createRealtime(httpServer, { isAllowedOrigin, sessionMiddleware, sessions: services.sessions, logger });
    if (adapterRedis) io.adapter(createAdapter(adapterRedis));
    services.sockets.attach(io);
    services.notifier.attach(io);
    registerConnectHandlers(io, { connect: services.connect, changes: services.messageChanges, audit: services.audit, logger });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    adapterRedis?.destroy();
    await redis?.close().catch(() => undefined);
    await database.close();
    throw error;
  }

  const sweep = (): void => {
    services.sessions.sweep().then(
      (removed) => removed > 0 && logger.info({ removed }, 'expired sessions swept'),
      (error: unknown) => logger.error({ err: error }, 'session sweep failed'),
    );
    services.files.sweepAbandoned().then(
      (removed) => removed > 0 && logger.info({ removed }, 'abandoned uploads removed'),
      (error: unknown) => logger.error({ err: error }, 'upload sweep failed'),
    );
    sweepOrphanBlobs().then(
      (removed) => removed > 0 && logger.info({ removed }, 'unfinished library uploads removed'),
      (error: unknown) => logger.error({ err: error }, 'library upload sweep failed'),
    );
    services.broadcasts.sweep().then(
      (counts) => counts.reminded + counts.overdue > 0 && logger.info(counts, 'broadcast reminders and deadlines'),
      (error: unknown) => logger.error({ err: error }, 'broadcast sweep failed'),
    );
    services.references.sweep().then(
      (counts) => counts.reminded + counts.overdue + counts.escalated > 0 && logger.info(counts, 'reference reminders, deadlines and escalations'),
      (error: unknown) => logger.error({ err: error }, 'reference sweep failed'),
    );
    services.notices.sweep().then(
      (counts) => counts.reminded + counts.overdue + counts.escalated > 0 && logger.info(counts, 'notice reminders, deadlines and escalations'),
      (error: unknown) => logger.error({ err: error }, 'notice sweep failed'),
    );
  };
  const sweeper = options.periodicSweeps === false ? undefined : setInterval(sweep, SWEEP_MS).unref();

  const port = boundPort(httpServer);
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ port, url, publicOrigin: config.publicOrigin }, 'listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      shuttingDown = true;
      clearInterval(sweeper);
      logger.info('shutting down');
      io.emit('system:shutdown', { reconnectAfterMs: 2_000 });
      // Messages already accepted are written and acknowledged before sockets close.
      await services.writer.drain();
      await services.sessions.saveTouches().catch((error: unknown) => logger.warn({ err: error }, 'session activity not saved'));
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const forced = setTimeout(() => {
        logger.warn('shutdown timeout: cutting open connections');
        httpServer.closeAllConnections();
      }, config.shutdownTimeoutMs);
      // io.close() disconnects every socket and closes the HTTP server it is attached to.
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      await closed;
      clearTimeout(forced);
      // The adapter's queue is best effort (clients resync); Redis may be away: do not wait on it.
      adapterRedis?.destroy();
      await redis?.close().catch((error: unknown) => logger.warn({ err: error }, 'redis not closed cleanly'));
      await database.close();
      logger.info('stopped');
    })();
    return stopping;
  };

  return { app, httpServer, io, database, services, port, url, stop };
}
