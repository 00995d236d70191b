import { bytesOf } from '../../db/binary.js';
import type { WireMessage } from './connect.events.js';
import type { MessageDocument } from './channel.model.js';

/** A message as clients receive it: ciphertext and routing facts (the socket contract's shape). */
export type MessageView = Readonly<WireMessage>;

/** Presents a stored message. */
export function presentMessage(message: MessageDocument): MessageView {
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
  };
}
