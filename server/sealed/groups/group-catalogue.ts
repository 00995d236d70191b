import type { Actor } from '../../access/actor.js';
import type { Role } from '../../access/roles.js';
import { badRequest } from '../../errors.js';
import { directory, type DirectoryMember } from '../directory.js';

/**
 * The groups whose members share a key, derived from the hierarchy (so membership follows
 * accounts being created, moved or disabled):
 * - `ncb-desk`: the CBI's NCB officers and administrators;
 * - `agency-ilos:<agencyId>`: an agency's ILOs;
 * - `unit:<unitId>`: a unit's officers;
 * - `channel:<channelId>`: the members of a Connect channel.
 */
export type GroupRef =
  | { readonly kind: 'ncb-desk'; readonly id: 'ncb-desk' }
  | { readonly kind: 'agency-ilos'; readonly id: string; readonly agencyId: string }
  | { readonly kind: 'unit'; readonly id: string; readonly unitId: string }
  | { readonly kind: 'channel'; readonly id: string; readonly channelId: string };

/**
 * How the module that stores a kind of group's members answers for them (Connect, for its
 * channels): registered by that module, so that this layer never imports a module above it.
 */
/** An officer as group membership sees them. */
export type GroupMember = Pick<Actor, 'userId' | 'role' | 'agencyId' | 'unitId'>;

export interface GroupKind {
  /** The active accounts that belong to the group now. */
  members(id: string): Promise<string[]>;
  /** The agency the group belongs to, or undefined for the CBI. */
  agency(id: string): Promise<string | undefined>;
  /** The ids (without the kind) of the groups of this kind the officer belongs to now. */
  groupsOf(officer: GroupMember): Promise<string[]>;
}

const kinds = new Map<'channel', GroupKind>();

/** Registers the module that answers for a kind of group (a later registration replaces it). */
export function registerGroupKind(kind: 'channel', handler: GroupKind): void {
  kinds.set(kind, handler);
}

function registered(kind: 'channel'): GroupKind {
  const handler = kinds.get(kind);
  if (!handler) throw new Error(`no module answers for groups of kind ${kind}`);
  return handler;
}

const objectId = /^[a-f0-9]{24}$/;

/** Parses a group id, refusing anything that is not one of the known kinds. */
export function parseGroupId(id: string): GroupRef {
  if (id === 'ncb-desk') return { kind: 'ncb-desk', id };
  const [kind, ref, ...rest] = id.split(':');
  if (rest.length === 0 && ref && objectId.test(ref)) {
    if (kind === 'agency-ilos') return { kind, id, agencyId: ref };
    if (kind === 'unit') return { kind, id, unitId: ref };
    if (kind === 'channel') return { kind, id, channelId: ref };
  }
  throw badRequest('Unknown group.', [{ field: 'group', message: 'must be ncb-desk, agency-ilos:<id>, unit:<id> or channel:<id>' }]);
}

const deskRoles: Role[] = ['ncb-admin', 'ncb-officer'];

/**
 * The one hierarchy group an officer belongs to: the desk, their agency's ILOs, or their unit
 * (trainers and auditors: none). The membership rule of these groups, written once.
 */
export function hierarchyGroupOf(actor: Pick<Actor, 'role' | 'agencyId' | 'unitId'>): string | undefined {
  if (deskRoles.includes(actor.role)) return 'ncb-desk';
  if (actor.role === 'ilo') return `agency-ilos:${actor.agencyId}`;
  if (actor.role === 'uo' && actor.unitId) return `unit:${actor.unitId}`;
  return undefined;
}

/**
 * Whether a signed-in officer (an active account, as every actor is) belongs to a group that
 * follows from the hierarchy, without listing its members; undefined for channels, whose members
 * are stored.
 */
export function hierarchyMember(actor: Pick<Actor, 'role' | 'agencyId' | 'unitId'>, group: GroupRef): boolean | undefined {
  return group.kind === 'channel' ? undefined : hierarchyGroupOf(actor) === group.id;
}

/** The active accounts that belong to a group now. */
export async function groupMembers(group: GroupRef): Promise<string[]> {
  if (group.kind === 'channel') return registered('channel').members(group.channelId);
  const belongs = (account: DirectoryMember): boolean => hierarchyGroupOf({ role: account.role, agencyId: account.agency, unitId: account.unit }) === group.id;
  return (await directory().activeMembers()).filter(belongs).map((account) => account.id);
}

/** The agency a group belongs to (for the access policy), or undefined for the CBI desk. */
export async function groupAgency(group: GroupRef): Promise<string | undefined> {
  if (group.kind === 'agency-ilos') return group.agencyId;
  if (group.kind === 'channel') return registered('channel').agency(group.channelId);
  if (group.kind === 'unit') return (await directory().agencyOfUnit(group.unitId)) ?? '';
  return undefined;
}

/** Every group an officer belongs to now (their place in the hierarchy, their channels), by id. */
export async function groupsOf(officer: GroupMember): Promise<string[]> {
  const hierarchy = hierarchyGroupOf(officer);
  const channels = kinds.has('channel') ? await registered('channel').groupsOf(officer) : [];
  return [...(hierarchy ? [hierarchy] : []), ...channels.map((id) => `channel:${id}`)];
}
