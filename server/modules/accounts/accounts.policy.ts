import { can, definePolicy } from '../../access/policy.js';
import type { AgencyType, Role } from '../../access/roles.js';

/** An account (existing, or about to be created), as the policy needs to see it. */
export interface AccountResource {
  readonly kind: 'account';
  /** Unset for an account about to be created. */
  readonly accountId?: string;
  readonly role: Role;
  readonly agencyId: string;
  readonly agencyType: AgencyType;
  readonly unitId?: string | undefined;
}

declare module '../../access/policy.js' {
  interface PolicyActions {
    'account:create': true;
    'account:read': true;
    'account:manage': true;
  }
  interface PolicyResources {
    account: AccountResource;
  }
}

const cbiHomeRoles: readonly Role[] = ['ncb-admin', 'ncb-officer', 'auditor'];

/** Roles an NCB administrator may create: the CBI's own people, trainers, and agencies' ILOs. */
function ncbAdminMayCreate(target: AccountResource): boolean {
  if (cbiHomeRoles.includes(target.role)) return target.agencyType === 'ncb';
  if (target.role === 'trainer') return true;
  if (target.role === 'ilo') return target.agencyType !== 'ncb' && target.unitId === undefined;
  return false;
}

/** Accounts: the CBI's administrators create the CBI's people and ILOs; an ILO its units' officers. */
export const accountsPolicy = definePolicy({
  rules: {
    'account:create': ({ role, agencyId }, resource) => {
      if (resource.kind !== 'account' || resource.accountId !== undefined) return false;
      if (role === 'ncb-admin') return ncbAdminMayCreate(resource);
      return role === 'ilo' && resource.role === 'uo' && resource.agencyId === agencyId && resource.unitId !== undefined;
    },
    'account:read': (actor, resource) => {
      if (resource.kind !== 'account') return false;
      if (resource.accountId === actor.userId) return true;
      return can(actor, 'account:manage', resource);
    },
    'account:manage': ({ role, agencyId, userId }, resource) => {
      if (resource.kind !== 'account' || resource.accountId === undefined) return false;
      if (resource.accountId === userId) return false; // nobody locks, disables or re-enrols themselves
      if (role === 'ncb-admin') return true;
      return role === 'ilo' && resource.role === 'uo' && resource.agencyId === agencyId;
    },
  },
  targets: {
    account: (resource) => (resource.accountId ? { type: 'account', id: resource.accountId } : { type: 'account', id: `new:${resource.role}@${resource.agencyId}` }),
  },
});
