import { formatDateTime, relativeTime } from '../../../server/shared/dates.js';
import { api } from './api.js';
import { watchConnection, type PortalSocket } from './connection.js';
import { bindDesktopAlerts } from './desktop-alerts.js';
import { keepGroupKeysReady } from './key-upkeep.js';
import { forgetPassphrase } from './keys.js';
import { showMentionAlerts } from './mention-alerts.js';
import { showWaiting } from './waiting.js';

/** Shows ISO timestamps as Indian officers read them (IST, day month year), with how long ago on hover. */
function localiseTimes(): void {
  for (const element of document.querySelectorAll<HTMLTimeElement>('time[data-local-time]')) {
    const date = new Date(element.dateTime);
    if (Number.isNaN(date.getTime())) continue;
    element.textContent = formatDateTime(date);
    element.title = relativeTime(date);
  }
}

/**
 * What every signed-in page does: sign-out button, live connection badge, times in IST, the keys
 * of the officer's groups looked after in the background, and the counts of what waits for them.
 * Returns the page's socket, for pages that use it further.
 */
export function initLayout(options: { live?: boolean } = {}): PortalSocket | undefined {
  localiseTimes();
  const badge = document.querySelector<HTMLElement>('[data-connection-status]');
  const socket = badge && options.live !== false ? watchConnection(badge) : undefined;
  const accountId = document.body.dataset['accountId'];
  if (accountId) {
    // Group keys are looked after from every page, once the page itself has loaded.
    const lookAfterKeys = (now: boolean): void => void keepGroupKeysReady(accountId, { now }).catch(() => undefined);
    setTimeout(() => lookAfterKeys(false), 1_000);
    // A colleague waits for a key this officer may hold: share it (after a moment, so that not
    // every online member's browser does it at the same instant).
    socket?.on('group:share-wanted', () => setTimeout(() => lookAfterKeys(true), Math.random() * 2_000));
    showWaiting(socket);
    showMentionAlerts(socket);
    bindDesktopAlerts(document.querySelector<HTMLButtonElement>('[data-desktop-alerts]'), socket);
  }
  document.querySelector<HTMLButtonElement>('[data-sign-out]')?.addEventListener('click', async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    button.disabled = true;
    // Close our own socket first, so the server ending the session does not look like an eviction.
    socket?.disconnect();
    await forgetPassphrase();
    try {
      await api('POST', '/api/auth/sign-out');
    } finally {
      window.location.assign('/sign-in?reason=signed-out');
    }
  });
  return socket;
}
