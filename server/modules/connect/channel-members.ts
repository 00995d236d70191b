import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import type { Role } from '../../access/roles.js';
import { isDuplicateKey } from '../../db/errors.js';
import { badRequest, forbidden, notFound } from '../../errors.js';
import { accountChanged, onAccountChanged } from '../accounts/account-events.js';
import { activeAccounts, type ActiveAccount } from '../accounts/account-index.js';
import { RefreshingValue } from '../../shared/refreshing-value.js';
import { SharedRevision } from '../../shared/shared-revision.js';
import { accountById } from '../accounts/account-lookups.js';
import { partnerAgencies } from '../organisation/organisation.lookups.js';
import { hierarchyGroupOf } from '../../sealed/groups/group-catalogue.js';
import { Channel, type ChannelDocument } from './channel.model.js';

/** How old the list of channels may get before the revision is checked (new channels show within this). */
const CHANNELS_TTL_MS = 5_000;
/** Read again after this even with no revision (a channel added by hand in the database). */
const CHANNELS_RELOAD_MS = 300_000;
/** Moved on by every process that adds a channel. */
const channelsRevision = new SharedRevision('channels');
const deskRoles: Role[] = ['ncb-admin', 'ncb-officer'];

/** Member lists, by channel, with the account index they were worked out from. */
const membersCache = new Map<string, { members: string[]; from: ActiveAccount[] }>();
const provisionedAgencies = new Map<string, Promise<void>>();

// Member lists are worked out from the account index; an account change drops them at once.
onAccountChanged(() => membersCache.clear());

/** Forgets cached member lists and the account index, here and in other processes (after accounts were written directly). */
export async function forgetChannelMembers(): Promise<void> {
  await accountChanged({ accountId: '*', change: 'written-directly' });
}

/** The active members of a channel, from the hierarchy (as fresh as the account index). */
export async function channelMembers(channel: Pick<ChannelDocument, '_id' | 'kind' | 'agency' | 'members' | 'groups'>): Promise<string[]> {
  // A discussion's desks may grow: its member list is kept per set of desks.
  const id = `${String(channel._id)}|${(channel.groups ?? []).join(',')}`;
  const accounts = await activeAccounts();
  const cached = membersCache.get(id);
  if (cached?.from === accounts) return cached.members;
  const agency = channel.agency ? String(channel.agency) : undefined;
  const direct = new Set((channel.members ?? []).map(String));
  const groups = new Set(channel.groups ?? []);
  const belongs = (account: ActiveAccount): boolean => {
    switch (channel.kind) {
      case 'cbi-agency':
        return deskRoles.includes(account.role) || (account.role === 'ilo' && account.agency === agency);
      case 'agency-units':
        return (account.role === 'ilo' || account.role === 'uo') && account.agency === agency;
      case 'discussion':
        return groups.has(hierarchyGroupOf({ role: account.role, agencyId: account.agency, unitId: account.unit }) ?? '');
      default:
        return direct.has(account.id);
    }
  };
  const members = accounts.filter(belongs).map((account) => account.id);
  membersCache.set(id, { members, from: accounts });
  return members;
}

/** Every channel, read in one query and kept; read again when a process adds one (the channels' revision). */
const allChannels = new RefreshingValue(() => Channel.find().lean<ChannelDocument[]>().exec(), CHANNELS_TTL_MS, {
  read: () => channelsRevision.read(),
  reloadAfterMs: CHANNELS_RELOAD_MS,
});
/** The channel list indexed, rebuilt when the list is re-read: every handshake asks for an officer's channels. */
interface ChannelIndex {
  readonly from: ChannelDocument[];
  readonly byId: Map<string, ChannelDocument>;
  readonly byKey: Map<string, ChannelDocument>;
  /** Direct conversations by member account id. */
  readonly directsOf: Map<string, ChannelDocument[]>;
  /** Discussions by the desk group whose officers take part. */
  readonly discussionsOf: Map<string, ChannelDocument[]>;
}
let channelIndex: ChannelIndex | undefined;

