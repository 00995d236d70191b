import type { PortalServer } from './portal-server.js';

/** Room of every socket opened under one session. */
export const sessionRoom = (sessionHash: string): string => `session:${sessionHash}`;
/** Room of every socket of one account, whichever session opened it. */
export const accountRoom = (accountId: string): string => `account:${accountId}`;

/**
 * Closes live sockets when the session or account behind them ends (sign-out, lock, disable,
 * re-enrolment). Goes through the adapter, so with Redis it reaches every server process.
 */
export class SocketTerminator {
  #io: PortalServer | undefined;

  /** Binds to the Socket.IO server once it exists (services are built before it). */
  attach(io: PortalServer): void {
    this.#io = io;
  }

  /** Disconnects every socket of one session. */
  endSession(sessionHash: string): void {
    this.#io?.in(sessionRoom(sessionHash)).disconnectSockets(true);
  }

  /** Disconnects every socket of one account. */
  endAccount(accountId: string): void {
    this.#io?.in(accountRoom(accountId)).disconnectSockets(true);
  }
}
