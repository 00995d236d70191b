import type { Actor } from '../access/actor.js';

/**
 * The Socket.IO event contract, shared by the server and the browser bundle (imported, never
 * copied). Every acknowledgement answers `{ data }` on success or `{ error }` on failure, with
 * the same stable codes as HTTP errors.
 */

/** An acknowledgement: exactly one of `data` or `error`. */
export type Ack<T> = { data: T; error?: never } | { error: { code: string; message: string }; data?: never };

/** Events the browser sends to the server. */
export interface ClientToServerEvents {
  /** Round trip used by clients to measure latency and clock offset (TOTP and timestamps need it). */
  'system:ping': (payload: { clientTime: number }, ack: (answer: Ack<{ clientTime: number; serverTime: number }>) => void) => void;
}

/** Events the server pushes to the browser. */
export interface ServerToClientEvents {
  /** The server is going down for maintenance or restart; clients should expect a reconnect. */
  'system:shutdown': (payload: { reconnectAfterMs: number }) => void;
}

/** Events between server processes (none yet; the Redis adapter carries room emits). */
export type InterServerEvents = Record<string, never>;

/** Per-socket state the server keeps: who is connected, set at the handshake from the session. */
export interface SocketData {
  actor: Actor;
  connectedAt: number;
}
