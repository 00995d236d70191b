import type { Actor } from './actor.js';
import type { AgencyType, Role } from './roles.js';

/**
 * The one access policy. Every route and socket handler asks {@link can} before it reads or
 * writes, with the object it is about, so that scope (own unit, own agency, CBI) is checked at
 * the level of each object and not only of each page.
 */
export type Action =
  | 'agency:create'
  | 'agency:read'
  | 'unit:create'
  | 'account:create'
  | 'account:read'
  | 'account:manage'
  | 'directory:search'
  | 'audit:read'
  | 'group:forward-into'
  | 'library:publish'
  | 'library:read'
  | 'library:manage'
  | 'library:report'
  | 'training:schedule'
  | 'training:read'
  | 'training:manage'
  | 'training:enrol'
  | 'broadcast:compose'
  | 'broadcast:edit'
  | 'broadcast:review'
  | 'broadcast:read'
  | 'broadcast:acknowledge'
  | 'broadcast:disseminate'
  | 'broadcast:report'
  | 'broadcast:respond'
  | 'broadcast:close'
  | 'broadcast:track';

/** An agency, as the policy needs to see it. */
export interface AgencyResource {
  readonly kind: 'agency';
  readonly agencyId: string;
  readonly agencyType: AgencyType;
}

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

/** Actions that concern the portal as a whole rather than one object. */
export interface PortalResource {
  readonly kind: 'portal';
}

/** A group that shares a key, as the policy needs to see it. */
export interface GroupResource {
  readonly kind: 'group';
  readonly groupKind: 'ncb-desk' | 'agency-ilos' | 'unit' | 'channel';
  /** The agency the group belongs to (unset for the CBI desk). */
  readonly agencyId: string | undefined;
  /** Whether the actor is a member of the group. */
  readonly member: boolean;
}

/**
 * Who a library item or training session is meant for. Empty lists mean no restriction, so
 * `{ roles: [], agencies: [] }` is everyone; otherwise an officer must hold one of the roles and
 * belong to one of the agencies.
 */
export interface Audience {
  readonly roles: readonly Role[];
  readonly agencies: readonly string[];
}

/** A library item or a training session, as the policy needs to see it. */
export interface PublicationResource {
  readonly kind: 'publication';
  readonly type: 'library-item' | 'training-session';
  readonly id: string;
  readonly audience: Audience;
  /** The trainer or administrator who published or scheduled it. */
  readonly ownerId: string;
  /** False once unpublished (items) or cancelled (sessions). */
  readonly live: boolean;
}

/** A broadcast, as the policy needs to see it. */
export interface BroadcastResource {
  readonly kind: 'broadcast';
  readonly id: string;
  readonly authorId: string;
  readonly status: 'draft' | 'in-review' | 'sent' | 'answered' | 'closed';
  /** The agencies it was sent to (none before it is sent). */
  readonly agencies: readonly string[];
  /** The units its agencies passed it on to. */
  readonly units: readonly string[];
}

export type Resource = AgencyResource | AccountResource | GroupResource | PublicationResource | BroadcastResource | PortalResource;

export const PORTAL: PortalResource = { kind: 'portal' };

const cbiHomeRoles: readonly Role[] = ['ncb-admin', 'ncb-officer', 'auditor'];

/** Roles an NCB administrator may create: the CBI's own people, trainers, and agencies' ILOs. */
function ncbAdminMayCreate(target: AccountResource): boolean {
  if (cbiHomeRoles.includes(target.role)) return target.agencyType === 'ncb';
  if (target.role === 'trainer') return true;
  if (target.role === 'ilo') return target.agencyType !== 'ncb' && target.unitId === undefined;
  return false;
}

/** The CBI's desk: the officers who send broadcasts and follow them up. */
const DESK_ROLES: readonly Role[] = ['ncb-officer', 'ncb-admin'];

/** Whether a broadcast is out and still open for its addressees to work on. */
const inProgress = (resource: BroadcastResource): boolean => resource.status === 'sent' || resource.status === 'answered';

/** Whether the actor's agency (ILO) or unit (UO) is among a sent broadcast's addressees. */
function addressed(actor: Actor, resource: BroadcastResource): boolean {
  if (resource.status === 'draft' || resource.status === 'in-review') return false;
  if (actor.role === 'ilo') return resource.agencies.includes(actor.agencyId);
  if (actor.role === 'uo') return actor.unitId !== undefined && resource.units.includes(actor.unitId);
  return false;
}

/** Roles that run the library and the training calendar. */
const LIBRARIAN_ROLES: readonly Role[] = ['trainer', 'ncb-admin'];

/** Whether an officer (or an account about to be enrolled) is in an audience. */
export function inAudience(person: { role: Role; agencyId: string }, audience: Audience): boolean {
  return (
    (audience.roles.length === 0 || audience.roles.includes(person.role)) &&
    (audience.agencies.length === 0 || audience.agencies.includes(person.agencyId))
  );
}

