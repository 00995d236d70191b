import { forbidden, type AppError } from '../errors.js';
import type { AuditEvent, AuditSink } from './audit-event.js';
import type { Actor, RequestOrigin } from './actor.js';
import { auditTargetOf, can, type Action, type Resource } from './policy.js';

/** What a check needs besides the question: where to record a denial. */
export interface AuthorizeContext {
  readonly actor: Actor;
  readonly origin: RequestOrigin;
  readonly audit: AuditSink;
}

/**
 * Asks the policy and, on a denial, records it in the audit log before failing with 403. Every
 * route and socket handler goes through here, so no denial goes unrecorded.
 */
export async function authorize(context: AuthorizeContext, action: Action, resource?: Resource): Promise<void> {
  if (can(context.actor, action, resource)) return;
  await deny(context, action, resource ? auditTargetOf(resource) : undefined);
}

/** Records a denial of `action` on `target` and fails with 403. */
export async function deny(
  context: AuthorizeContext,
  action: string,
  target?: { type: string; id?: string },
  /** Why, for the log, and the error to fail with when a plain 403 would not say it. */
  options: { details?: AuditEvent['details']; error?: AppError } = {},
): Promise<never> {
  await context.audit.record({
    action: 'access.denied',
    outcome: 'denied',
    actor: context.actor,
    origin: context.origin,
    target,
    details: { attempted: action, ...options.details },
  });
  throw options.error ?? forbidden();
}

/** Records that the actor did `action` to `target`: the twin of {@link deny} for what succeeded. */
export function recordSuccess(context: AuthorizeContext, action: string, target: AuditEvent['target'], details?: AuditEvent['details']): Promise<void> {
  return context.audit.record({ action, outcome: 'success', actor: context.actor, origin: context.origin, target, ...(details ? { details } : {}) });
}
