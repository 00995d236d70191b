import type { z } from 'zod';
import type { AuditSink } from '../access/audit-event.js';
import type { AuthorizeContext } from '../access/authorize.js';
import { databaseOutage } from '../db/availability.js';
import { AppError, toErrorBody } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Ack } from './events.js';
import type { PortalSocket } from './portal-server.js';

/** A socket event handler as Socket.IO calls it: the socket as `this`, the payload, the acknowledgement. */
export type SocketHandler<T> = (this: PortalSocket, payload: unknown, ack?: (answer: Ack<T>) => void) => void;

/**
 * Makes socket event handlers for a module: each parses its payload with a zod schema, runs, and
 * answers through the acknowledgement `{ data }` or `{ error }` with a stable code, whatever
 * happens (nothing a client sends can throw past it). A database outage answers the retryable
 * `database-unavailable`; unexpected failures are logged and masked. A handler is made once and
 * shared by every socket, so ten thousand sockets do not each hold a copy of every handler.
 */
export function socketHandlers(log: Logger) {
  return <S extends z.ZodType, T>(schema: S, run: (socket: PortalSocket, input: z.output<S>) => Promise<T>): SocketHandler<T> =>
    function (this: PortalSocket, payload, ack) {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        reply({ error: { code: 'bad-request', message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') } });
        return;
      }
      run(this, parsed.data).then(
        (data) => reply({ data }),
        (error: unknown) => {
          const outage = databaseOutage(error);
          if (outage) log.warn({ err: error }, 'socket handler met a database outage');
          else if (!(error instanceof AppError)) log.error({ err: error }, 'socket handler failed');
          const { body } = toErrorBody(outage ?? error);
          reply({ error: { code: body.error.code, message: body.error.message } });
        },
      );
    };
}

/** The context a service needs to authorise and audit a socket's officer. */
export function socketContext(socket: PortalSocket, audit: AuditSink): AuthorizeContext {
  return {
    actor: socket.data.actor,
    origin: { ip: socket.handshake.address, userAgent: socket.handshake.headers['user-agent'] },
    audit,
  };
}
