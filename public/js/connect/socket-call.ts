import type { Ack, ClientToServerEvents } from '../../../server/realtime/events.js';
import type { PortalSocket } from '../lib/connection.js';

/** Events the server answers through an acknowledgement, and what each answers with. */
type Answered = {
  [E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]>[1] extends ((answer: Ack<infer T>) => void) | undefined ? T : never;
};

/** An error the server answered with (its stable code), or `timeout` when it did not answer. */
export class SocketCallError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Emits an event and resolves with what the server answered, or rejects with its error (or a timeout). */
export function call<E extends keyof ClientToServerEvents>(socket: PortalSocket, event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<Answered[E]> {
  return new Promise((resolve, reject) => {
    // Socket.IO's types for a timed emit with a typed acknowledgement are too generic to follow.
    const timed = socket.timeout(10_000) as unknown as { emit(event: E, payload: unknown, answer: (error: Error | null, ack: Ack<Answered[E]>) => void): void };
    timed.emit(event, payload, (error, ack) => {
      if (error) return reject(new SocketCallError('The server did not answer in time.', 'timeout'));
      if (ack.error) return reject(new SocketCallError(ack.error.message, ack.error.code));
      resolve(ack.data);
    });
  });
}
