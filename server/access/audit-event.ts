import type { Actor, RequestOrigin } from './actor.js';

/** How an audited action ended. */
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One event to record. */
export interface AuditEvent {
  readonly action: string;
  readonly outcome: AuditOutcome;
  /** The officer who acted, when known (sign-in failures may have only a username). */
  readonly actor?: Actor | { readonly username: string } | undefined;
  readonly target?: { readonly type: string; readonly id?: string; readonly label?: string } | undefined;
  readonly origin?: RequestOrigin | undefined;
  readonly details?: Record<string, string | number | boolean | null> | undefined;
}

/**
 * Where access decisions and actions are recorded: the audit module's hash-chained log
 * implements it; the access layer, below the modules, knows only this.
 */
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}
