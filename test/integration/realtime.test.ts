import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/events.js';
import { MAX_SOCKET_PACKET_BYTES } from '../../server/realtime/io.js';
import type { Portal } from '../../server/portal.js';
import { sharedPortal } from '../support/portal.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('realtime foundation', () => {
  let portal: Portal;
  const sockets: ClientSocket[] = [];
  const open = (options: Parameters<typeof connect>[1] = {}): ClientSocket => {
    const socket: ClientSocket = connect(portal.url, { transports: ['websocket'], reconnection: false, ...options });
    sockets.push(socket);
    return socket;
  };
  const connected = (socket: ClientSocket): Promise<void> =>
    new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });

  /** Sends system:ping and resolves with the server's typed acknowledgement. */
  const ping = (socket: ClientSocket, payload: { clientTime: number }): Promise<Ack<{ clientTime: number; serverTime: number }>> =>
    new Promise((resolve, reject) => {
      socket.timeout(2000).emit('system:ping', payload, (error: Error | null, answer) => (error ? reject(error) : resolve(answer)));
    });

  before(async () => {
    portal = await sharedPortal();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  it('answers system:ping with the server time through a typed acknowledgement', async () => {
    const socket = open({ extraHeaders: { origin: `http://localhost:${portal.port}` } });
    await connected(socket);
    const answer = await ping(socket, { clientTime: 42 });
    expect(answer.data?.clientTime).to.equal(42);
    expect(answer.data?.serverTime).to.be.closeTo(Date.now(), 5000);
  });

  it('answers a malformed ping with a bad-request error, not a crash', async () => {
    const socket = open();
    await connected(socket);
    const answer = await ping(socket, { clientTime: 'soon' } as unknown as { clientTime: number });
    expect(answer.error?.code).to.equal('bad-request');
  });

  it('refuses a connection from a foreign origin', async () => {
    const socket = open({ extraHeaders: { origin: 'https://evil.example' }, transports: ['polling'] });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).to.match(/origin|xhr poll error|websocket error/i);
    expect(socket.connected).to.equal(false);
  });

  it('drops only the client that sends an oversized packet and keeps serving the others', async () => {
    const bystander = open();
    const abuser = open();
    await Promise.all([connected(bystander), connected(abuser)]);
    const dropped = new Promise<string>((resolve) => abuser.once('disconnect', resolve));
    abuser.emit('system:ping', { clientTime: 1, padding: 'x'.repeat(MAX_SOCKET_PACKET_BYTES + 10) } as never, () => {});
    expect(await dropped).to.be.a('string');
    const answer = await ping(bystander, { clientTime: 7 });
    expect(answer.data?.clientTime).to.equal(7);
  });
});
