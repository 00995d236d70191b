import type { Actor } from '../../access/actor.js';
import { definePolicy, DESK_ROLES } from '../../access/policy.js';
import type { ReferenceStatus } from './reference.schema.js';

/** A reference, as the policy needs to see it. */
export interface ReferenceResource {
  readonly kind: 'reference';
  readonly id: string;
  readonly status: ReferenceStatus;
  readonly authorId: string;
  /** The desk it belongs to: a unit's, an agency's ILOs', or the CBI's own. */
  readonly originDesk: 'unit' | 'ilo' | 'cbi';
  readonly agency: string;
  readonly unit: string | undefined;
  /** The desks above its origin it has been handed to ('ilo', 'cbi'). */
  readonly reached: readonly string[];
}

declare module '../../access/policy.js' {
  interface PolicyActions {
    'reference:draft': true;
    'reference:edit': true;
    'reference:read': true;
    'reference:decide-ilo': true;
    'reference:decide-cbi': true;
    'reference:reply': true;
    'reference:close': true;
  }
  interface PolicyResources {
    reference: ReferenceResource;
  }
}

const desk = (actor: Actor): boolean => DESK_ROLES.includes(actor.role);

/** Whether the actor works at the desk the reference belongs to (its unit, its agency's ILOs, the CBI). */
function atOrigin(actor: Actor, resource: ReferenceResource): boolean {
  if (resource.originDesk === 'unit') return actor.role === 'uo' && actor.unitId !== undefined && actor.unitId === resource.unit;
  if (resource.originDesk === 'ilo') return actor.role === 'ilo' && actor.agencyId === resource.agency;
  return desk(actor);
}

/**
 * References: written at a unit, an agency's ILOs or the CBI; read by the desks it belongs to or
 * has reached (a unit's draft is not the ILO's business until submitted, nor the CBI's until
 * forwarded); decided by the desk holding it.
 */
export const referencePolicy = definePolicy({
  rules: {
    'reference:draft': (actor) => desk(actor) || actor.role === 'ilo' || (actor.role === 'uo' && actor.unitId !== undefined),
    'reference:edit': (actor, resource) => resource.kind === 'reference' && resource.authorId === actor.userId && resource.status === 'draft',
    'reference:read': (actor, resource) => {
      if (resource.kind !== 'reference') return false;
      if (atOrigin(actor, resource)) return true;
      if (actor.role === 'ilo') return actor.agencyId === resource.agency && resource.reached.includes('ilo');
      return desk(actor) && resource.reached.includes('cbi');
    },
    'reference:decide-ilo': (actor, resource) =>
      resource.kind === 'reference' && actor.role === 'ilo' && actor.agencyId === resource.agency && resource.status === 'at-ilo',
    'reference:decide-cbi': (actor, resource) => resource.kind === 'reference' && desk(actor) && resource.status === 'at-cbi',
    'reference:reply': (actor, resource) => resource.kind === 'reference' && desk(actor) && resource.status === 'abroad',
    'reference:close': (actor, resource) =>
      resource.kind === 'reference' && atOrigin(actor, resource) && (resource.status === 'abroad' || resource.status === 'answered'),
  },
  targets: { reference: (resource) => ({ type: 'reference', id: resource.id }) },
});