async function indexedChannels(): Promise<ChannelIndex> {
  const list = await allChannels.get();
  if (channelIndex?.from === list) return channelIndex;
  const index: ChannelIndex = { from: list, byId: new Map(), byKey: new Map(), directsOf: new Map(), discussionsOf: new Map() };
  const add = (map: Map<string, ChannelDocument[]>, key: string, channel: ChannelDocument): void => {
    const channels = map.get(key);
    if (channels) channels.push(channel);
    else map.set(key, [channel]);
  };
  for (const channel of list) {
    index.byId.set(String(channel._id), channel);
    index.byKey.set(channel.key, channel);
    for (const member of channel.members ?? []) add(index.directsOf, String(member), channel);
    for (const group of channel.groups ?? []) add(index.discussionsOf, group, channel);
  }
  channelIndex = index;
  return index;
}

/**
 * A channel by id, or a 404. Channels never change once created (kind, agency, direct members)
 * but for a discussion's desks, which only grow and are re-read with the list (at once in the
 * process that changed them), so the list of all channels answers; one created elsewhere
 * moments ago is read by _id.
 */
export async function findChannel(channelId: string): Promise<ChannelDocument> {
  if (!mongoose.isValidObjectId(channelId)) throw notFound('channel');
  const channel = (await indexedChannels()).byId.get(channelId) ?? (await Channel.findById(channelId).lean<ChannelDocument>());
  if (!channel) throw notFound('channel');
  return channel;
}

/**
 * Creates a channel unless it exists. Two processes (or a process and the demo seed) upserting
 * the same key at once can both miss it and both insert: the unique key index refuses the second,
 * which means the channel exists, as asked.
 */
async function ensureChannel(key: string, fields: { kind: ChannelDocument['kind']; agency?: unknown; members?: unknown[]; groups?: string[]; title?: string; link?: string }): Promise<void> {
  const result = await Channel.updateOne({ key }, { $setOnInsert: { key, ...fields } }, { upsert: true }).catch((error: unknown) => {
    if (isDuplicateKey(error)) return { upsertedCount: 0 };
    throw error;
  });
  if (result.upsertedCount > 0) {
    allChannels.forget();
    await channelsRevision.bump();
  }
}

/** Makes sure an agency's two channels exist (once per process per agency, however many ask at once). */
function provisionAgency(agencyId: string): Promise<void> {
  let provisioned = provisionedAgencies.get(agencyId);
  if (!provisioned) {
    const agency = new mongoose.Types.ObjectId(agencyId);
    provisioned = (async () => {
      // Usually they exist: the channel list (one read, shared) says so without a write.
      const existing = new Set((await allChannels.get()).map((channel) => channel.key));
      if (!existing.has(`cbi-agency:${agencyId}`)) await ensureChannel(`cbi-agency:${agencyId}`, { kind: 'cbi-agency', agency });
      if (!existing.has(`agency-units:${agencyId}`)) await ensureChannel(`agency-units:${agencyId}`, { kind: 'agency-units', agency });
    })();
    provisionedAgencies.set(agencyId, provisioned);
    provisioned.catch(() => provisionedAgencies.delete(agencyId));
  }
  return provisioned;
}

/**
 * The channels an officer belongs to, provisioning the hierarchy's channels on first use: the
 * CBI desk sees every agency's CBI channel; an ILO its agency's CBI and units channels; a unit
 * officer its agency's units channel; and each their direct conversations.
 */
export async function channelsOf(actor: Pick<Actor, 'userId' | 'role' | 'agencyId' | 'unitId'>): Promise<ChannelDocument[]> {
  let agencyIds: string[] = [];
  if (actor.role === 'ncb-admin' || actor.role === 'ncb-officer') {
    agencyIds = (await partnerAgencies()).map((agency) => String(agency._id));
  } else if (actor.role === 'ilo' || actor.role === 'uo') {
    agencyIds = [actor.agencyId];
  }
  for (const agencyId of agencyIds) await provisionAgency(agencyId);
  const keys = agencyIds.flatMap((agencyId) =>
    actor.role === 'uo' ? [`agency-units:${agencyId}`] : actor.role === 'ilo' ? [`cbi-agency:${agencyId}`, `agency-units:${agencyId}`] : [`cbi-agency:${agencyId}`],
  );
  const { byKey, directsOf, discussionsOf } = await indexedChannels();
  const desk = hierarchyGroupOf(actor);
  return [...keys.flatMap((key) => byKey.get(key) ?? []), ...(directsOf.get(actor.userId) ?? []), ...(desk ? (discussionsOf.get(desk) ?? []) : [])];
}

