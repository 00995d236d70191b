import { initLayout } from './lib/layout.js';
import { showLiveNotices } from './lib/live-notices.js';

/** The training calendar: server-rendered; the script shows what is published while it is open. */
export function init(): void {
  const socket = initLayout();
  const box = document.querySelector<HTMLElement>('[data-live-notices]');
  if (socket && box) showLiveNotices(socket, box);
}

init();
