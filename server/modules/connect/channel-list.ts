/** A member's list of their channels: names, members, and what is unread or mentions them. */
import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { accountsByIds } from '../accounts/account-lookups.js';
import { agenciesByIds } from '../organisation/organisation.lookups.js';
import { membershipsOf } from './channel-members.js';
import { ChannelState, Message, type ChannelDocument, type ChannelStateDocument } from './channel.model.js';

/** A channel as a member's channel list shows it. */
export interface ChannelView {
  readonly id: string;
  readonly kind: ChannelDocument['kind'];
  readonly name: string;
  /** Group id of the channel's key, for the keyring. */
  readonly group: string;
  readonly lastSeq: number;
  readonly readSeq: number;
  readonly unread: number;
  /** Unread messages that mention the member. */
  readonly mentioned: number;
  readonly members: { id: string; displayName: string; role: string }[];
  /** A discussion's page of what it discusses. */
  readonly link?: string;
}

/** How a channel is named in its members' list. */
function nameOf(channel: ChannelDocument, agencyName: string, otherName: string | undefined): string {
  switch (channel.kind) {
    case 'cbi-agency':
      return `CBI ⇄ ${agencyName}`;
    case 'agency-units':
      return `${agencyName} · units`;
    case 'discussion':
      return channel.title ?? 'Discussion';
    default:
      return otherName ?? 'Direct';
  }
}

/** The actor's channels with names, members and unread counts. */
export async function listChannels(actor: Actor): Promise<ChannelView[]> {
  const mine = await membershipsOf(actor);
  const channels = mine.map(({ channel }) => channel);
  const states = await ChannelState.find({ account: actor.userId, channel: mongoose.trusted({ $in: channels.map((channel) => channel._id) }) }).lean<
    ChannelStateDocument[]
  >();
  const stateOf = new Map(states.map((state) => [String(state.channel), state]));
  const agencies = new Map(
    (await agenciesByIds(channels.flatMap((channel) => (channel.agency ? [channel.agency] : [])))).map(
      (agency) => [String(agency._id), agency.name],
    ),
  );
  // One query each for the members and the recent messages of every channel, not two per
  // channel (on FerretDB each is a scan of its collection).
  const people = new Map(
    (await accountsByIds(mine.flatMap(({ memberIds }) => memberIds))).map((person) => [person.id, person]),
  );
  const recent = await recentMessages(
    mine.map(({ channel }) => ({ channel, readSeq: stateOf.get(String(channel._id))?.readSeq ?? 0 })),
    actor.userId,
  );
  const views: ChannelView[] = [];
  for (const { channel, memberIds } of mine) {
    const members = memberIds.flatMap((id) => {
      const person = people.get(id);
      return person ? [person] : [];
    });
    const readSeq = stateOf.get(String(channel._id))?.readSeq ?? 0;
    const { lastSeq, unread, mentioned } = recent.get(String(channel._id)) ?? { lastSeq: readSeq, unread: 0, mentioned: 0 };
    const agencyName = channel.agency ? (agencies.get(String(channel.agency)) ?? '') : '';
    const other = members.find((person) => person.id !== actor.userId);
    views.push({
      id: String(channel._id),
      kind: channel.kind,
      name: nameOf(channel, agencyName, other?.displayName),
      ...(channel.link ? { link: channel.link } : {}),
      group: `channel:${String(channel._id)}`,
      lastSeq,
      readSeq,
      unread,
      mentioned,
      members: members.map((person) => ({ id: person.id, displayName: person.displayName, role: person.role })),
    });
  }
  const order = { 'cbi-agency': 0, 'agency-units': 1, direct: 2, discussion: 3 } as const;
  return views.sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
}

/**
 * Per channel: the last stored sequence number and the unread count (others' messages in the
 * main conversation after the member's read mark), from one query over the messages after
 * each read mark.
 */
async function recentMessages(
  channels: readonly { channel: ChannelDocument; readSeq: number }[],
  accountId: string,
): Promise<Map<string, { lastSeq: number; unread: number; mentioned: number }>> {
  const recent = new Map(channels.map(({ channel, readSeq }) => [String(channel._id), { lastSeq: readSeq, unread: 0, mentioned: 0 }]));
  if (channels.length === 0) return recent;
  const rows = await Message.find(
    { $or: channels.map(({ channel, readSeq }) => ({ channel: channel._id, seq: mongoose.trusted({ $gt: readSeq }) })) },
    { channel: 1, seq: 1, sender: 1, threadRoot: 1, mentions: 1 },
  ).lean();
  for (const row of rows) {
    const entry = recent.get(String(row.channel))!;
    entry.lastSeq = Math.max(entry.lastSeq, row.seq);
    if (String(row.sender) !== accountId && (row.threadRoot ?? null) === null) entry.unread += 1;
    if (row.mentions?.some((id) => String(id) === accountId)) entry.mentioned += 1;
  }
  return recent;
}
