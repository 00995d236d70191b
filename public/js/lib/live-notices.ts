import type { LibraryNotice } from '../../../server/modules/library/library.events.js';
import type { TrainingNotice } from '../../../server/modules/training/training.events.js';
import type { PortalSocket } from './connection.js';
import { formatDateTime } from '../../../server/shared/dates.js';

/**
 * Shows, in `box`, what is published for the officer while the page is open: new library items
 * and versions, and newly scheduled training sessions, each with a link.
 */
export function showLiveNotices(socket: PortalSocket, box: HTMLElement): void {
  const add = (text: string, href: string, label: string): void => {
    const line = document.createElement('p');
    line.dataset['notice'] = '';
    line.append(`${text} `);
    const link = document.createElement('a');
    link.href = href;
    link.textContent = label;
    line.append(link);
    box.prepend(line);
    box.hidden = false;
  };
  socket.on('library:published', (notice: LibraryNotice) => {
    const what = notice.version > 1 ? `New version ${notice.version} published by ${notice.publishedBy}:` : `Just published by ${notice.publishedBy}:`;
    add(what, `/resources/items/${encodeURIComponent(notice.id)}`, notice.title);
  });
  socket.on('training:scheduled', (notice: TrainingNotice) => {
    add(`New training session (${formatDateTime(new Date(notice.startsAt))}):`, `/training/sessions/${encodeURIComponent(notice.id)}`, notice.title);
  });
}
