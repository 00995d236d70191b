import { definePolicy, inAudience, type Audience } from '../../access/policy.js';
import type { Role } from '../../access/roles.js';
import type { LibraryItemDocument } from './library.model.js';

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

declare module '../../access/policy.js' {
  interface PolicyActions {
    'library:publish': true;
    'library:read': true;
    'library:manage': true;
    'library:report': true;
  }
  interface PolicyResources {
    publication: PublicationResource;
  }
}

/** Roles that run the library and the training calendar. */
export const LIBRARIAN_ROLES: readonly Role[] = ['trainer', 'ncb-admin'];

/** Reading a publication: the whole library (unpublished included) for those who run it; otherwise live and in its audience. */
export function mayReadPublication(actor: { role: Role; agencyId: string }, resource: PublicationResource): boolean {
  if (LIBRARIAN_ROLES.includes(actor.role)) return true;
  return resource.live && inAudience(actor, resource.audience);
}

/** Managing a publication: an administrator, or the trainer who published it. */
export function mayManagePublication(actor: { role: Role; userId: string }, resource: PublicationResource): boolean {
  return actor.role === 'ncb-admin' || (actor.role === 'trainer' && resource.ownerId === actor.userId);
}

/** The library: trainers and administrators publish and manage; officers read what is meant for them. */
export const libraryPolicy = definePolicy({
  rules: {
    'library:publish': (actor) => LIBRARIAN_ROLES.includes(actor.role),
    'library:read': (actor, resource) => resource.kind === 'publication' && mayReadPublication(actor, resource),
    'library:manage': (actor, resource) => resource.kind === 'publication' && mayManagePublication(actor, resource),
    // The Resources report (downloads, completions): those who run the library, and the desk.
    'library:report': (actor) => LIBRARIAN_ROLES.includes(actor.role) || actor.role === 'ncb-officer',
  },
  targets: { publication: (resource) => ({ type: resource.type, id: resource.id }) },
});

/** An item as the access policy sees it. */
export function itemResource(item: Pick<LibraryItemDocument, '_id' | 'audience' | 'owner' | 'status'>): PublicationResource {
  return {
    kind: 'publication',
    type: 'library-item',
    id: String(item._id),
    audience: item.audience,
    ownerId: String(item.owner),
    live: item.status === 'published',
  };
}
