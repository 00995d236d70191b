import type { AgencyType, Role } from './roles.js';

/**
 * The signed-in officer on whose behalf a request or socket event runs: who they are and where
 * they sit in the hierarchy. Built from the database on every request, never from client input.
 */
export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** Home agency (the CBI for CBI roles). */
  readonly agencyId: string;
  readonly agencyType: AgencyType;
  /** Home unit, for unit officers. */
  readonly unitId: string | undefined;
  /** Hash of the session id, to end this session's sockets. */
  readonly sessionId: string;
}

/** Where a request came from, for the audit log. */
export interface RequestOrigin {
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
}
