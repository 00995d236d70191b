import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { deny, type AuthorizeContext } from '../../access/authorize.js';
import { checkEncryptedBody, checkKeyPackets } from '../../crypto/packets.js';
import { AppError } from '../../errors.js';
import { nowMs } from '../../clock.js';
import { requireDatabase } from '../../db/availability.js';
import type { SyncPage, ThreadSummary } from './connect.events.js';
import { countOwnUploads } from '../../sealed/files/files.service.js';
import { registerGroupKind } from '../../sealed/groups/group-catalogue.js';
import { currentKey } from '../../sealed/keys/keys.service.js';
import { channelGroups } from './channel-groups.js';
import { listChannels, type ChannelView } from './channel-list.js';
import { channelMembers, ensureDiscussion, findChannel, type DiscussionSpec } from './channel-members.js';
import { ChannelState, Message, ThreadState, type ChannelDocument, type ChannelStateDocument, type MessageDocument } from './channel.model.js';
import type { HistoryInput, ReceiptInput, SendInput } from './connect.schema.js';
import { channelEpoch } from './epoch-cache.js';
import type { MessageWriter } from './message-writer.js';
import { presentMessage, type MessageView } from './message-view.js';
import type { MessagePage, RecentMessages } from './recent-messages.js';

/** Messages per history page and per resync answer. */
export const HISTORY_PAGE = 50;
export const SYNC_LIMIT = 500;

/**
 * How long after a message was stored every lower number is certainly settled: a number is
 * reserved before any message with a higher number is dated (createdAt), and stored within
 * STORE_DEADLINE_MS of its reservation or never. The margin covers clocks of several processes.
 */
export const SETTLE_MS = 30_000;

/**
 * The number up to which a resync read that began at `readAt` is final: every number below a
 * message dated SETTLE_MS before the read was stored before the read began (so it is in the
 * answer, or below `afterSeq`) or never will be.
 */
export function settledThrough(messages: readonly MessageView[], afterSeq: number, readAt: number): number {
  let settled = afterSeq;
  for (const message of messages) {
    if (Date.parse(message.createdAt) <= readAt - SETTLE_MS) settled = Math.max(settled, message.seq);
  }
  return settled;
}

/** Refuses mentions of anyone but the channel's other members. */
export function checkMentions(mentions: readonly string[] | undefined, members: readonly string[], sender: string): void {
  if (mentions?.some((id) => id === sender || !members.includes(id))) {
    throw new AppError(400, 'bad-mention', 'Mention only other members of this channel.');
  }
}

/** Connect: channels, sending, history, resync and receipts, for HTTP and sockets alike. */
export class ConnectService {
  /** A database read of each channel's messages under way, for others to wait for. */
  readonly #reads = new Map<string, { afterSeq: number; reading: Promise<MessagePage> }>();

  /** `recent`: the newest messages kept in memory (one server process only; see RecentMessages). */
  constructor(
    private readonly writer: MessageWriter,
    private readonly recent?: RecentMessages,
  ) {
    // Channels are groups with a key: Connect answers for their members.
    registerGroupKind('channel', channelGroups);
  }

  /**
   * Opens another module's discussion between the desks that follow something (or adds the desks
   * that have come to follow it since); says whether it changed, so that those desks' open pages
   * can be told to follow it.
   */
  async discussion(spec: DiscussionSpec): Promise<{ id: string; changed: boolean }> {
    const { channel, changed } = await ensureDiscussion(spec);
    return { id: String(channel._id), changed };
  }

  /** The channel if the actor is a member; anyone else is refused and the attempt audited. */
  async requireMember(context: AuthorizeContext, channelId: string): Promise<{ channel: ChannelDocument; members: string[] }> {
    const channel = await findChannel(channelId);
    const members = await channelMembers(channel);
    if (!members.includes(context.actor.userId)) return deny(context, 'channel:access', { type: 'channel', id: channelId });
    return { channel, members };
  }

  /** The actor's channels with names, members and unread counts. */
  list(actor: Actor): Promise<ChannelView[]> {
    return listChannels(actor);
  }

