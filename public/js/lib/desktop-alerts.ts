import type { BroadcastNotice } from '../../../server/modules/broadcast/broadcast.events.js';
import { formatDateTime } from '../../../server/shared/dates.js';
import { PRIORITY_LABELS, type Priority } from '../../../server/shared/vocabulary/priorities.js';
import type { PortalSocket } from './connection.js';

/** Whether the officer turned desktop alerts on in this browser (asked on a click, never by itself). */
const PREFERENCE = 'bp.desktopAlerts';
/** What is worth interrupting an officer for on their desktop. */
const ALERTED: readonly string[] = ['immediate', 'urgent'];

/**
 * Optional desktop notifications (the Notification API) for immediate and urgent broadcasts and
 * their reminders, and for mentions in Connect, while the portal's tab is in the background. The header's button asks for the
 * browser's permission on a click and turns them on or off; the choice is kept in this browser.
 */
export function bindDesktopAlerts(button: HTMLButtonElement | null, socket: PortalSocket | undefined): void {
  if (!button || !('Notification' in window)) return;
  const enabled = (): boolean => localStorage.getItem(PREFERENCE) === 'on' && Notification.permission === 'granted';
  const render = (): void => {
    button.hidden = false;
    button.setAttribute('aria-pressed', String(enabled()));
    button.textContent = enabled() ? 'Desktop alerts on' : 'Desktop alerts off';
    button.title = Notification.permission === 'denied' ? 'This browser blocks notifications from the portal: allow them in its site settings.' : '';
  };
  render();
  button.addEventListener('click', async () => {
    if (enabled()) {
      localStorage.removeItem(PREFERENCE);
    } else if ((await Notification.requestPermission()) === 'granted') {
      localStorage.setItem(PREFERENCE, 'on');
    }
    render();
  });
  const alert = (title: string, notice: BroadcastNotice): void => {
    if (!enabled() || !ALERTED.includes(notice.priority) || document.visibilityState === 'visible') return;
    const shown = new Notification(title, { body: `${notice.country} · due ${formatDateTime(new Date(notice.deadline))}`, tag: `broadcast:${notice.id}` });
    shown.addEventListener('click', () => {
      window.focus();
      window.location.assign(`/broadcasts/${encodeURIComponent(notice.id)}`);
    });
  };
  const priority = (notice: BroadcastNotice): string => PRIORITY_LABELS[notice.priority as Priority] ?? notice.priority;
  socket?.on('broadcast:new', (notice) => alert(`${priority(notice)} broadcast ${notice.reference}`, notice));
  socket?.on('mention:new', (mention) => {
    if (!enabled() || document.visibilityState === 'visible') return;
    const shown = new Notification(`${mention.senderName} mentioned you`, { body: 'In Connect', tag: `mention:${mention.channel}:${mention.seq}` });
    shown.addEventListener('click', () => {
      window.focus();
      window.location.assign(`/connect#channel=${encodeURIComponent(mention.channel)}`);
    });
  });
  socket?.on('broadcast:reminder', (notice) => alert(`Reminder: ${priority(notice)} broadcast ${notice.reference} is not acknowledged`, notice));
}
