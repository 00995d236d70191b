import { expect } from 'chai';
import { advanceClockForTests, resetClockForTests } from '../../../server/clock.js';
import { Message } from '../../../server/modules/connect/channel.model.js';
import { MESSAGE_CHANGE_WINDOW_MS, type DirectCandidate, type WireMessage, type WireRevision } from '../../../server/modules/connect/connect.events.js';
import type { Portal } from '../../../server/portal.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { connectUser, type ConnectUser } from '../../support/connect-client.js';
import { withCrypto } from '../../support/crypto-officer.js';
import { agencyWith, cbiOfficers, theCbi } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';
import { eventually } from '../../support/server-process.js';

describe('Connect as a messenger: edits, deletions, mentions, direct conversations', function () {
  this.timeout(60_000);
  let portal: Portal;
  let ilo: ConnectUser;
  let uoA: ConnectUser;
  let uoB: ConnectUser;
  let unitsChannel: string;
  const users: ConnectUser[] = [];
  const idOf = (user: ConnectUser): string => String(user.officer.officer.account._id);
  const eventsNamed = <T>(user: ConnectUser, name: string): T[] => user.events.filter((event) => event.name === name).map((event) => event.payload as T);

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
  });
  beforeEach(async () => {
    const ours = await agencyWith(portal, { ilos: ['ILO'], units: [{ officers: ['UO A'] }, { officers: ['UO B'] }] }, { withKey: true });
    for (const name of ['ILO', 'UO A', 'UO B']) users.push(await connectUser(await withCrypto(ours.officer(name))));
    [ilo, uoA, uoB] = users as [ConnectUser, ConnectUser, ConnectUser];
    const channels = (await ilo.officer.client.request<{ channels: { id: string; kind: string }[] }>('GET', '/api/channels')).body.channels;
    unitsChannel = channels.find((channel) => channel.kind === 'agency-units')!.id;
    for (const user of users) await user.reconnect();
  });
  afterEach(() => {
    resetClockForTests();
    for (const user of users.splice(0)) user.socket.disconnect();
  });

  it('replaces the text of one’s own message, keeps the earlier version sealed, and tells the channel', async () => {
    const sent = await uoA.send(unitsChannel, 'Vehicle MH-12 seen at 14:10');
    const since = await lastAuditSeq();
    const edited = await uoA.call<WireMessage>('message:edit', { channel: unitsChannel, id: sent.data!.id, ...(await uoA.seal(unitsChannel, 'Vehicle MH-14 seen at 14:10')) });
    expect(edited.error).to.equal(undefined);
    expect(edited.data).to.include({ seq: sent.data!.seq, edits: 1 });
    expect(edited.data!.editedAt).to.be.a('string');
    expect(await eventually(() => eventsNamed<WireMessage>(ilo, 'message:changed').length === 1, 5_000)).to.equal(true);
    const changed = eventsNamed<WireMessage>(ilo, 'message:changed')[0]!;
    expect(await ilo.open(changed)).to.equal('Vehicle MH-14 seen at 14:10');
    // History gives the message as it is now; the earlier version is there for members to open.
    const page = await ilo.call<{ messages: WireMessage[] }>('message:history', { channel: unitsChannel });
    expect(await ilo.open(page.data!.messages[0]!)).to.equal('Vehicle MH-14 seen at 14:10');
    const revisions = await ilo.call<WireRevision[]>('message:revisions', { channel: unitsChannel, id: sent.data!.id });
    expect(revisions.data).to.have.length(1);
    expect(await ilo.open({ ...changed, ...revisions.data![0]! })).to.equal('Vehicle MH-12 seen at 14:10');
    const stored = await Message.findById(sent.data!.id).lean();
    expect(Buffer.from(stored!.revisions![0]!.body.buffer).toString('latin1')).not.to.include('MH-12');
    expect((await auditSince(since)).map((event) => event.action)).to.include('connect.message-edited');
  });

  it('refuses changes to another officer’s message, after the window, and from outside the channel', async () => {
    const sent = await uoA.send(unitsChannel, 'Original report');
    const byOther = await ilo.call('message:edit', { channel: unitsChannel, id: sent.data!.id, ...(await ilo.seal(unitsChannel, 'Forged')) });
    expect(byOther.error?.code).to.equal('forbidden');
    const deleteByOther = await uoB.call('message:delete', { channel: unitsChannel, id: sent.data!.id });
    expect(deleteByOther.error?.code).to.equal('forbidden');
    const wrongChannel = await uoA.call('message:delete', { channel: '0123456789abcdef01234567', id: sent.data!.id });
    expect(wrongChannel.error?.code).to.equal('channel-not-found');
    advanceClockForTests(MESSAGE_CHANGE_WINDOW_MS + 1_000);
    const late = await uoA.call('message:edit', { channel: unitsChannel, id: sent.data!.id, ...(await uoA.seal(unitsChannel, 'Too late')) });
    expect(late.error?.code).to.equal('change-window-closed');
    const page = await uoB.call<{ messages: WireMessage[] }>('message:history', { channel: unitsChannel });
    expect(await uoB.open(page.data!.messages[0]!)).to.equal('Original report');
  });

  it('deletes one’s own message for everyone: its ciphertext and earlier versions are gone, the fact stays', async () => {
    const sent = await uoA.send(unitsChannel, 'Wrong channel, sorry');
    await uoA.call('message:edit', { channel: unitsChannel, id: sent.data!.id, ...(await uoA.seal(unitsChannel, 'Wrong channel!')) });
    const since = await lastAuditSeq();
    const deleted = await uoA.call<WireMessage>('message:delete', { channel: unitsChannel, id: sent.data!.id });
    expect(deleted.data).to.include({ deleted: true, body: '', keyPackets: '' });
    expect(await eventually(() => eventsNamed<WireMessage>(uoB, 'message:changed').some((message) => message.deleted === true), 5_000)).to.equal(true);
    const stored = await Message.findById(sent.data!.id).lean();
    expect(stored!.revisions).to.equal(undefined);
    expect(stored!.deletedAt).to.be.instanceOf(Date);
    const again = await uoA.call('message:edit', { channel: unitsChannel, id: sent.data!.id, ...(await uoA.seal(unitsChannel, 'Back')) });
    expect(again.error?.code).to.equal('message-deleted');
    expect((await auditSince(since)).map((event) => event.action)).to.include('connect.message-deleted');
  });

  it('alerts the members a message mentions, on their sockets only, and refuses mentions of non-members', async () => {
    const sent = await uoA.send(unitsChannel, '@ILO please look at this', { mentions: [idOf(ilo)] });
    expect(sent.error).to.equal(undefined);
    expect(await eventually(() => eventsNamed(ilo, 'mention:new').length === 1, 5_000)).to.equal(true);
    expect(eventsNamed<{ channel: string; seq: number; senderName: string }>(ilo, 'mention:new')[0]).to.include({ channel: unitsChannel, seq: sent.data!.seq, senderName: 'UO A' });
    expect(eventsNamed(uoB, 'mention:new')).to.have.length(0);
    const outsider = (await agencyWith(portal, { units: [{ officers: ['Elsewhere'] }] }, { withKey: true })).officer('Elsewhere');
    const refused = await uoA.send(unitsChannel, '@Elsewhere', { mentions: [String(outsider.account._id)] });
    expect(refused.error?.code).to.equal('bad-mention');
    // The channel list counts unread mentions.
    const channels = (await ilo.officer.client.request<{ channels: { id: string; mentioned: number }[] }>('GET', '/api/channels')).body.channels;
    expect(channels.find((channel) => channel.id === unitsChannel)?.mentioned).to.equal(1);
    // An edit that mentions someone new alerts them, and only them.
    const edited = await uoA.call('message:edit', {
      channel: unitsChannel,
      id: sent.data!.id,
      ...(await uoA.seal(unitsChannel, '@ILO and @UO B please look at this')),
      mentions: [idOf(ilo), idOf(uoB)],
    });
    expect(edited.error).to.equal(undefined);
    expect(await eventually(() => eventsNamed(uoB, 'mention:new').length === 1, 5_000)).to.equal(true);
    expect(eventsNamed(ilo, 'mention:new')).to.have.length(1);
  });

  it('offers each officer the colleagues they may write to directly, and brings the other into a new conversation at once', async () => {
    const [desk] = await cbiOfficers(portal, [{ role: 'ncb-officer', name: 'Desk Officer' }], { withKey: true });
    const candidates = async (user: ConnectUser, q = ''): Promise<DirectCandidate[]> =>
      (await user.officer.client.request<{ candidates: DirectCandidate[] }>('GET', `/api/channels/direct/candidates?q=${encodeURIComponent(q)}`)).body.candidates;
    const iloOffers = (await candidates(ilo)).map((candidate) => candidate.displayName);
    expect(iloOffers).to.include.members(['UO A', 'UO B', 'Desk Officer']);
    expect(iloOffers).not.to.include('ILO');
    expect((await candidates(uoA)).map((candidate) => candidate.displayName)).to.deep.equal(['ILO']);
    expect((await candidates(ilo, 'uo b')).map((candidate) => candidate.displayName)).to.deep.equal(['UO B']);
    const deskUser = await connectUser(await withCrypto(desk!));
    users.push(deskUser);
    expect((await candidates(deskUser)).map((candidate) => candidate.displayName)).to.include('ILO').and.not.include('UO A');
    // The ILO's socket, connected before the conversation existed, receives its messages without reconnecting.
    const opened = await uoA.officer.client.request<{ id: string }>('POST', '/api/channels/direct', { json: { accountId: idOf(ilo) } });
    expect(opened.status).to.equal(200);
    expect(await eventually(() => eventsNamed<{ channel: string }>(ilo, 'channel:added').some((added) => added.channel === opened.body.id), 5_000)).to.equal(true);
    await uoA.send(opened.body.id, 'A word in private');
    expect(await eventually(() => ilo.received.some((message) => message.channel === opened.body.id), 5_000)).to.equal(true);
    expect(ilo.received.some((message) => message.channel === opened.body.id && uoB.received.includes(message))).to.equal(false);
  });
});
