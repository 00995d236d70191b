import { expect } from 'chai';
import { io as connect } from 'socket.io-client';
import type { Ack } from '../../server/realtime/events.js';
import { MAX_SOCKET_PACKET_BYTES } from '../../server/realtime/io.js';
import type { Portal } from '../../server/portal.js';
import type { ClientSocket, PortalClient } from '../support/client.js';
import { makeAgency, makeOfficer, makeUnit, theCbi } from '../support/fixtures.js';
import { sharedPortal } from '../support/portal.js';

/** Sends system:ping and resolves with the server's typed acknowledgement. */
const ping = (socket: ClientSocket, payload: { clientTime: number }): Promise<Ack<{ clientTime: number; serverTime: number }>> =>
  new Promise((resolve, reject) => {
    socket.timeout(2000).emit('system:ping', payload, (error: Error | null, answer) => (error ? reject(error) : resolve(answer)));
  });

describe('realtime foundation', () => {
  let portal: Portal;
  let officer: PortalClient;
  const sockets: ClientSocket[] = [];
  const track = (socket: ClientSocket): ClientSocket => {
    sockets.push(socket);
    return socket;
  };

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
    const agency = await makeAgency();
    officer = await (await makeOfficer(portal, 'uo', agency, await makeUnit(agency))).signIn();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  it('answers system:ping with the server time through a typed acknowledgement', async () => {
    const socket = track(await officer.socket());
    const answer = await ping(socket, { clientTime: 42 });
    expect(answer.data?.clientTime).to.equal(42);
    expect(answer.data?.serverTime).to.be.closeTo(Date.now(), 5000);
  });

  it('answers a malformed ping with a bad-request error, not a crash', async () => {
    const socket = track(await officer.socket());
    const answer = await ping(socket, { clientTime: 'soon' } as unknown as { clientTime: number });
    expect(answer.error?.code).to.equal('bad-request');
  });

  it('refuses a socket without a session', async () => {
    const socket = connect(portal.url, { transports: ['websocket'], reconnection: false });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).to.equal('unauthenticated');
  });

  it('refuses a socket with a forged session cookie', async () => {
    const socket = connect(portal.url, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: '__Host-bp_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).to.equal('unauthenticated');
  });

  it('refuses a connection from a foreign origin, even with a valid session', async () => {
    const socket = connect(portal.url, {
      transports: ['polling'],
      reconnection: false,
      extraHeaders: { origin: 'https://evil.example', ...(officer.cookie ? { cookie: officer.cookie } : {}) },
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).to.match(/xhr poll error|origin/i);
  });

  it('drops only the client that sends an oversized packet and keeps serving the others', async () => {
    const bystander = track(await officer.socket());
    const abuser = track(await officer.socket());
    const dropped = new Promise<string>((resolve) => abuser.once('disconnect', resolve));
    abuser.emit('system:ping', { clientTime: 1, padding: 'x'.repeat(MAX_SOCKET_PACKET_BYTES + 10) } as never, () => {});
    expect(await dropped).to.be.a('string');
    const answer = await ping(bystander, { clientTime: 7 });
    expect(answer.data?.clientTime).to.equal(7);
  });
});
