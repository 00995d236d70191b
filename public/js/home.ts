import { watchConnection } from './lib/connection.js';

/** Home page: shows whether the live connection to the portal is up, with its round-trip time. */
export function init(): void {
  const badge = document.querySelector<HTMLElement>('[data-connection-status]');
  if (badge) watchConnection(badge);
}

init();
