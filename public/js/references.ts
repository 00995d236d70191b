import { initLayout } from './lib/layout.js';

/** The queues: a line says when a reference the officer follows has moved (with a reload link), or is late. */
export function init(): void {
  const socket = initLayout();
  const live = document.querySelector<HTMLElement>('[data-live-references]');
  if (!live) return;
  const WORDS = { reminder: 'is waiting at your desk (reminder)', overdue: 'is past its deadline', escalated: 'is overdue at the desk below you and was escalated to you' } as const;
  socket?.on('reference:alert', (alert) => {
    const line = document.createElement('p');
    const link = document.createElement('a');
    link.href = `/references/${encodeURIComponent(alert.id)}`;
    link.textContent = alert.label;
    line.append(link, ` ${WORDS[alert.kind]}.`);
    live.prepend(line);
    live.hidden = false;
  });
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
