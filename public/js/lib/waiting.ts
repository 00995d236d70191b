import type { PortalSocket } from './connection.js';
import { api } from './api.js';

interface Waiting {
  total: number;
  items: { href: string; label: string; count: number; urgent: boolean }[];
}

/** The page title as the server wrote it, before any count was put in front. */
const baseTitle = document.title;

/**
 * Shows what waits for the officer on every page: a count beside each navigation entry (unread
 * messages beside Connect, broadcasts to acknowledge or review beside Broadcast, references at
 * the officer's desk beside References) and the total in
 * the tab's title, kept current as messages and broadcasts arrive.
 */
export function showWaiting(socket: PortalSocket | undefined): { refresh(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = (waiting: Waiting): void => {
    const byPath = new Map<string, { count: number; labels: string[] }>();
    for (const item of waiting.items) {
      const path = item.href.split('?')[0] ?? item.href;
      const entry = byPath.get(path) ?? { count: 0, labels: [] };
      entry.count += item.count;
      entry.labels.push(item.label);
      byPath.set(path, entry);
    }
    for (const link of document.querySelectorAll<HTMLAnchorElement>('.site-nav a')) {
      link.querySelector('.nav-count')?.remove();
      const entry = byPath.get(new URL(link.href).pathname);
      if (!entry) continue;
      const badge = document.createElement('span');
      badge.className = 'nav-count';
      badge.dataset['navCount'] = '';
      badge.textContent = String(entry.count);
      badge.title = entry.labels.join('; ');
      badge.setAttribute('aria-label', entry.labels.join('; '));
      link.append(badge);
    }
    document.title = waiting.total > 0 ? `(${waiting.total}) ${baseTitle}` : baseTitle;
  };
  const refresh = (): void => {
    clearTimeout(timer);
    // Several events in a burst ask once.
    timer = setTimeout(() => void api<Waiting>('GET', '/api/me/waiting').then(render, () => undefined), 400);
  };
  refresh();
  socket?.on('message:new', refresh);
  socket?.on('broadcast:new', refresh);
  socket?.on('broadcast:reminder', refresh);
  socket?.on('broadcast:tracking', refresh);
  socket?.on('reference:changed', refresh);
  socket?.on('reference:alert', refresh);
  socket?.on('connect', refresh);
  return { refresh };
}
