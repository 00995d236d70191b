import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { OriginPolicy } from '../middleware/origin.js';
import type { Logger } from '../logger.js';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events.js';

/** The portal's typed Socket.IO server. */
export type PortalServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Largest packet a client may send; larger ones close that client's connection, nothing else. */
export const MAX_SOCKET_PACKET_BYTES = 1_000_000;

const pingPayload = z.object({ clientTime: z.number().finite() });

/**
 * Attaches Socket.IO to the HTTP server. Connections from an origin other than the portal's own
 * are refused before the handshake completes.
 */
export function createRealtime(httpServer: HttpServer, isAllowedOrigin: OriginPolicy, logger: Logger): PortalServer {
  const log = logger.child({ component: 'realtime' });
  const io: PortalServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_PACKET_BYTES,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      // Browsers always send Origin on WebSocket and cross-origin XHR; non-browser clients
      // (scripts, tests) may omit it and are authenticated by session like everyone else.
      const allowed = origin === undefined || isAllowedOrigin(origin);
      if (!allowed) log.warn({ origin }, 'socket refused: foreign origin');
      callback(allowed ? null : 'origin not allowed', allowed);
    },
  });

  io.on('connection', (socket) => {
    socket.data.connectedAt = Date.now();
    socket.on('system:ping', (payload, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = pingPayload.safeParse(payload);
      if (!parsed.success) {
        ack({ error: { code: 'bad-request', message: 'clientTime must be a number.' } });
        return;
      }
      ack({ data: { clientTime: parsed.data.clientTime, serverTime: Date.now() } });
    });
  });

  return io;
}
