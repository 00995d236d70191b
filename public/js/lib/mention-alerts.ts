import type { PortalSocket } from './connection.js';

/** How long a mention's notice stays on screen. */
const SHOWN_MS = 15_000;

/**
 * Tells the officer, on whatever page they are, that a colleague mentioned them in Connect: a
 * notice (announced to screen readers) with a link that opens the conversation. On the Connect
 * page, a mention in the conversation already open and visible needs none.
 */
export function showMentionAlerts(socket: PortalSocket | undefined): void {
  if (!socket) return;
  socket.on('mention:new', (mention) => {
    const open = document.querySelector<HTMLElement>('[data-connect]')?.dataset['openChannel'];
    if (open === mention.channel && document.visibilityState === 'visible') return;
    let region = document.querySelector<HTMLElement>('[data-toasts]');
    if (!region) {
      region = document.createElement('div');
      region.className = 'toasts';
      region.dataset['toasts'] = '';
      region.setAttribute('role', 'status');
      region.setAttribute('aria-live', 'polite');
      document.body.append(region);
    }
    const toast = document.createElement('p');
    toast.className = 'toast';
    toast.dataset['mentionAlert'] = mention.channel;
    const link = document.createElement('a');
    link.href = `/connect#channel=${encodeURIComponent(mention.channel)}`;
    link.textContent = 'Open';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'button button--ghost button--small';
    close.textContent = 'Dismiss';
    close.addEventListener('click', () => toast.remove());
    toast.append(`${mention.senderName} mentioned you in Connect. `, link, ' ', close);
    region.append(toast);
    setTimeout(() => toast.remove(), SHOWN_MS);
  });
}
