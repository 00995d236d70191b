import { initLayout } from './lib/layout.js';

/** The lists: a line says when a request the officer follows has moved (with a reload link), or is late. */
export function init(): void {
  const socket = initLayout();
  const live = document.querySelector<HTMLElement>('[data-live-notices]');
  if (!live) return;
  const WORDS = { reminder: 'is waiting at your desk (reminder)', overdue: 'is past its deadline', escalated: 'is overdue at the desk below you and was escalated to you' } as const;
  socket?.on('notice:alert', (alert) => {
    const line = document.createElement('p');
    const link = document.createElement('a');
    link.href = `/notices/${encodeURIComponent(alert.id)}`;
    link.textContent = alert.label;
    line.append(link, ` ${WORDS[alert.kind]}.`);
    live.prepend(line);
    live.hidden = false;
  });
  socket?.on('notice:changed', () => {
    live.replaceChildren('A request you follow has moved. ');
    const link = document.createElement('a');
    link.href = location.pathname + location.search;
    link.textContent = 'Show the list as it is now';
    live.append(link);
    live.hidden = false;
  });
}

init();
