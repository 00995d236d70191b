import { contentText, CryptoClientError, openItem } from '../../../server/crypto/client.js';
import { base64 } from '../../../server/crypto/group-keyring.js';
import { MESSAGE_CHANGE_WINDOW_MS, type WireMessage } from '../../../server/modules/connect/connect.events.js';
import { attachmentBox } from './attachments.js';
import type { CryptoSession } from './crypto-session.js';
import { formatDateTime, formatDay, formatTime } from '../../../server/shared/dates.js';
import { markMentions } from './mentions.js';
import { receiptMark } from './receipts.js';

export interface MessageItemOptions {
  /** The sender's name as the channel knows them. */
  readonly senderName: string;
  /** Set to offer "Reply in thread" (a message of the main conversation). */
  readonly onReply?: () => void;
  /** The names of the channel's members, whose @mentions are marked in the text. */
  readonly memberNames?: readonly string[];
  /** The officer's own name, whose mentions stand out. */
  readonly ownName?: string;
  /** Called with the text once the message opened and verified (the search index takes it). */
  readonly onOpened?: (text: string) => void;
  /** Offered on one's own messages while they may be changed. */
  readonly onEdit?: (item: HTMLElement, text: string) => void;
  readonly onDelete?: () => void;
  /** Shows the earlier versions of an edited message. */
  readonly onHistory?: (item: HTMLElement) => void;
  /** Called when the officer opens who has seen one of their messages. */
  readonly onReceipt?: () => void;
}

/** A sealed text (a message, or an earlier version of one) opened and verified with the channel's keys. */
export async function openSealedText(
  session: CryptoSession,
  channel: string,
  sealed: { body: string; keyPackets: string; senderFingerprint: string },
): Promise<string> {
  const keys = await session.keyring.keys(`channel:${channel}`);
  const opened = await openItem({
    item: { body: base64.decode(sealed.body), keyPackets: base64.decode(sealed.keyPackets) },
    decryptionKeys: [...keys.privateKeys.values()],
    authorKeys: [await session.keyOf(sealed.senderFingerprint)],
  });
  return contentText(opened.content);
}

/** Whether the officer may still edit or delete a message they sent. */
export function stillChangeable(message: WireMessage, accountId: string): boolean {
  return message.sender === accountId && !message.deleted && message.seq > 0 && Date.now() - Date.parse(message.createdAt) < MESSAGE_CHANGE_WINDOW_MS;
}

function smallButton(label: string, onClick: () => void, data: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.dataset[data] = '';
  button.addEventListener('click', onClick);
  return button;
}

/**
 * A message as an article, decrypted and verified in this browser: sender, time, verification,
 * the text (set as text, never markup), a receipt mark on one's own, attachments, the thread
 * button and, on one's own recent messages, Edit and Delete. A message that does not open or
 * verify says so instead of its text; a deleted one says that it was.
 */
export async function messageItem(session: CryptoSession, message: WireMessage, options: MessageItemOptions): Promise<HTMLElement> {
  const mine = message.sender === session.accountId;
  const item = document.createElement('article');
  item.className = `message${mine ? ' message--mine' : ''}`;
  item.dataset['seq'] = String(message.seq);
  item.dataset['id'] = message.id;
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
  if (message.deleted) {
    item.classList.add('message--deleted');
    text.textContent = mine ? 'You deleted this message.' : 'This message was deleted.';
    return item;
  }
  let opened: string | undefined;
  try {
    opened = await openSealedText(session, message.channel, message);
    text.replaceChildren(...markMentions(opened, options.memberNames ?? [], options.ownName));
    if (message.mentions?.includes(session.accountId)) item.classList.add('message--mentions-me');
    status.className = 'verified';
    status.textContent = '✔ verified';
    status.title = `Signed with key ${message.senderFingerprint.toUpperCase()}`;
    options.onOpened?.(opened);
  } catch (error) {
    item.classList.add('message--bad');
    text.textContent =
      error instanceof CryptoClientError && error.reason === 'no-key-for-me'
        ? 'Access to this message is being arranged: it was sealed before you had this channel’s key, and the first colleague online (on any page of the portal) shares it with you.'
        : '⚠ This message failed its integrity or signature check and is not shown.';
  }
  if (message.editedAt) {
    const edited = smallButton('edited', () => options.onHistory?.(item), 'edited');
    edited.className = 'message__edited';
    edited.title = `Edited ${formatDateTime(new Date(message.editedAt))}: show the earlier versions`;
    meta.append(edited);
  }
  if (mine) meta.append(receiptMark(message.seq, () => options.onReceipt?.()));
  for (const fileId of message.attachments ?? []) item.append(attachmentBox(session, fileId));
  const actions = document.createElement('div');
  actions.className = 'message__actions';
  if (options.onReply) {
    const reply = smallButton('Reply in thread', options.onReply, 'reply');
    reply.dataset['replies'] = String(message.seq);
    actions.append(reply);
  }
  if (opened !== undefined && options.onEdit && stillChangeable(message, session.accountId)) {
    const text = opened;
    actions.append(smallButton('Edit', () => options.onEdit?.(item, text), 'edit'));
  }
  if (options.onDelete && stillChangeable(message, session.accountId)) actions.append(smallButton('Delete', options.onDelete, 'delete'));
  if (actions.childElementCount > 0) item.append(actions);
  return item;
}
