import { definePolicy } from '../../access/policy.js';
import { LIBRARIAN_ROLES, mayManagePublication, mayReadPublication } from '../library/library.policy.js';

declare module '../../access/policy.js' {
  interface PolicyActions {
    'training:schedule': true;
    'training:read': true;
    'training:manage': true;
    'training:enrol': true;
  }
}

/** The training calendar: run like the library; officers enrol themselves, an ILO its unit officers. */
export const trainingPolicy = definePolicy({
  rules: {
    'training:schedule': (actor) => LIBRARIAN_ROLES.includes(actor.role),
    'training:read': (actor, resource) => resource.kind === 'publication' && mayReadPublication(actor, resource),
    'training:manage': (actor, resource) => resource.kind === 'publication' && mayManagePublication(actor, resource),
    'training:enrol': ({ role, agencyId, userId }, resource) => {
      if (resource.kind !== 'account' || resource.accountId === undefined) return false;
      // Officers enrol themselves; an ILO also enrols the unit officers of its own agency.
      if (resource.accountId === userId) return role !== 'auditor';
      return role === 'ilo' && resource.role === 'uo' && resource.agencyId === agencyId;
    },
  },
});
