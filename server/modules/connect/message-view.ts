import { bytesOf } from '../../db/binary.js';
import type { WireMessage } from './connect.events.js';
import type { MessageDocument } from './channel.model.js';

/** A message as clients receive it: ciphertext and routing facts (the socket contract's shape). */
export type MessageView = Readonly<WireMessage>;

/** Presents a stored message. */
export function presentMessage(message: MessageDocument): MessageView {
  const changes = {
    ...(message.mentions?.length ? { mentions: message.mentions.map(String) } : {}),
    ...(message.editedAt ? { editedAt: message.editedAt.toISOString(), edits: message.revisions?.length ?? 0 } : {}),
    ...(message.deletedAt ? { deleted: true as const } : {}),
  };
  return {
    id: String(message._id),
    channel: String(message.channel),
    seq: message.seq,
    clientId: message.clientId,
    sender: String(message.sender),
    senderFingerprint: message.senderFingerprint,
    epoch: message.epoch,
    body: bytesOf(message.body).toString('base64'),
    keyPackets: bytesOf(message.keyPackets).toString('base64'),
    ...(message.threadRoot !== undefined && message.threadRoot !== null ? { threadRoot: message.threadRoot } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments.map(String) } : {}),
    createdAt: message.createdAt.toISOString(),
    ...changes,
  };
}
