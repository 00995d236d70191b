import type { AgencyType } from '../../access/roles.js';
import { definePolicy } from '../../access/policy.js';

/** An agency, as the policy needs to see it. */
export interface AgencyResource {
  readonly kind: 'agency';
  readonly agencyId: string;
  readonly agencyType: AgencyType;
}

declare module '../../access/policy.js' {
  interface PolicyActions {
    'agency:create': true;
    'agency:read': true;
    'unit:create': true;
  }
  interface PolicyResources {
    agency: AgencyResource;
  }
}

/** Agencies and their units: the CBI's administrators create agencies, an agency's ILOs its units. */
export const organisationPolicy = definePolicy({
  rules: {
    'agency:create': (actor) => actor.role === 'ncb-admin',
    'agency:read': ({ role, agencyId }, resource) => {
      if (resource.kind !== 'agency') return false;
      if (role === 'ncb-admin' || role === 'ncb-officer' || role === 'trainer') return true;
      return (role === 'ilo' || role === 'uo') && resource.agencyId === agencyId;
    },
    'unit:create': ({ role, agencyId }, resource) => {
      if (resource.kind !== 'agency' || resource.agencyType === 'ncb') return false;
      if (role === 'ncb-admin') return true;
      return role === 'ilo' && resource.agencyId === agencyId;
    },
  },
  targets: { agency: (resource) => ({ type: 'agency', id: resource.agencyId }) },
});
