import type { Actor } from '../../access/actor.js';
import { definePolicy, DESK_ROLES } from '../../access/policy.js';
import type { ReferenceStatus } from './reference.schema.js';

/** A reference, as the policy needs to see it. */
export interface ReferenceResource {
  readonly kind: 'reference';
  readonly id: string;
  readonly status: ReferenceStatus;
  readonly direction: 'outgoing' | 'incoming';
  /** An agency's part of an incoming reference (not the reference registered at the CBI). */
  readonly part: boolean;
  readonly authorId: string;
  /** The desk it belongs to: a unit's, an agency's ILOs', or the CBI's own. */
  readonly originDesk: 'unit' | 'ilo' | 'cbi';
  readonly agency: string;
  /** The unit it belongs to (outgoing) or was assigned to (an incoming part). */
  readonly unit: string | undefined;
  /** The desks beyond its origin it has been handed to ('ilo', 'cbi', and 'unit' for an assigned part). */
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
    'reference:register': true;
    'reference:handle-incoming': true;
    'reference:assign': true;
    'reference:report': true;
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
      if (actor.role === 'uo') return resource.reached.includes('unit') && actor.unitId !== undefined && actor.unitId === resource.unit;
      return desk(actor) && resource.reached.includes('cbi');
    },
    'reference:decide-ilo': (actor, resource) =>
      resource.kind === 'reference' && actor.role === 'ilo' && actor.agencyId === resource.agency && resource.status === 'at-ilo',
    'reference:decide-cbi': (actor, resource) => resource.kind === 'reference' && desk(actor) && resource.status === 'at-cbi',
    'reference:reply': (actor, resource) => resource.kind === 'reference' && desk(actor) && resource.status === 'abroad',
    'reference:close': (actor, resource) =>
      resource.kind === 'reference' && atOrigin(actor, resource) && (resource.status === 'abroad' || resource.status === 'answered'),
    // Incoming: the CBI registers what a foreign NCB asks and handles it abroad; ILOs assign their
    // agency's part to a unit; the unit (or the ILO itself) reports.
    'reference:register': desk,
    'reference:handle-incoming': (actor, resource) => resource.kind === 'reference' && desk(actor) && resource.direction === 'incoming' && !resource.part,
    'reference:assign': (actor, resource) =>
      resource.kind === 'reference' && resource.part && actor.role === 'ilo' && actor.agencyId === resource.agency && resource.status === 'at-ilo',
    'reference:report': (actor, resource) => {
      if (resource.kind !== 'reference' || !resource.part) return false;
      if (actor.role === 'uo') return resource.status === 'at-unit' && actor.unitId !== undefined && actor.unitId === resource.unit;
      return actor.role === 'ilo' && actor.agencyId === resource.agency && resource.status === 'at-ilo';
    },
  },
  targets: { reference: (resource) => ({ type: 'reference', id: resource.id }) },
});
