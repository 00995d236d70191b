import type { WireMessage } from '../../../server/modules/connect/connect.events.js';
import type { CryptoSession } from './crypto-session.js';
import { messageItem } from './message-item.js';
import type { Outgoing } from './outbox.js';
import type { OutgoingState } from './sender.js';

/**
 * One's own message not yet acknowledged, as the conversation shows it until the stored message
 * replaces it: decrypted from what the outbox keeps, marked "Sending…", with a way to discard it
 * while it waits or after it was refused.
 */
export async function pendingItem(session: CryptoSession, message: Outgoing, onDiscard: () => void): Promise<HTMLElement> {
  const { queuedAt, ...payload } = message;
  const wire: WireMessage = { ...payload, id: '', seq: 0, sender: session.accountId, senderFingerprint: session.fingerprint, createdAt: queuedAt };
  const item = await messageItem(session, wire, { senderName: 'You' });
  item.classList.add('message--pending');
  item.dataset['pending'] = message.clientId;
  delete item.dataset['seq'];
  item.querySelector('[data-receipt-for]')?.remove();
  const status = document.createElement('span');
  status.className = 'pending-state';
  status.dataset['pendingState'] = '';
  const discard = document.createElement('button');
  discard.type = 'button';
  discard.className = 'button button--secondary button--small';
  discard.textContent = 'Discard';
  discard.hidden = true;
  discard.dataset['discard'] = '';
  discard.addEventListener('click', () => {
    onDiscard();
    item.remove();
  });
  item.querySelector('.message__meta')?.append(status, discard);
  showOutgoingState(item, { state: 'sending' });
  return item;
}

/** Shows on a pending item where its message stands. */
export function showOutgoingState(item: HTMLElement, outgoing: OutgoingState): void {
  const status = item.querySelector<HTMLElement>('[data-pending-state]');
  const discard = item.querySelector<HTMLButtonElement>('[data-discard]');
  if (!status) return;
  item.dataset['state'] = outgoing.state;
  item.classList.toggle('message--bad', outgoing.state === 'failed');
  status.textContent = {
    sending: '◷ Sending…',
    waiting: '◷ Not sent yet: will be sent when the connection is back',
    sent: '✓',
    failed: `Not sent: ${outgoing.state === 'failed' ? outgoing.reason : ''}`,
  }[outgoing.state];
  if (discard) discard.hidden = outgoing.state === 'sending' || outgoing.state === 'sent';
}
