import type { Actor } from './actor.js';
import type { AuditEvent } from './audit-event.js';
import type { Role } from './roles.js';

/**
 * The access policy, composed from the modules' parts. Every route and socket handler asks
 * {@link can} before it reads or writes, with the object it is about, so that scope (own unit,
 * own agency, CBI) is checked at the level of each object and not only of each page.
 *
 * Each module declares its actions and the resources they concern in its `<module>.policy.ts`,
 * by adding to {@link PolicyActions} and {@link PolicyResources} (TypeScript declaration
 * merging), and hands its rules to {@link definePolicy}; the portal installs every part once
 * (`server/policies.ts`). An action no part answers for is refused.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the modules
export interface PolicyActions {}

/** The resources the rules look at, by kind; modules add theirs. */
export interface PolicyResources {
  portal: PortalResource;
}

export type Action = keyof PolicyActions;
export type Resource = PolicyResources[keyof PolicyResources];

/** Actions that concern the portal as a whole rather than one object. */
export interface PortalResource {
  readonly kind: 'portal';
}

export const PORTAL: PortalResource = { kind: 'portal' };

/** One rule: whether `actor` may do the action to `resource`. Pure: no I/O, no side effects. */
export type Rule = (actor: Actor, resource: Resource) => boolean;

/** What a denial's audit entry names as its target. */
export type AuditTarget = NonNullable<AuditEvent['target']>;

/** A module's part of the policy: its rules, and how the audit log names the resources it introduces. */
export interface PolicyPart {
  readonly rules: { readonly [A in Action]?: Rule };
  readonly targets?: { readonly [K in keyof PolicyResources]?: (resource: PolicyResources[K]) => AuditTarget };
}

/** Declares a module's part of the policy (the portal installs it). */
export function definePolicy<const P extends PolicyPart>(part: P): P {
  return part;
}

let rules = new Map<string, Rule>();
let targets = new Map<string, (resource: never) => AuditTarget>();

/** Installs the modules' parts, all or none; an action answered twice is a mistake, refused at start. */
export function installPolicy(parts: readonly PolicyPart[]): void {
  const nextRules = new Map<string, Rule>();
  const nextTargets = new Map<string, (resource: never) => AuditTarget>();
  for (const part of parts) {
    for (const [action, rule] of Object.entries<Rule>(part.rules as Record<string, Rule>)) {
      if (nextRules.has(action)) throw new Error(`Two policy parts answer for ${action}.`);
      nextRules.set(action, rule);
    }
    for (const [kind, target] of Object.entries(part.targets ?? {}) as [string, (resource: never) => AuditTarget][]) nextTargets.set(kind, target);
  }
  rules = nextRules;
  targets = nextTargets;
}

/** Answers whether `actor` may perform `action` on `resource`. */
export function can(actor: Actor, action: Action, resource: Resource = PORTAL): boolean {
  const rule = rules.get(action);
  return rule !== undefined && rule(actor, resource);
}

/** How a denial on `resource` is named in the audit log (undefined for the portal as a whole). */
export function auditTargetOf(resource: Resource): AuditTarget | undefined {
  const target = targets.get(resource.kind) as ((resource: Resource) => AuditTarget) | undefined;
  return target?.(resource);
}

/**
 * Who a library item or training session is meant for, and who a notice reaches. Empty lists mean
 * no restriction, so `{ roles: [], agencies: [] }` is everyone; otherwise an officer must hold one
 * of the roles and belong to one of the agencies.
 */
export interface Audience {
  readonly roles: readonly Role[];
  readonly agencies: readonly string[];
}

/** Whether an officer (or an account about to be enrolled) is in an audience. */
export function inAudience(person: { role: Role; agencyId: string }, audience: Audience): boolean {
  return (
    (audience.roles.length === 0 || audience.roles.includes(person.role)) &&
    (audience.agencies.length === 0 || audience.agencies.includes(person.agencyId))
  );
}

/** The CBI's desk: the officers who send requests abroad and down the chain, and follow them up. */
export const DESK_ROLES: readonly Role[] = ['ncb-officer', 'ncb-admin'];

/**
 * Which agencies' officers and units `actor` may see in the directory (and whose keys): everyone
 * for the CBI's officers and trainers; an ILO its own agency and the CBI; a unit officer its own
 * agency. `cbiAgencyId` is the CBI's agency id.
 */
export function directoryAgencies(actor: Actor, cbiAgencyId: string): 'all' | string[] {
  switch (actor.role) {
    case 'ncb-admin':
    case 'ncb-officer':
    case 'trainer':
      return 'all';
    case 'ilo':
      return [actor.agencyId, cbiAgencyId];
    case 'uo':
      return [actor.agencyId];
    case 'auditor':
      return [];
  }
}
