import type { Actor } from '../../access/actor.js';
import { definePolicy, DESK_ROLES } from '../../access/policy.js';
import type { NoticeStatus } from './notice.schema.js';

/** A notice request, as the policy needs to see it. */
export interface NoticeResource {
  readonly kind: 'notice';
  readonly id: string;
  readonly status: NoticeStatus;
  readonly authorId: string;
  readonly originDesk: 'unit' | 'ilo' | 'cbi';
  readonly agency: string;
  readonly unit: string | undefined;
  /** The desks beyond its origin it has been handed to ('ilo', 'cbi'). */
  readonly reached: readonly string[];
}

declare module '../../access/policy.js' {
  interface PolicyActions {
    'notice:draft': true;
    'notice:edit': true;
    'notice:read': true;
    'notice:decide-ilo': true;
    'notice:decide-cbi': true;
    'notice:record-outcome': true;
    'notice:configure': true;
  }
  interface PolicyResources {
    notice: NoticeResource;
  }
}

const desk = (actor: Actor): boolean => DESK_ROLES.includes(actor.role);

/** Whether the actor works at the desk the request belongs to (its unit, its agency's ILOs, the CBI). */
function atOrigin(actor: Actor, resource: NoticeResource): boolean {
  if (resource.originDesk === 'unit') return actor.role === 'uo' && actor.unitId !== undefined && actor.unitId === resource.unit;
  if (resource.originDesk === 'ilo') return actor.role === 'ilo' && actor.agencyId === resource.agency;
  return desk(actor);
}

/**
 * Notice requests: drafted at a unit, an agency's ILOs or the CBI; read by the desks it belongs to
 * or has reached (a unit's draft is not the ILO's business until submitted); reviewed by the desk
 * holding it; what the General Secretariat decides, recorded by the CBI.
 */
export const noticePolicy = definePolicy({
  rules: {
    'notice:draft': (actor) => desk(actor) || actor.role === 'ilo' || (actor.role === 'uo' && actor.unitId !== undefined),
    'notice:edit': (actor, resource) =>
      resource.kind === 'notice' && resource.authorId === actor.userId && (resource.status === 'draft' || resource.status === 'information-requested'),
    'notice:read': (actor, resource) => {
      if (resource.kind !== 'notice') return false;
      if (atOrigin(actor, resource)) return true;
      if (actor.role === 'ilo') return actor.agencyId === resource.agency && resource.reached.includes('ilo');
      return desk(actor) && resource.reached.includes('cbi');
    },
    'notice:decide-ilo': (actor, resource) => resource.kind === 'notice' && actor.role === 'ilo' && actor.agencyId === resource.agency && resource.status === 'at-ilo',
    'notice:decide-cbi': (actor, resource) => resource.kind === 'notice' && desk(actor) && resource.status === 'at-cbi',
    'notice:record-outcome': (actor, resource) =>
      resource.kind === 'notice' && desk(actor) && ['at-gs', 'published', 'suspended', 'circulated'].includes(resource.status),
    'notice:configure': (actor) => actor.role === 'ncb-admin',
  },
  targets: { notice: (resource) => ({ type: 'notice', id: resource.id }) },
});
