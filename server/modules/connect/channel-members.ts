import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import type { Role } from '../../access/roles.js';
import { badRequest, forbidden, notFound } from '../../errors.js';
import { activeAccounts, forgetActiveAccounts, type ActiveAccount } from '../accounts/account-index.js';
import { Account } from '../accounts/account.model.js';
import { Agency } from '../organisation/organisation.model.js';
import { Channel, type ChannelDocument } from './channel.model.js';

/** How long a channel's member list is reused before it is read again from the hierarchy. */
const MEMBERS_TTL_MS = 5_000;
const deskRoles: Role[] = ['ncb-admin', 'ncb-officer'];

const membersCache = new Map<string, { members: string[]; at: number }>();
const provisionedAgencies = new Set<string>();

/** Forgets cached member lists and the account index (after an account change in this process). */
export function forgetChannelMembers(): void {
  membersCache.clear();
  forgetActiveAccounts();
}

/** The active members of a channel, from the hierarchy (cached for a few seconds). */
export async function channelMembers(channel: Pick<ChannelDocument, '_id' | 'kind' | 'agency' | 'members'>): Promise<string[]> {
  const id = String(channel._id);
  const cached = membersCache.get(id);
  if (cached && Date.now() - cached.at < MEMBERS_TTL_MS) return cached.members;
  const agency = channel.agency ? String(channel.agency) : undefined;
  const direct = new Set((channel.members ?? []).map(String));
  const belongs = (account: ActiveAccount): boolean =>
    channel.kind === 'cbi-agency'
      ? deskRoles.includes(account.role) || (account.role === 'ilo' && account.agency === agency)
      : channel.kind === 'agency-units'
        ? (account.role === 'ilo' || account.role === 'uo') && account.agency === agency
        : direct.has(account.id);
  const members = (await activeAccounts()).filter(belongs).map((account) => account.id);
  membersCache.set(id, { members, at: Date.now() });
  return members;
}

/** Channels never change once created (kind, agency, direct members), so they are kept once read. */
const channelCache = new Map<string, ChannelDocument>();

/** A channel by id, or a 404. */
export async function findChannel(channelId: string): Promise<ChannelDocument> {
  const cached = channelCache.get(channelId);
  if (cached) return cached;
  const channel = mongoose.isValidObjectId(channelId) ? await Channel.findById(channelId).lean<ChannelDocument>() : null;
  if (!channel) throw notFound('channel');
  if (channelCache.size > 100_000) channelCache.clear();
  channelCache.set(channelId, channel);
  return channel;
}

let allChannels: { at: number; channels: Promise<ChannelDocument[]> } | undefined;

/** Every channel, read in one query and kept for a few seconds (channels are few and rarely added). */
function channelList(): Promise<ChannelDocument[]> {
  if (allChannels && Date.now() - allChannels.at < MEMBERS_TTL_MS) return allChannels.channels;
  const channels = Channel.find().lean<ChannelDocument[]>().exec();
  allChannels = { at: Date.now(), channels };
  channels.catch(() => {
    allChannels = undefined;
  });
  return channels;
}

async function ensureChannel(key: string, fields: { kind: ChannelDocument['kind']; agency?: unknown; members?: unknown[] }): Promise<void> {
  const result = await Channel.updateOne({ key }, { $setOnInsert: { key, ...fields } }, { upsert: true });
  if (result.upsertedCount > 0) allChannels = undefined;
}

/** Makes sure an agency's two channels exist (once per process per agency). */
async function provisionAgency(agencyId: string): Promise<void> {
  if (provisionedAgencies.has(agencyId)) return;
  const agency = new mongoose.Types.ObjectId(agencyId);
  await ensureChannel(`cbi-agency:${agencyId}`, { kind: 'cbi-agency', agency });
  await ensureChannel(`agency-units:${agencyId}`, { kind: 'agency-units', agency });
  provisionedAgencies.add(agencyId);
}

/**
 * The channels an officer belongs to, provisioning the hierarchy's channels on first use: the
 * CBI desk sees every agency's CBI channel; an ILO its agency's CBI and units channels; a unit
 * officer its agency's units channel; and each their direct conversations.
 */
export async function channelsOf(actor: Actor): Promise<ChannelDocument[]> {
  let agencyIds: string[] = [];
  if (actor.role === 'ncb-admin' || actor.role === 'ncb-officer') {
    agencyIds = (await Agency.find({ type: mongoose.trusted({ $ne: 'ncb' }) }, { _id: 1 }).lean()).map((agency) => String(agency._id));
  } else if (actor.role === 'ilo' || actor.role === 'uo') {
    agencyIds = [actor.agencyId];
  }
  for (const agencyId of agencyIds) await provisionAgency(agencyId);
  const keys = agencyIds.flatMap((agencyId) =>
    actor.role === 'uo' ? [`agency-units:${agencyId}`] : actor.role === 'ilo' ? [`cbi-agency:${agencyId}`, `agency-units:${agencyId}`] : [`cbi-agency:${agencyId}`],
  );
  const wanted = new Set(keys);
  return (await channelList()).filter(
    (channel) => wanted.has(channel.key) || (channel.members ?? []).some((member) => String(member) === actor.userId),
  );
}

/**
 * Opens (or finds) a direct conversation: an ILO with one of its agency's unit officers, or an
 * NCB officer with an ILO. Other pairs are refused.
 */
export async function openDirect(actor: Actor, otherId: string): Promise<ChannelDocument> {
  if (!mongoose.isValidObjectId(otherId) || otherId === actor.userId) throw badRequest('Choose a colleague.', [{ field: 'accountId', message: 'invalid' }]);
  const other = await Account.findById(otherId, { role: 1, agency: 1, status: 1 }).lean();
  if (!other || other.status !== 'active') throw notFound('account');
  const pair = [actor.role, other.role].sort().join('+');
  const sameAgency = String(other.agency) === actor.agencyId;
  const allowed =
    ((pair === 'ilo+uo') && sameAgency) || pair === 'ilo+ncb-officer' || pair === 'ilo+ncb-admin';
  if (!allowed) throw forbidden('Direct conversations join an ILO with a unit officer of the agency, or an NCB officer with an ILO.');
  const members = [actor.userId, otherId].sort();
  const key = `direct:${members.join(':')}`;
  await ensureChannel(key, { kind: 'direct', members: members.map((id) => new mongoose.Types.ObjectId(id)) });
  const channel = await Channel.findOne({ key }).lean<ChannelDocument>();
  if (!channel) throw notFound('channel');
  return channel;
}
