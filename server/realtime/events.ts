import type { Actor } from '../access/actor.js';

/**
 * The Socket.IO event contract, shared by the server and the browser bundle (imported, never
 * copied). This file holds what every module shares (the acknowledgement, the system events,
 * per-socket state); each module adds its own events in its `<module>.events.ts`, by adding to
 * {@link ClientToServerEvents} and {@link ServerToClientEvents} (TypeScript declaration
 * merging), so that no one file lists every module's events. Every acknowledgement answers
 * `{ data }` on success or `{ error }` on failure, with the same stable codes as HTTP errors.
 */

/** An acknowledgement: exactly one of `data` or `error`. */
export type Ack<T> = { data: T; error?: never } | { error: { code: string; message: string }; data?: never };
export type Answer<T> = (answer: Ack<T>) => void;

/** Events the browser sends to the server. */
export interface ClientToServerEvents {
  /** Round trip used by clients to measure latency and clock offset (TOTP and timestamps need it). */
  'system:ping': (payload: { clientTime: number }, ack: Answer<{ clientTime: number; serverTime: number }>) => void;
}

/** Events the server pushes to the browser. */
export interface ServerToClientEvents {
  /** The server is going down for maintenance or restart; clients should expect a reconnect. */
  'system:shutdown': (payload: { reconnectAfterMs: number }) => void;
  /**
   * This process lost the service that carries messages between processes (Redis): sends fail
   * at once with `realtime-unavailable` until `system:restored`, after which clients resync.
   */
  'system:degraded': (payload: { service: 'realtime'; message: string }) => void;
  'system:restored': (payload: { service: 'realtime' }) => void;
}

/** Events between server processes (none yet; the Redis adapter carries room emits). */
export type InterServerEvents = Record<string, never>;

/** Per-socket state the server keeps: who is connected, set at the handshake from the session. */
export interface SocketData {
  actor: Actor;
  connectedAt: number;
  /** When the socket's activity was last told to the session store. */
  touchedAt: number;
  channels: string[];
  /** What this socket's page says of its officer (the tab visible or not). */
  presence: 'online' | 'away';
}
