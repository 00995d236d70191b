import { contentText, CryptoClientError, openItem } from '../../../server/crypto/client.js';
import { base64 } from '../../../server/crypto/group-keyring.js';
import type { WireMessage } from '../../../server/modules/connect/connect.events.js';
import { attachmentBox } from './attachments.js';
import type { CryptoSession } from './crypto-session.js';
import { formatDateTime, formatDay, formatTime } from '../../../server/shared/dates.js';

export interface MessageItemOptions {
  /** The sender's name as the channel knows them. */
  readonly senderName: string;
  /** Set to offer "Reply in thread" (a message of the main conversation). */
  readonly onReply?: () => void;
}

/**
 * A message as an article, decrypted and verified in this browser: sender, time, verification,
 * the text (set as text, never markup), a receipt mark on one's own, attachments, and the
 * thread button. A message that does not open or verify says so instead of its text.
 */
export async function messageItem(session: CryptoSession, message: WireMessage, options: MessageItemOptions): Promise<HTMLElement> {
  const mine = message.sender === session.accountId;
  const item = document.createElement('article');
  item.className = `message${mine ? ' message--mine' : ''}`;
  item.dataset['seq'] = String(message.seq);
  const meta = document.createElement('div');
  meta.className = 'message__meta';
  const who = document.createElement('strong');
  who.textContent = mine ? 'You' : options.senderName;
  const when = document.createElement('time');
  when.dateTime = message.createdAt;
  when.textContent = formatTime(new Date(message.createdAt));
  when.title = formatDateTime(new Date(message.createdAt));
  item.dataset['day'] = formatDay(new Date(message.createdAt));
  const status = document.createElement('span');
  meta.append(who, when, status);
  const text = document.createElement('p');
  text.className = 'message__text';
  item.append(meta, text);
  try {
    const keys = await session.keyring.keys(`channel:${message.channel}`);
    const opened = await openItem({
      item: { body: base64.decode(message.body), keyPackets: base64.decode(message.keyPackets) },
      decryptionKeys: [...keys.privateKeys.values()],
      authorKeys: [await session.keyOf(message.senderFingerprint)],
    });
    text.textContent = contentText(opened.content);
    status.className = 'verified';
    status.textContent = '✔ verified';
    status.title = `Signed with key ${message.senderFingerprint.toUpperCase()}`;
  } catch (error) {
    item.classList.add('message--bad');
    text.textContent =
      error instanceof CryptoClientError && error.reason === 'no-key-for-me'
        ? 'Access to this message is being arranged: it was sealed before you had this channel’s key, and the first colleague online (on any page of the portal) shares it with you.'
        : '⚠ This message failed its integrity or signature check and is not shown.';
  }
  if (mine) {
    const receipt = document.createElement('span');
    receipt.className = 'receipt';
    receipt.dataset['receiptFor'] = String(message.seq);
    meta.append(receipt);
  }
  for (const fileId of message.attachments ?? []) item.append(attachmentBox(session, fileId));
  if (options.onReply) {
    const actions = document.createElement('div');
    actions.className = 'message__actions';
    const reply = document.createElement('button');
    reply.type = 'button';
    reply.dataset['replies'] = String(message.seq);
    reply.textContent = 'Reply in thread';
    reply.addEventListener('click', options.onReply);
    actions.append(reply);
    item.append(actions);
  }
  return item;
}
