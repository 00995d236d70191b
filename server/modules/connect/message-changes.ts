import mongoose from 'mongoose';
import type { AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { bytesOf } from '../../db/binary.js';
import { requireDatabase } from '../../db/availability.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { currentKey } from '../../sealed/keys/keys.service.js';
import { Message, type MessageDocument } from './channel.model.js';
import { MESSAGE_CHANGE_WINDOW_MS, type WireRevision } from './connect.events.js';
import type { EditInput, MessageRef } from './connect.schema.js';
import { checkMentions, type ConnectService } from './connect.service.js';
import { presentMessage, type MessageView } from './message-view.js';
import type { RecentMessages } from './recent-messages.js';

/** Earlier versions kept of one message: enough for any honest correction, bounded against abuse. */
export const MAX_REVISIONS = 20;

/** A message `_id` as stored: made from ids (a string), or an ObjectId for messages stored before. */
function storedId(id: string): string | mongoose.Types.ObjectId {
  return /^[0-9a-f]{24}$/.test(id) ? new mongoose.Types.ObjectId(id) : id;
}

/**
 * Changes to messages after they were sent: their sender may edit (seal a new text, the earlier
 * one kept sealed as a revision) or delete them (the ciphertext emptied, the fact kept) within
 * {@link MESSAGE_CHANGE_WINDOW_MS}. Both are read and written by `_id` and conditioned on the
 * message not having changed since it was read, so two edits at once cannot lose one.
 */
export class MessageChanges {
  constructor(
    private readonly connect: ConnectService,
    private readonly recent?: RecentMessages,
  ) {}

  /** Edits one's own message; `newlyMentioned`: members the new text mentions and the earlier did not (to alert). */
  async edit(context: AuthorizeContext, input: EditInput): Promise<{ message: MessageView; newlyMentioned: string[] }> {
    requireDatabase();
    const { channel, members } = await this.connect.requireMember(context, input.channel);
    const message = await this.#ownChangeable(context, input);
    await this.connect.checkSealed(channel, members, input);
    checkMentions(input.mentions, members, context.actor.userId);
    if ((message.revisions?.length ?? 0) >= MAX_REVISIONS) throw new AppError(409, 'too-many-edits', `A message can be edited ${MAX_REVISIONS} times.`);
    const key = await currentKey(context.actor.userId);
    if (!key) throw new AppError(409, 'key-missing', 'You need a key to sign what you send.');
    const earlier = {
      epoch: message.epoch,
      senderFingerprint: message.senderFingerprint,
      body: message.body,
      keyPackets: message.keyPackets,
      writtenAt: message.editedAt ?? message.createdAt,
    };
    const changed = await Message.findOneAndUpdate(
      { _id: message._id, editedAt: message.editedAt ?? null, deletedAt: null },
      {
        $set: {
          epoch: input.epoch,
          senderFingerprint: key.fingerprint,
          body: Buffer.from(input.body),
          keyPackets: Buffer.from(input.keyPackets),
          editedAt: now(),
          ...(input.mentions?.length ? { mentions: input.mentions.map((id) => new mongoose.Types.ObjectId(id)) } : {}),
        },
        $push: { revisions: earlier },
        ...(input.mentions?.length ? {} : { $unset: { mentions: 1 } }),
      },
      { returnDocument: 'after' },
    ).lean<MessageDocument>();
    if (!changed) throw new AppError(409, 'message-changed', 'The message changed meanwhile. Open it again and retry.');
    await this.#record(context, 'connect.message-edited', changed);
    const before = new Set((message.mentions ?? []).map(String));
    return { message: this.#changed(changed), newlyMentioned: (input.mentions ?? []).filter((id) => !before.has(id)) };
  }

  async remove(context: AuthorizeContext, input: MessageRef): Promise<MessageView> {
    requireDatabase();
    await this.connect.requireMember(context, input.channel);
    const message = await this.#ownChangeable(context, input);
    const changed = await Message.findOneAndUpdate(
      { _id: message._id, editedAt: message.editedAt ?? null, deletedAt: null },
      { $set: { body: Buffer.alloc(0), keyPackets: Buffer.alloc(0), deletedAt: now() }, $unset: { revisions: 1, mentions: 1, attachments: 1 } },
      { returnDocument: 'after' },
    ).lean<MessageDocument>();
    if (!changed) throw new AppError(409, 'message-changed', 'The message changed meanwhile. Open it again and retry.');
    await this.#record(context, 'connect.message-deleted', changed);
    return this.#changed(changed);
  }

  /** The earlier versions of a message of a channel the actor belongs to, newest first. */
  async revisions(context: AuthorizeContext, input: MessageRef): Promise<WireRevision[]> {
    await this.connect.requireMember(context, input.channel);
    const message = await this.#find(input);
    return [...(message.revisions ?? [])].reverse().map((revision) => ({
      epoch: revision.epoch,
      senderFingerprint: revision.senderFingerprint,
      body: bytesOf(revision.body).toString('base64'),
      keyPackets: bytesOf(revision.keyPackets).toString('base64'),
      writtenAt: revision.writtenAt.toISOString(),
    }));
  }

  async #find(input: MessageRef): Promise<MessageDocument> {
    const message = await Message.findById(storedId(input.id)).lean<MessageDocument>();
    if (!message || String(message.channel) !== input.channel) throw notFound('message');
    return message;
  }

  /** The actor's own message, not deleted, still within the change window. */
  async #ownChangeable(context: AuthorizeContext, input: MessageRef): Promise<MessageDocument> {
    const message = await this.#find(input);
    if (String(message.sender) !== context.actor.userId) throw forbidden('Only the sender can change a message.');
    if (message.deletedAt) throw new AppError(409, 'message-deleted', 'This message was deleted.');
    if (now().getTime() - message.createdAt.getTime() > MESSAGE_CHANGE_WINDOW_MS) {
      throw new AppError(409, 'change-window-closed', `A message can be changed for ${MESSAGE_CHANGE_WINDOW_MS / 60_000} minutes after it was sent.`);
    }
    return message;
  }

  #changed(message: MessageDocument): MessageView {
    const view = presentMessage(message);
    this.recent?.replace(view);
    return view;
  }

  /** Audited without content (the server has none): which message, and in which channel. */
  #record(context: AuthorizeContext, action: string, message: MessageDocument): Promise<void> {
    return context.audit.record({
      action,
      outcome: 'success',
      actor: context.actor,
      origin: context.origin,
      target: { type: 'message', id: String(message._id) },
      details: { channel: String(message.channel), seq: message.seq },
    });
  }
}
