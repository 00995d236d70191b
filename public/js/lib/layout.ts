import { api } from './api.js';
import { watchConnection, type PortalSocket } from './connection.js';
import { forgetPassphrase } from './keys.js';

/** Shows ISO timestamps in the officer's own time zone and format. */
function localiseTimes(): void {
  for (const element of document.querySelectorAll<HTMLTimeElement>('time[data-local-time]')) {
    const date = new Date(element.dateTime);
    if (!Number.isNaN(date.getTime())) element.textContent = date.toLocaleString();
  }
}

/**
 * What every signed-in page does: sign-out button, live connection badge, local times. Returns
 * the page's socket, for pages that use it further.
 */
export function initLayout(options: { live?: boolean } = {}): PortalSocket | undefined {
  localiseTimes();
  const badge = document.querySelector<HTMLElement>('[data-connection-status]');
  const socket = badge && options.live !== false ? watchConnection(badge) : undefined;
  document.querySelector<HTMLButtonElement>('[data-sign-out]')?.addEventListener('click', async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    button.disabled = true;
    // Close our own socket first, so the server ending the session does not look like an eviction.
    socket?.disconnect();
    forgetPassphrase();
    try {
      await api('POST', '/api/auth/sign-out');
    } finally {
      window.location.assign('/sign-in?reason=signed-out');
    }
  });
  return socket;
}