  /**
   * Stores a message a member sealed for the channel's current epoch (ciphertext for that key,
   * nothing else), with the writer's group commit; resolves once stored.
   */
  async send(context: AuthorizeContext, input: SendInput): Promise<{ message: MessageView; duplicate: boolean }> {
    requireDatabase();
    const { channel, members } = await this.requireMember(context, input.channel);
    const group = `channel:${String(channel._id)}`;
    await this.checkSealed(channel, members, input);
    checkMentions(input.mentions, members, context.actor.userId);
    if (input.attachments?.length) {
      const files = await countOwnUploads(context.actor, input.attachments, group);
      if (files !== input.attachments.length) throw new AppError(400, 'bad-attachment', 'Attach only files you uploaded to this channel.');
    }
    const key = await currentKey(context.actor.userId);
    if (!key) throw new AppError(409, 'key-missing', 'You need a key to sign what you send.');
    return this.writer.submit({
      channel: String(channel._id),
      clientId: input.clientId,
      sender: context.actor.userId,
      senderFingerprint: key.fingerprint,
      epoch: input.epoch,
      body: input.body,
      keyPackets: input.keyPackets,
      threadRoot: input.threadRoot,
      attachments: input.attachments,
      mentions: input.mentions,
    });
  }

  /**
   * Checks that a body was sealed for the channel's current epoch, for its members' key, and
   * nothing else: key packets for the epoch's keys only, an encrypted body.
   */
  async checkSealed(
    channel: ChannelDocument,
    members: readonly string[],
    input: { epoch: number; body: Uint8Array; keyPackets: Uint8Array },
  ): Promise<void> {
    const { epoch, keyIds } = await channelEpoch(`channel:${String(channel._id)}`, input.epoch, members);
    if (epoch.epoch !== input.epoch) throw new AppError(409, 'epoch-stale', `Write to the channel's current epoch (${epoch.epoch}).`);
    await checkKeyPackets(input.keyPackets, 'keyPackets', keyIds);
    await checkEncryptedBody(input.body, 'body');
  }

  /** A page of history, newest first: the main conversation, or one thread. */
  async history(context: AuthorizeContext, input: HistoryInput): Promise<MessagePage> {
    const { channel } = await this.requireMember(context, input.channel);
    const limit = Math.min(input.limit ?? HISTORY_PAGE, HISTORY_PAGE);
    const cached = this.recent?.before(String(channel._id), input.threadRoot ?? null, input.beforeSeq, limit);
    if (cached) return cached;
    const messages = await Message.find({
      channel: channel._id,
      threadRoot: input.threadRoot ?? null,
      ...(input.beforeSeq ? { seq: mongoose.trusted({ $lt: input.beforeSeq }) } : {}),
    })
      .sort({ seq: -1 })
      .limit(limit + 1)
      .lean<MessageDocument[]>();
    return { messages: messages.slice(0, limit).map(presentMessage), hasMore: messages.length > limit };
  }

  /**
   * The channel's threads that have replies: how many, the last, and how many of them, by others,
   * the member has not read (each thread has its own read mark).
   */
  async threads(context: AuthorizeContext, channelId: string): Promise<ThreadSummary[]> {
    const { channel } = await this.requireMember(context, channelId);
    const [replies, states] = await Promise.all([
      Message.find({ channel: channel._id, threadRoot: mongoose.trusted({ $ne: null }) }, { seq: 1, sender: 1, threadRoot: 1 }).lean(),
      ThreadState.find({ channel: channel._id, account: context.actor.userId }, { root: 1, readSeq: 1 }).lean(),
    ]);
    const readSeqOf = new Map(states.map((state) => [state.root, state.readSeq ?? 0]));
    const threads = new Map<number, ThreadSummary>();
    for (const reply of replies) {
      const root = reply.threadRoot!;
      const thread = threads.get(root) ?? { root, replies: 0, lastSeq: 0, unread: 0 };
      thread.replies += 1;
      thread.lastSeq = Math.max(thread.lastSeq, reply.seq);
      if (reply.seq > (readSeqOf.get(root) ?? 0) && String(reply.sender) !== context.actor.userId) thread.unread += 1;
      threads.set(root, thread);
    }
    return [...threads.values()].sort((a, b) => a.root - b.root);
  }

