import { definePolicy } from '../../access/policy.js';

/** A group that shares a key, as the policy needs to see it. */
export interface GroupResource {
  readonly kind: 'group';
  readonly groupKind: 'ncb-desk' | 'agency-ilos' | 'unit' | 'channel';
  /** The agency the group belongs to (unset for the CBI desk). */
  readonly agencyId: string | undefined;
  /** Whether the actor is a member of the group. */
  readonly member: boolean;
}

declare module '../../access/policy.js' {
  interface PolicyActions {
    'group:forward-into': true;
  }
  interface PolicyResources {
    group: GroupResource;
  }
}

/** Sealed content passed between groups. */
export const groupsPolicy = definePolicy({
  rules: {
    // Members pass things within their group; an ILO down to its agency's units; the CBI's desk
    // to any agency's ILOs. Answers go up the chain: a UO to its agency's ILOs, an ILO to the
    // CBI's desk.
    'group:forward-into': ({ role, agencyId }, resource) => {
      if (resource.kind !== 'group') return false;
      if (resource.member) return true;
      if (role === 'ilo') return (resource.groupKind === 'unit' && resource.agencyId === agencyId) || resource.groupKind === 'ncb-desk';
      if (role === 'uo') return resource.groupKind === 'agency-ilos' && resource.agencyId === agencyId;
      if (role === 'ncb-officer' || role === 'ncb-admin') return resource.groupKind === 'agency-ilos';
      return false;
    },
  },
  targets: { group: (resource) => ({ type: 'group', id: `${resource.groupKind}@${resource.agencyId ?? 'cbi'}` }) },
});