/** The channels an officer is a member of now (the hierarchy's and their direct ones), with their members. */
export async function membershipsOf(actor: Pick<Actor, 'userId' | 'role' | 'agencyId' | 'unitId'>): Promise<{ channel: ChannelDocument; memberIds: string[] }[]> {
  const memberships = await Promise.all((await channelsOf(actor)).map(async (channel) => ({ channel, memberIds: await channelMembers(channel) })));
  return memberships.filter(({ memberIds }) => memberIds.includes(actor.userId));
}

/** Whether two officers may open a direct conversation: an ILO with a unit officer of its agency, or with the NCB desk. */
export function mayTalkDirectly(one: { role: Role; agency: string }, other: { role: Role; agency: string }): boolean {
  const pair = [one.role, other.role].sort().join('+');
  return (pair === 'ilo+uo' && one.agency === other.agency) || pair === 'ilo+ncb-officer' || pair === 'ilo+ncb-admin';
}

/**
 * Opens (or finds) a direct conversation: an ILO with one of its agency's unit officers, or an
 * NCB officer with an ILO. Other pairs are refused.
 */
export async function openDirect(actor: Actor, otherId: string): Promise<ChannelDocument> {
  if (!mongoose.isValidObjectId(otherId) || otherId === actor.userId) throw badRequest('Choose a colleague.', [{ field: 'accountId', message: 'invalid' }]);
  const other = await accountById(otherId);
  if (!other || other.status !== 'active') throw notFound('account');
  if (!mayTalkDirectly({ role: actor.role, agency: actor.agencyId }, other)) throw forbidden('Direct conversations join an ILO with a unit officer of the agency, or an NCB officer with an ILO.');
  const members = [actor.userId, otherId].sort();
  const key = `direct:${members.join(':')}`;
  await ensureChannel(key, { kind: 'direct', members: members.map((id) => new mongoose.Types.ObjectId(id)) });
  const channel = await Channel.findOne({ key }).lean<ChannelDocument>();
  if (!channel) throw notFound('channel');
  return channel;
}

/** What another module says of a discussion it opens: its key, name and page, and the desks taking part. */
export interface DiscussionSpec {
  readonly key: string;
  /** The agency whose matter it is (none: the CBI's own). */
  readonly agency?: string | undefined;
  readonly title: string;
  readonly link: string;
  readonly groups: readonly string[];
}

/**
 * Opens a discussion, or brings an open one's name and desks up to date; says whether anything
 * changed (then officers who just joined must be told). Desks are only ever added.
 */
export async function ensureDiscussion(spec: DiscussionSpec): Promise<{ channel: ChannelDocument; changed: boolean }> {
  const known = (await indexedChannels()).byKey.get(spec.key) ?? (await Channel.findOne({ key: spec.key }).lean<ChannelDocument>());
  const groups = [...new Set([...(known?.groups ?? []), ...spec.groups])].sort();
  if (known?.kind === 'discussion' && known.title === spec.title && known.link === spec.link && (known.groups ?? []).join() === groups.join()) return { channel: known, changed: false };
  if (known && known.kind !== 'discussion') throw badRequest('That key names another kind of channel.', [{ field: 'key', message: 'taken' }]);
  const fields = { title: spec.title, link: spec.link, groups };
  if (known) await Channel.updateOne({ _id: known._id }, { $set: fields });
  else await ensureChannel(spec.key, { kind: 'discussion', ...fields, ...(spec.agency ? { agency: new mongoose.Types.ObjectId(spec.agency) } : {}) });
  allChannels.forget();
  await channelsRevision.bump();
  const channel = await Channel.findOne({ key: spec.key }).lean<ChannelDocument>();
  if (!channel) throw notFound('channel');
  return { channel, changed: true };
}