  /**
   * Everything after `afterSeq`, oldest first: what a reconnecting client missed, and up to which
   * number the answer is final ({@link settledThrough}).
   */
  async sync(context: AuthorizeContext, channelId: string, afterSeq: number): Promise<SyncPage> {
    const { channel } = await this.requireMember(context, channelId);
    const id = String(channel._id);
    const readAt = nowMs();
    const page = this.recent?.after(id, afterSeq, SYNC_LIMIT) ?? (await this.#readAfter(id, afterSeq));
    return { ...page, settledSeq: settledThrough(page.messages, afterSeq, readAt) };
  }

  /**
   * Reads the messages after `afterSeq` from the database and keeps them with the channel's
   * recent ones when complete. Officers reconnecting together share the read: whoever asks for
   * no more than a read under way already covers waits for it and is answered from memory.
   */
  async #readAfter(channelId: string, afterSeq: number): Promise<MessagePage> {
    const under = this.#reads.get(channelId);
    if (this.recent && under && under.afterSeq <= afterSeq) {
      await under.reading.catch(() => undefined);
      const cached = this.recent?.after(channelId, afterSeq, SYNC_LIMIT);
      if (cached) return cached;
    }
    const generation = this.recent?.generation(channelId) ?? 0;
    const reading = Message.find({ channel: channelId, seq: mongoose.trusted({ $gt: afterSeq }) })
      .sort({ seq: 1 })
      .limit(SYNC_LIMIT + 1)
      .lean<MessageDocument[]>()
      .then((found) => {
        const page = { messages: found.slice(0, SYNC_LIMIT).map(presentMessage), hasMore: found.length > SYNC_LIMIT };
        if (!page.hasMore) this.recent?.joinRead(channelId, afterSeq, page.messages, generation);
        return page;
      });
    if (!this.#reads.has(channelId)) {
      this.#reads.set(channelId, { afterSeq, reading });
      void reading.finally(() => this.#reads.delete(channelId)).catch(() => undefined);
    }
    return reading;
  }

  /**
   * Records that the actor's client received (`delivered`) or showed (`read`) messages up to
   * `seq`, only ever forward. Returns the member's state to tell the channel.
   */
  async receipt(context: AuthorizeContext, kind: 'delivered' | 'read', input: ReceiptInput): Promise<{ deliveredSeq: number; readSeq: number }> {
    const { channel } = await this.requireMember(context, input.channel);
    if (input.threadRoot !== undefined) {
      await ThreadState.updateOne(
        { channel: channel._id, root: input.threadRoot, account: context.actor.userId },
        { $max: { readSeq: input.seq } },
        { upsert: true },
      );
    }
    const update = kind === 'delivered' ? { $max: { deliveredSeq: input.seq } } : { $max: { readSeq: input.seq, deliveredSeq: input.seq } };
    const state = await ChannelState.findOneAndUpdate({ channel: channel._id, account: context.actor.userId }, update, {
      upsert: true,
      returnDocument: 'after',
    }).lean<ChannelStateDocument>();
    return { deliveredSeq: state?.deliveredSeq ?? 0, readSeq: state?.readSeq ?? 0 };
  }

  /** Every member's receipts in a channel, for showing ✓ and ✓✓ on one's own messages. */
  async receipts(context: AuthorizeContext, channelId: string): Promise<{ account: string; deliveredSeq: number; readSeq: number }[]> {
    const { channel } = await this.requireMember(context, channelId);
    const states = await ChannelState.find({ channel: channel._id }).lean<ChannelStateDocument[]>();
    return states.map((state) => ({ account: String(state.account), deliveredSeq: state.deliveredSeq ?? 0, readSeq: state.readSeq ?? 0 }));
  }
}
