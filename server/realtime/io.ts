import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { OriginPolicy } from '../middleware/origin.js';
import type { loadSession } from '../sessions/session.middleware.js';
import { TOUCH_INTERVAL_MS, type SessionStore } from '../sessions/session.service.js';
import type { ClientToServerEvents } from './events.js';
import type { PortalServer, PortalSocket } from './portal-server.js';
import { audienceRoomsOf } from './audience.js';
import { accountRoom, sessionRoom } from './terminator.js';

export type { PortalServer, PortalSocket } from './portal-server.js';

/** Largest packet a client may send; larger ones close that client's connection, nothing else. */
export const MAX_SOCKET_PACKET_BYTES = 1_000_000;

/** How often live sockets are checked against their sessions (idle expiry, sweeps, other processes). */
export const SESSION_RECHECK_MS = 15_000;

const pingPayload = z.object({ clientTime: z.number().finite() });

export interface RealtimeOptions {
  readonly isAllowedOrigin: OriginPolicy;
  readonly sessionMiddleware: ReturnType<typeof loadSession>;
  readonly sessions: SessionStore;
  readonly logger: Logger;
}

/**
 * Attaches Socket.IO to the HTTP server. A connection must come from the portal's own origin
 * (when the client says where it comes from) and carry a live session: the same session
 * middleware as HTTP runs on the handshake, and each socket joins only rooms the server chooses:
 * its session, its account, and its role and agency (for publications meant for an audience).
 */
export function createRealtime(httpServer: HttpServer, options: RealtimeOptions): PortalServer {
  const log = options.logger.child({ component: 'realtime' });
  const io: PortalServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_PACKET_BYTES,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      // Browsers always send Origin on WebSocket and cross-origin XHR; non-browser clients
      // (scripts, tests) may omit it and are authenticated by session like everyone else.
      const allowed = origin === undefined || options.isAllowedOrigin(origin);
      if (!allowed) log.warn({ origin }, 'socket refused: foreign origin');
      callback(allowed ? null : 'origin not allowed', allowed);
    },
  });

  // The session is loaded by a Socket.IO middleware, once per connection, not by an engine.io
  // one: engine.io gives those a stand-in response, kept for the connection's life, and adds then
  // deletes a property of the request, which V8 then keeps as a slow dictionary (heap snapshots:
  // 1.4 KB more per socket, where a bare Socket.IO socket holds 11 KB). A socket's session is
  // checked again by the recheck below and ended at once on sign-out (terminator.ts).
  io.use((socket, next) => {
    void options.sessionMiddleware(socket.request, undefined, (error?: unknown) => {
      const actor = socket.request.portalSession?.actor;
      if (error) log.error({ err: error }, 'socket session could not be loaded');
      if (error || !actor) {
        next(new Error(error ? 'unavailable' : 'unauthenticated'));
        return;
      }
      socket.data.actor = actor;
      socket.data.connectedAt = Date.now();
      socket.data.touchedAt = Date.now();
      next();
    });
  });

  /** Socket activity keeps the session alive as page loads do (told to the store at most once a minute). */
  const keepSessionAlive = (socket: PortalSocket): void => {
    if (Date.now() - socket.data.touchedAt < TOUCH_INTERVAL_MS) return;
    socket.data.touchedAt = Date.now();
    options.sessions.touch(socket.data.actor.sessionId, (error: unknown) => log.warn({ err: error }, 'session touch failed'));
  };
  // Made once and shared by every socket.
  const ping: ClientToServerEvents['system:ping'] = (payload, ack) => {
    if (typeof ack !== 'function') return;
    const parsed = pingPayload.safeParse(payload);
    if (!parsed.success) {
      ack({ error: { code: 'bad-request', message: 'clientTime must be a number.' } });
      return;
    }
    ack({ data: { clientTime: parsed.data.clientTime, serverTime: Date.now() } });
  };

  io.on('connection', (socket) => {
    const { actor } = socket.data;
    void socket.join([sessionRoom(actor.sessionId), accountRoom(actor.userId), ...audienceRoomsOf(actor)]);
    socket.use((_packet, next) => {
      keepSessionAlive(socket);
      next();
    });
    socket.on('system:ping', ping);
  });

  const recheck = setInterval(() => {
    void disconnectEndedSessions(io, options.sessions).catch((error: unknown) => log.error({ err: error }, 'session recheck failed'));
  }, SESSION_RECHECK_MS);
  recheck.unref();
  io.engine.on('close', () => clearInterval(recheck));
  httpServer.once('close', () => clearInterval(recheck));

  return io;
}

/** Disconnects this process's sockets whose session no longer exists (expired, swept, signed out elsewhere). */
async function disconnectEndedSessions(io: PortalServer, sessions: SessionStore): Promise<void> {
  const sockets = [...io.of('/').sockets.values()];
  if (sockets.length === 0) return;
  const live = await sessions.liveAmong([...new Set(sockets.map((socket) => socket.data.actor.sessionId))]);
  for (const socket of sockets) {
    if (!live.has(socket.data.actor.sessionId)) socket.disconnect(true);
  }
}
