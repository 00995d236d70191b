import { initLayout } from './lib/layout.js';

/** The queues: a line says when a reference the officer follows has moved, with a reload link. */
export function init(): void {
  const socket = initLayout();
  const live = document.querySelector<HTMLElement>('[data-live-references]');
  if (!live) return;
  socket?.on('reference:changed', () => {
    live.replaceChildren('A reference you follow has moved. ');
    const link = document.createElement('a');
    link.href = location.pathname + location.search;
    link.textContent = 'Show the queue as it is now';
    live.append(link);
    live.hidden = false;
  });
}

init();
