import { expect } from 'chai';
import { channelMembers, findChannel } from '../../../server/modules/connect/channel-members.js';
import { Message } from '../../../server/modules/connect/channel.model.js';
import type { ThreadSummary, WireMessage } from '../../../server/modules/connect/connect.events.js';
import type { Portal } from '../../../server/portal.js';
import { newClientId } from '../../../server/shared/client-id.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { connectUser, presenceIn, type ConnectUser } from '../../support/connect-client.js';
import { withCrypto } from '../../support/crypto-officer.js';
import { agencyWith, theCbi } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';
import { eventually } from '../../support/server-process.js';

interface ChannelView {
  id: string;
  kind: string;
  name: string;
  unread: number;
  lastSeq: number;
}

describe('Connect: real-time encrypted channels', function () {
  this.timeout(60_000);
  let portal: Portal;
  let ilo: ConnectUser;
  let uoA: ConnectUser;
  let uoB: ConnectUser;
  let outsider: ConnectUser;
  let unitsChannel: string;
  let outsiderChannel: string;
  const users: ConnectUser[] = [];

  const channelsOf = async (user: ConnectUser): Promise<ChannelView[]> =>
    (await user.officer.client.request<{ channels: ChannelView[] }>('GET', '/api/channels')).body.channels;

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
  });
  beforeEach(async () => {
    const ours = await agencyWith(portal, { ilos: ['ILO'], units: [{ officers: ['UO A'] }, { officers: ['UO B'] }] }, { withKey: true });
    const other = await agencyWith(portal, { units: [{ officers: ['Outsider'] }] }, { withKey: true });
    const connected = async (name: string, fixture = ours): Promise<ConnectUser> => connectUser(await withCrypto(fixture.officer(name)));
    ilo = await connected('ILO');
    uoA = await connected('UO A');
    uoB = await connected('UO B');
    outsider = await connected('Outsider', other);
    users.push(ilo, uoA, uoB, outsider);
    unitsChannel = (await channelsOf(ilo)).find((channel) => channel.kind === 'agency-units')?.id ?? '';
    outsiderChannel = (await channelsOf(outsider)).find((channel) => channel.kind === 'agency-units')?.id ?? '';
    // Sockets opened before the channels were provisioned: reconnect so that they join the rooms.
    for (const user of users) await user.reconnect();
  });
  afterEach(() => {
    for (const user of users.splice(0)) user.socket.disconnect();
  });

  it('provisions the hierarchy’s channels: an ILO has the CBI and units channels, a unit officer only the units one', async () => {
    expect((await channelsOf(ilo)).map((channel) => channel.kind).sort()).to.deep.equal(['agency-units', 'cbi-agency']);

    expect(await channelMembers(await findChannel(unitsChannel))).to.have.members(
      [ilo, uoA, uoB].map((user) => String(user.officer.officer.account._id)),
    );
    expect((await channelsOf(uoA)).map((channel) => channel.kind)).to.deep.equal(['agency-units']);
    expect((await channelsOf(outsider)).map((channel) => channel.id)).not.to.include(unitsChannel);
  });

  it('delivers in order to every member and to no one else, decrypted and verified', async () => {
    const texts = Array.from({ length: 20 }, (_, index) => `Lookout notice update ${index + 1}`);
    for (const text of texts) expect((await ilo.send(unitsChannel, text)).data?.seq).to.be.a('number');
    await uoA.waitFor(20);
    await uoB.waitFor(20);
    for (const user of [uoA, uoB]) {
      const seqs = user.received.map((message) => message.seq);
      expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).to.equal(20);
      expect(await user.open(user.received[19] as WireMessage)).to.equal('Lookout notice update 20');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(outsider.received).to.deep.equal([]);
  });

  it("refuses and audits a unit officer posting to, reading or syncing another agency's channel", async () => {
    const since = await lastAuditSeq();
    const keys = await outsider.officer.keyring.keys(`channel:${outsiderChannel}`);
    const post = await outsider.call<unknown>('message:send', {
      channel: unitsChannel,
      clientId: newClientId(),
      epoch: keys.current.epoch,
      body: 'AQID',
      keyPackets: 'AQID',
    });
    expect(post.error?.code).to.equal('forbidden');
    expect((await outsider.call<unknown>('channel:sync', { channel: unitsChannel, afterSeq: 0 })).error?.code).to.equal('forbidden');
    expect((await outsider.officer.client.request('GET', `/api/channels/${unitsChannel}/messages`)).status).to.equal(403);
    expect((await outsider.officer.client.request('GET', `/api/groups/channel:${unitsChannel}`)).status).to.equal(403);
    const denials = await auditSince(since, { action: 'access.denied', 'actor.username': outsider.officer.officer.username });
    expect(denials.length).to.be.at.least(4);
  });

  it('stores a message sent three times with the same client id once, and acknowledges each', async () => {
    const id = newClientId();
    const first = await uoA.send(unitsChannel, 'Vehicle MH-12-AB-1234 intercepted', { clientId: id });
    const second = await uoA.send(unitsChannel, 'Vehicle MH-12-AB-1234 intercepted', { clientId: id });
    const third = await uoA.send(unitsChannel, 'Vehicle MH-12-AB-1234 intercepted', { clientId: id });
    expect([first.data?.duplicate, second.data?.duplicate, third.data?.duplicate]).to.deep.equal([false, true, true]);
    expect(new Set([first.data?.seq, second.data?.seq, third.data?.seq]).size).to.equal(1);
    expect(await Message.countDocuments({ clientId: id })).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(uoB.received.filter((message) => message.clientId === id)).to.have.length(1);
  });

  it('keeps a client id apart per sender and channel: the same id from another officer or in another channel is a message of its own', async () => {
    const id = newClientId();
    const cbiChannel = (await channelsOf(ilo)).find((channel) => channel.kind === 'cbi-agency')?.id ?? '';
    const answers = [
      await ilo.send(unitsChannel, 'Lookout circulated', { clientId: id }),
      await uoA.send(unitsChannel, 'Lookout received', { clientId: id }),
      await ilo.send(cbiChannel, 'Lookout circulated to units', { clientId: id }),
      await ilo.send(unitsChannel, 'Lookout circulated', { clientId: id }),
    ];
    expect(answers.map((answer) => answer.data?.duplicate)).to.deep.equal([false, false, false, true]);
    expect(answers[3]?.data?.id).to.equal(answers[0]?.data?.id);
    expect(await Message.countDocuments({ clientId: id })).to.equal(3);
  });

  it('resyncs after a forced disconnect, delivering every missed message exactly once', async () => {
    await ilo.send(unitsChannel, 'before');
    await uoA.waitFor(1);
    const lastSeen = uoA.received[0]?.seq ?? 0;
    uoA.socket.disconnect();
    // More than Socket.IO's parser takes as binary frames in one packet: ciphertext is base64 text.
    const missed = Array.from({ length: 30 }, (_, index) => `missed ${index}`);
    for (const text of missed) await ilo.send(unitsChannel, text);
    await uoA.reconnect();
    const sync = await uoA.call<{ messages: WireMessage[]; hasMore: boolean }>('channel:sync', { channel: unitsChannel, afterSeq: lastSeen });
    const texts = await Promise.all((sync.data?.messages ?? []).map((message) => uoA.open(message)));
    expect(texts).to.deep.equal(missed);
    expect(sync.data?.hasMore).to.equal(false);
    const page = await uoA.call<{ messages: WireMessage[] }>('message:history', { channel: unitsChannel });
    expect(page.data?.messages.slice(0, 30).map((message) => message.seq)).to.deep.equal(sync.data?.messages.map((message) => message.seq).reverse());
    expect(uoA.socket.connected).to.equal(true);
  });

  it('sends delivery and read receipts and typing indicators to the channel, not typing back to the typist', async () => {
    const sent = await ilo.send(unitsChannel, 'Please confirm receipt');
    const seq = sent.data?.seq ?? 0;
    await uoA.waitFor(1);
    await uoA.call('receipt:delivered', { channel: unitsChannel, seq });
    const read = await uoA.call<{ deliveredSeq: number; readSeq: number }>('receipt:read', { channel: unitsChannel, seq });
    expect(read.data).to.deep.equal({ deliveredSeq: seq, readSeq: seq });
    uoA.socket.emit('typing:set', { channel: unitsChannel, typing: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const receipts = ilo.events.filter((event) => event.name === 'receipt:update').map((event) => event.payload as { account: string; readSeq: number });
    expect(receipts.some((receipt) => receipt.account === String(uoA.officer.officer.account._id) && receipt.readSeq === seq)).to.equal(true);
    expect(ilo.events.some((event) => event.name === 'typing:update' && (event.payload as { typing: boolean }).typing)).to.equal(true);
    expect(uoA.events.some((event) => event.name === 'typing:update')).to.equal(false);
    expect(outsider.events.some((event) => event.name === 'typing:update' || event.name === 'receipt:update')).to.equal(false);
    const stateRead = await uoA.call<{ deliveredSeq: number; readSeq: number }>('receipt:read', { channel: unitsChannel, seq: 1 });
    expect(stateRead.data?.readSeq, 'receipts never move back').to.equal(seq);
  });

  it('tells a connecting officer in one event which colleagues are online or away, and each change after', async () => {
    const idOf = (user: ConnectUser): string => String(user.officer.officer.account._id);
    const iloId = idOf(ilo);
    await uoB.call('presence:set', { state: 'away' });
    uoA.events.length = 0;
    await uoA.reconnect();
    expect(await eventually(() => uoA.events.some((event) => event.name === 'presence:snapshot'), 5000)).to.equal(true);
    // One snapshot, and no update but of the officer's own coming online.
    expect(uoA.events.filter((event) => event.name === 'presence:snapshot')).to.have.length(1);
    const updated = uoA.events.filter((event) => event.name === 'presence:update').map((event) => (event.payload as { account: string }).account);
    expect(updated.every((account) => account === idOf(uoA))).to.equal(true);
    const snapshot = uoA.events.find((event) => event.name === 'presence:snapshot')?.payload as { presence: { account: string }[] };
    expect(snapshot.presence.map((entry) => entry.account)).not.to.include(idOf(uoA));
    expect([ilo, uoB, outsider].map((user) => presenceIn(uoA.events, idOf(user)))).to.deep.equal(['online', 'away', 'offline']);
    ilo.socket.disconnect();
    expect(await eventually(() => presenceIn(uoA.events, iloId) === 'offline', 5000)).to.equal(true);
  });

  it('counts unread messages per channel and per thread, and pages history by sequence', async () => {
    const root = (await ilo.send(unitsChannel, 'Thread: suspect travel plans')).data?.seq ?? 0;
    for (let index = 0; index < 3; index += 1) await ilo.send(unitsChannel, `main ${index}`);
    for (let index = 0; index < 2; index += 1) await ilo.send(unitsChannel, `reply ${index}`, { threadRoot: root });
    const view = (await channelsOf(uoA)).find((channel) => channel.id === unitsChannel);
    expect(view?.unread, 'thread replies are counted in their thread').to.equal(4);
    const thread = await uoA.call<{ messages: WireMessage[] }>('message:history', { channel: unitsChannel, threadRoot: root });
    expect(await Promise.all((thread.data?.messages ?? []).map((message) => uoA.open(message)))).to.deep.equal(['reply 1', 'reply 0']);
    const lastReply = thread.data?.messages[0]?.seq ?? 0;
    const threadsOf = async (user: typeof uoA) => (await user.call<ThreadSummary[]>('channel:threads', { channel: unitsChannel })).data?.find((summary) => summary.root === root);
    expect(await threadsOf(uoA)).to.deep.equal({ root, replies: 2, lastSeq: lastReply, unread: 2 });
    expect((await threadsOf(ilo))?.unread, "one's own replies are not unread").to.equal(0);
    await uoA.call('receipt:read', { channel: unitsChannel, seq: lastReply, threadRoot: root });
    expect((await threadsOf(uoA))?.unread).to.equal(0);
    expect((await outsider.call<unknown>('channel:threads', { channel: unitsChannel })).error?.code).to.equal('forbidden');
    const page = await uoA.call<{ messages: WireMessage[]; hasMore: boolean }>('message:history', { channel: unitsChannel, limit: 2 });
    expect(page.data?.messages.map((message) => message.seq)).to.have.length(2);
    expect(page.data?.hasMore).to.equal(true);
    const older = await uoA.call<{ messages: WireMessage[]; hasMore: boolean }>('message:history', {
      channel: unitsChannel,
      limit: 2,
      beforeSeq: page.data?.messages[1]?.seq,
    });
    expect(older.data?.messages.every((message) => message.seq < (page.data?.messages[1]?.seq ?? 0))).to.equal(true);
    const lastSeq = Math.max(...(page.data?.messages.map((message) => message.seq) ?? [0]));
    await uoA.call('receipt:read', { channel: unitsChannel, seq: lastSeq });
    expect((await channelsOf(uoA)).find((channel) => channel.id === unitsChannel)?.unread).to.equal(0);
  });

  it('refuses an oversized or malformed message with a clear error and keeps the connection', async () => {
    const keys = await uoA.officer.keyring.keys(`channel:${unitsChannel}`);
    const huge = await uoA.call<unknown>('message:send', {
      channel: unitsChannel,
      clientId: newClientId(),
      epoch: keys.current.epoch,
      body: Buffer.alloc(70 * 1024).toString('base64'),
      keyPackets: 'AAAAAAAAAAAAAA==',
    });
    expect(huge.error?.code).to.equal('bad-request');
    const binary = await uoA.call<unknown>('message:send', {
      channel: unitsChannel,
      clientId: newClientId(),
      epoch: keys.current.epoch,
      body: new Uint8Array(10),
      keyPackets: new Uint8Array(10),
    });
    expect(binary.error?.code, 'ciphertext travels as base64 text').to.equal('bad-request');
    const clear = await uoA.call<unknown>('message:send', {
      channel: unitsChannel,
      clientId: newClientId(),
      epoch: keys.current.epoch,
      body: Buffer.from('plain text').toString('base64'),
      keyPackets: 'AAAAAAAAAAAAAA==',
    });
    expect(clear.error?.code).to.equal('bad-request');
    expect((await uoA.call<unknown>('message:send', { channel: { $ne: null } })).error?.code).to.equal('bad-request');
    expect(uoA.socket.connected).to.equal(true);
    expect((await uoA.send(unitsChannel, 'still here')).data?.seq).to.be.a('number');
  });

  it('opens a direct conversation between an ILO and a unit officer of the agency, and refuses other pairs', async () => {
    const direct = await ilo.officer.client.request<{ id: string }>('POST', '/api/channels/direct', {
      json: { accountId: String(uoA.officer.officer.account._id) },
    });
    expect(direct.status).to.equal(200);
    const refused = await uoA.officer.client.request('POST', '/api/channels/direct', { json: { accountId: String(uoB.officer.officer.account._id) } });
    expect(refused.status).to.equal(403);
    const crossAgency = await ilo.officer.client.request('POST', '/api/channels/direct', { json: { accountId: String(outsider.officer.officer.account._id) } });
    expect(crossAgency.status).to.equal(403);
    await ilo.reconnect();
    await uoA.reconnect();
    // Listed for its two members only.
    for (const [user, listed] of [[ilo, true], [uoA, true], [uoB, false]] as const) {
      expect((await channelsOf(user)).some((channel) => channel.id === direct.body.id)).to.equal(listed);
    }
    await ilo.send(direct.body.id, 'Call me on the secure line');
    await uoA.waitFor(1);
    expect(await uoA.open(uoA.received[0] as WireMessage)).to.equal('Call me on the secure line');
  });

  it('creates a channel asked for by many at once exactly once, answering each of them', async () => {
    // As two processes starting together provision the same channels: the upserts race, and the
    // unique key refuses all but one insert.
    const asks = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        (index % 2 ? uoA : ilo).officer.client.request<{ id: string }>('POST', '/api/channels/direct', {
          json: { accountId: String((index % 2 ? ilo : uoA).officer.officer.account._id) },
        }),
      ),
    );
    expect(asks.map((ask) => ask.status)).to.deep.equal([200, 200, 200, 200, 200, 200]);
    expect(new Set(asks.map((ask) => ask.body.id)).size).to.equal(1);
  });
});
