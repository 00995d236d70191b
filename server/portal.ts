import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/connection.js';
import type { Logger } from './logger.js';
import { originPolicy } from './middleware/origin.js';
import { createRealtime, type PortalServer } from './realtime/io.js';

function boundPort(server: HttpServer): number {
  return (server.address() as AddressInfo | null)?.port ?? -1;
}

/** A running portal: HTTP, Socket.IO and the database, and the one way to stop them. */
export interface Portal {
  readonly app: Express;
  readonly httpServer: HttpServer;
  readonly io: PortalServer;
  readonly database: Database;
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

/** Boots the database, the Express app and Socket.IO, and listens on the configured host and port. */
export async function startPortal(config: Config, logger: Logger): Promise<Portal> {
  const database = await openDatabase(config, logger);
  let shuttingDown = false;
  let app: Express;
  let httpServer: HttpServer;
  let io: PortalServer;
  try {
    app = createApp({ config, logger, database, isShuttingDown: () => shuttingDown });
    httpServer = createServer({ requestTimeout: 120_000, headersTimeout: 30_000 }, app);
    io = createRealtime(httpServer, originPolicy(config.publicOrigin, () => boundPort(httpServer)), logger);
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await database.close();
    throw error;
  }

  const port = boundPort(httpServer);
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ port, url, publicOrigin: config.publicOrigin }, 'listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      shuttingDown = true;
      logger.info('shutting down');
      io.emit('system:shutdown', { reconnectAfterMs: 2_000 });
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
      await database.close();
      logger.info('stopped');
    })();
    return stopping;
  };

  return { app, httpServer, io, database, port, url, stop };
}