/** Answers whether `actor` may perform `action` on `resource`. Pure: no I/O, no side effects. */
export function can(actor: Actor, action: Action, resource: Resource = PORTAL): boolean {
  const { role } = actor;
  switch (action) {
    case 'agency:create':
      return role === 'ncb-admin';

    case 'agency:read':
      if (resource.kind !== 'agency') return false;
      if (role === 'ncb-admin' || role === 'ncb-officer' || role === 'trainer') return true;
      return (role === 'ilo' || role === 'uo') && resource.agencyId === actor.agencyId;

    case 'unit:create':
      if (resource.kind !== 'agency' || resource.agencyType === 'ncb') return false;
      if (role === 'ncb-admin') return true;
      return role === 'ilo' && resource.agencyId === actor.agencyId;

    case 'account:create':
      if (resource.kind !== 'account' || resource.accountId !== undefined) return false;
      if (role === 'ncb-admin') return ncbAdminMayCreate(resource);
      return role === 'ilo' && resource.role === 'uo' && resource.agencyId === actor.agencyId && resource.unitId !== undefined;

    case 'account:read':
      if (resource.kind !== 'account') return false;
      if (resource.accountId === actor.userId) return true;
      return can(actor, 'account:manage', resource);

    case 'account:manage':
      if (resource.kind !== 'account' || resource.accountId === undefined) return false;
      if (resource.accountId === actor.userId) return false; // nobody locks, disables or re-enrols themselves
      if (role === 'ncb-admin') return true;
      return role === 'ilo' && resource.role === 'uo' && resource.agencyId === actor.agencyId;

    case 'directory:search':
      return role !== 'auditor';

    case 'audit:read':
      return role === 'auditor';

    case 'group:forward-into':
      // Members pass things within their group; an ILO down to its agency's units; the CBI's
      // desk to any agency's ILOs. Answers go up the chain: a UO to its agency's ILOs, an ILO
      // to the CBI's desk.
      if (resource.kind !== 'group') return false;
      if (resource.member) return true;
      if (role === 'ilo') return (resource.groupKind === 'unit' && resource.agencyId === actor.agencyId) || resource.groupKind === 'ncb-desk';
      if (role === 'uo') return resource.groupKind === 'agency-ilos' && resource.agencyId === actor.agencyId;
      if (role === 'ncb-officer' || role === 'ncb-admin') return resource.groupKind === 'agency-ilos';
      return false;

    case 'library:publish':
    case 'training:schedule':
      return LIBRARIAN_ROLES.includes(role);

    case 'library:read':
    case 'training:read':
      // Trainers and administrators see the whole library, unpublished items included, to run it.
      if (resource.kind !== 'publication') return false;
      if (LIBRARIAN_ROLES.includes(role)) return true;
      return resource.live && inAudience(actor, resource.audience);

    case 'library:manage':
    case 'training:manage':
      if (resource.kind !== 'publication') return false;
      return role === 'ncb-admin' || (role === 'trainer' && resource.ownerId === actor.userId);

    case 'library:report':
      return LIBRARIAN_ROLES.includes(role) || role === 'ncb-officer';

    case 'broadcast:compose':
      return DESK_ROLES.includes(role);

    case 'broadcast:edit':
      if (resource.kind !== 'broadcast') return false;
      return DESK_ROLES.includes(role) && resource.authorId === actor.userId && resource.status === 'draft';

    case 'broadcast:review':
      // Four eyes: a second officer of the desk, never the author.
      if (resource.kind !== 'broadcast') return false;
      return DESK_ROLES.includes(role) && resource.authorId !== actor.userId && resource.status === 'in-review';

    case 'broadcast:read':
      if (resource.kind !== 'broadcast') return false;
      if (DESK_ROLES.includes(role)) return true;
      return addressed(actor, resource);

    case 'broadcast:acknowledge':
      if (resource.kind !== 'broadcast') return false;
      return addressed(actor, resource) && inProgress(resource);

    case 'broadcast:disseminate':
    case 'broadcast:respond':
      if (resource.kind !== 'broadcast') return false;
      return role === 'ilo' && addressed(actor, resource) && inProgress(resource);

    case 'broadcast:report':
      if (resource.kind !== 'broadcast') return false;
      return role === 'uo' && addressed(actor, resource) && inProgress(resource);

    case 'broadcast:close':
      if (resource.kind !== 'broadcast') return false;
      return DESK_ROLES.includes(role) && inProgress(resource);

    case 'broadcast:track':
      // The desk follows every addressee; an ILO its own agency's units.
      if (resource.kind !== 'broadcast') return false;
      if (DESK_ROLES.includes(role)) return resource.status !== 'draft' && resource.status !== 'in-review';
      return role === 'ilo' && addressed(actor, resource);

    case 'training:enrol':
      // Officers enrol themselves; an ILO also enrols the unit officers of its own agency.
      if (resource.kind !== 'account' || resource.accountId === undefined) return false;
      if (resource.accountId === actor.userId) return role !== 'auditor';
      return role === 'ilo' && resource.role === 'uo' && resource.agencyId === actor.agencyId;
  }
}

/**
 * Which agencies' officers and units `actor` may see in the directory: everyone for the CBI's
 * officers and trainers; an ILO its own agency and the CBI; a unit officer its own agency.
 * `cbiAgencyId` is the CBI's agency id.
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
