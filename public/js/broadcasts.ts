import type { BroadcastNotice } from '../../server/modules/broadcast/broadcast.events.js';
import { PRIORITY_LABELS, type Priority } from '../../server/shared/vocabulary/priorities.js';
import { PURPOSE_LABELS, type Purpose } from '../../server/shared/vocabulary/purposes.js';
import { formatDateTime, relativeTime } from '../../server/shared/dates.js';
import { api } from './lib/api.js';
import { initLayout } from './lib/layout.js';

/** A new line of the inbox for a broadcast that just arrived (text only, never markup). */
function rowOf(notice: BroadcastNotice): HTMLLIElement {
  const row = document.createElement('li');
  row.className = 'item broadcast-row broadcast-row--new';
  row.dataset['broadcast'] = notice.id;
  const head = document.createElement('div');
  head.className = 'item__head';
  const link = document.createElement('a');
  link.className = 'item__title';
  link.href = `/broadcasts/${encodeURIComponent(notice.id)}`;
  link.textContent = `${notice.reference} · ${notice.country}`;
  const badge = (text: string, modifier?: string): HTMLSpanElement => {
    const span = document.createElement('span');
    span.className = modifier ? `badge badge--${modifier}` : 'badge';
    span.textContent = text;
    return span;
  };
  head.append(link, ' ', badge(PRIORITY_LABELS[notice.priority as Priority] ?? notice.priority, `priority-${notice.priority}`), ' ', badge(notice.handlingCode), ' ', badge('New', 'new'));
  const meta = document.createElement('p');
  meta.className = 'item__meta small muted';
  meta.textContent = `${PURPOSE_LABELS[notice.purpose as Purpose] ?? notice.purpose} · due ${formatDateTime(new Date(notice.deadline))} (${relativeTime(new Date(notice.deadline))})`;
  row.append(head, meta);
  return row;
}

/**
 * The broadcast list: tells the server which broadcasts reached this screen (delivered), shows
 * new ones at the top the moment they are sent, and reminders and escalations as they come.
 */
/**
 * The inbox's filters past the search box are folded on a phone (they filled its first screen)
 * and open on a wider screen; the fold says how many are set, and opens when any is.
 */
function foldFilters(): void {
  const more = document.querySelector<HTMLDetailsElement>('[data-more-filters]');
  const summary = more?.querySelector('[data-more-filters-summary]');
  if (!more || !summary) return;
  const set = [...more.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')].filter((field) => field.value !== '').length;
  summary.textContent = set > 0 ? `More filters (${set} set)` : 'More filters';
  if (set > 0 || window.matchMedia('(min-width: 761px)').matches) more.open = true;
}

export function init(): void {
  const socket = initLayout();
  foldFilters();
  const list = document.querySelector<HTMLElement>('[data-broadcast-list]');
  const live = document.querySelector<HTMLElement>('[data-live-broadcasts]');
  if (!list || !live) return;
  const delivered = (ids: string[]): void => {
    if (ids.length > 0) void api('POST', '/api/broadcasts/delivered', { ids }).catch(() => undefined);
  };
  delivered([...list.querySelectorAll<HTMLElement>('[data-undelivered]')].map((row) => row.dataset['broadcast'] ?? '').filter(Boolean));
  const say = (text: string, href?: string): void => {
    const line = document.createElement('p');
    line.textContent = `${text} `;
    if (href) {
      const link = document.createElement('a');
      link.href = href;
      link.textContent = 'Open';
      line.append(link);
    }
    live.prepend(line);
    live.hidden = false;
  };
  socket?.on('broadcast:new', (notice) => {
    document.querySelector('[data-empty]')?.remove();
    list.prepend(rowOf(notice));
    delivered([notice.id]);
    say(`New ${notice.priority} broadcast ${notice.reference} from ${notice.country}.`, `/broadcasts/${encodeURIComponent(notice.id)}`);
  });
  socket?.on('broadcast:reminder', (notice) => {
    say(`Reminder: ${notice.reference} (${notice.priority}) is not yet acknowledged.`, `/broadcasts/${encodeURIComponent(notice.id)}`);
  });
  socket?.on('broadcast:escalated', (payload) => {
    say(`${payload.unitName} is past its deadline on ${payload.reference} without an action-taken report.`, `/broadcasts/${encodeURIComponent(payload.broadcast)}`);
  });
}

init();
