import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../server/realtime/events.js';

/** The typed browser socket, same contract as the server. */
export type PortalSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Opens the portal's socket and keeps `badge` telling the officer whether the live connection is
 * up, with its measured round-trip time.
 */
export function watchConnection(badge: HTMLElement): PortalSocket {
  const socket: PortalSocket = io({ transports: ['websocket', 'polling'] });
  const show = (state: 'live' | 'offline' | 'connecting', text: string): void => {
    badge.hidden = false;
    badge.dataset['state'] = state;
    badge.textContent = text;
  };
  show('connecting', 'Connecting…');
  socket.on('connect', () => {
    const sentAt = performance.now();
    socket.emit('system:ping', { clientTime: Date.now() }, (answer) => {
      if (answer.error) return show('offline', 'Connection error');
      show('live', `Live · ${Math.round(performance.now() - sentAt)} ms`);
    });
  });
  socket.on('disconnect', (reason) => {
    // The server closes the socket when the session ends (signed out elsewhere, locked, expired).
    if (reason === 'io server disconnect') {
      show('offline', 'Session ended');
      window.location.assign('/sign-in?reason=missing');
      return;
    }
    show('offline', 'Offline · reconnecting');
  });
  socket.on('connect_error', () => show('offline', 'Offline · reconnecting'));
  socket.on('system:shutdown', () => show('connecting', 'Server restarting…'));
  socket.on('system:degraded', ({ message }) => show('connecting', `${message} Messages wait until it is back.`));
  socket.on('system:restored', () => show('live', 'Live'));
  return socket;
}
