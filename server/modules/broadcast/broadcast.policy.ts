import type { Actor } from '../../access/actor.js';
import { definePolicy, DESK_ROLES } from '../../access/policy.js';
import type { BroadcastStatus } from './broadcast.schema.js';

/** A broadcast, as the policy needs to see it. */
export interface BroadcastResource {
  readonly kind: 'broadcast';
  readonly id: string;
  readonly authorId: string;
  readonly status: BroadcastStatus;
  /** The agencies it was sent to (none before it is sent). */
  readonly agencies: readonly string[];
  /** The units its agencies passed it on to. */
  readonly units: readonly string[];
}

declare module '../../access/policy.js' {
  interface PolicyActions {
    'broadcast:compose': true;
    'broadcast:edit': true;
    'broadcast:review': true;
    'broadcast:read': true;
    'broadcast:acknowledge': true;
    'broadcast:disseminate': true;
    'broadcast:report': true;
    'broadcast:respond': true;
    'broadcast:close': true;
    'broadcast:send-more': true;
    'broadcast:track': true;
  }
  interface PolicyResources {
    broadcast: BroadcastResource;
  }
}

/** Whether a broadcast is out and still open for its addressees to work on. */
const inProgress = (resource: BroadcastResource): boolean => resource.status === 'sent' || resource.status === 'answered';

/** Whether the actor's agency (ILO) or unit (UO) is among a sent broadcast's addressees. */
function addressed(actor: Actor, resource: BroadcastResource): boolean {
  if (resource.status === 'draft' || resource.status === 'in-review') return false;
  if (actor.role === 'ilo') return resource.agencies.includes(actor.agencyId);
  if (actor.role === 'uo') return actor.unitId !== undefined && resource.units.includes(actor.unitId);
  return false;
}

const desk = (actor: Actor): boolean => DESK_ROLES.includes(actor.role);

/** Broadcasts: written and reviewed at the CBI's desk, worked on by the agencies and units they reached. */
export const broadcastPolicy = definePolicy({
  rules: {
    'broadcast:compose': desk,
    'broadcast:edit': (actor, resource) => resource.kind === 'broadcast' && desk(actor) && resource.authorId === actor.userId && resource.status === 'draft',
    // Four eyes: a second officer of the desk, never the author.
    'broadcast:review': (actor, resource) => resource.kind === 'broadcast' && desk(actor) && resource.authorId !== actor.userId && resource.status === 'in-review',
    'broadcast:read': (actor, resource) => resource.kind === 'broadcast' && (desk(actor) || addressed(actor, resource)),
    'broadcast:acknowledge': (actor, resource) => resource.kind === 'broadcast' && addressed(actor, resource) && inProgress(resource),
    'broadcast:disseminate': (actor, resource) => resource.kind === 'broadcast' && actor.role === 'ilo' && addressed(actor, resource) && inProgress(resource),
    'broadcast:respond': (actor, resource) => resource.kind === 'broadcast' && actor.role === 'ilo' && addressed(actor, resource) && inProgress(resource),
    'broadcast:report': (actor, resource) => resource.kind === 'broadcast' && actor.role === 'uo' && addressed(actor, resource) && inProgress(resource),
    'broadcast:close': (actor, resource) => resource.kind === 'broadcast' && desk(actor) && inProgress(resource),
    // Sending later to addressed agencies left out for lack of a key: the desk, while it is in progress.
    'broadcast:send-more': (actor, resource) => resource.kind === 'broadcast' && desk(actor) && inProgress(resource),
    // The desk follows every addressee; an ILO its own agency's units.
    'broadcast:track': (actor, resource) => {
      if (resource.kind !== 'broadcast') return false;
      if (desk(actor)) return resource.status !== 'draft' && resource.status !== 'in-review';
      return actor.role === 'ilo' && addressed(actor, resource);
    },
  },
  targets: { broadcast: (resource) => ({ type: 'broadcast', id: resource.id }) },
});
