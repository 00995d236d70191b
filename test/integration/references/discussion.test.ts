import { expect } from 'chai';
import type { WireMessage } from '../../../server/modules/connect/connect.events.js';
import type { Portal } from '../../../server/portal.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { connectUser, type ConnectUser } from '../../support/connect-client.js';
import { freshGroupKey, referenceDeskOf, type ReferenceDeskOfficer } from '../../support/crypto-officer.js';
import { agencyWith, cbiOfficers, theCbi } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';
import { eventually } from '../../support/server-process.js';

type Desk = ReferenceDeskOfficer;

/**
 * A reference's discussion: a Connect channel of the desks that may read the reference, which
 * the desks it reaches later join; sealed with the channel's group key like any conversation.
 */
describe('INTERPOL references: the discussion between the desks holding one', function () {
  this.timeout(120_000);
  let portal: Portal;
  let uo: Desk;
  let ilo: Desk;
  let cbi: Desk;
  let otherIlo: Desk;
  let unitGroup: string;

  const desk = referenceDeskOf;
  const discussionOf = (who: Desk, referenceId: string) => who.crypto.client.request<{ id: string; error?: { code: string } }>('POST', `/api/references/${referenceId}/discussion`, { json: {} });
  const channelsOf = async (who: Desk): Promise<{ id: string; kind: string; name: string; link?: string }[]> =>
    (await who.crypto.client.request<{ channels: { id: string; kind: string; name: string; link?: string }[] }>('GET', '/api/channels')).body.channels;
  const texts = async (user: ConnectUser, channel: string): Promise<string[]> =>
    Promise.all(user.received.filter((message: WireMessage) => message.channel === channel).map((message) => user.open(message)));

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
    const ours = await agencyWith(portal, { ilos: ['Discussion ILO'], units: [{ officers: ['Discussion UO'] }] }, { withKey: true });
    const theirs = await agencyWith(portal, { ilos: ['Outside ILO'], units: [] }, { withKey: true });
    const [deskOfficer] = await cbiOfficers(portal, [{ role: 'ncb-officer', name: 'Discussion Desk' }], { withKey: true });
    uo = await desk(ours.officer('Discussion UO'));
    ilo = await desk(ours.officer('Discussion ILO'));
    cbi = await desk(deskOfficer!);
    otherIlo = await desk(theirs.officer('Outside ILO'));
    unitGroup = `unit:${String(ours.units[0]!._id)}`;
    await uo.crypto.keyring.keys(unitGroup, { refresh: true });
    await ilo.crypto.keyring.keys(`agency-ilos:${String(ours.agency._id)}`, { refresh: true });
    await freshGroupKey(cbi.crypto, 'ncb-desk');
  });

  it('joins the unit and its ILO, takes in the CBI when the reference reaches it, and keeps another agency out', async () => {
    const { id } = await uo.references.draft(
      unitGroup,
      {
        countries: [{ country: 'Sri Lanka', ncb: 'NCB Colombo' }],
        assistance: 'locate-person',
        case: { fir: '77/2026', policeStation: 'Kothrud', sections: '363 IPC', registeredOn: '2026-11-02' },
        crimeArea: 'organised-crime',
        priority: 'routine',
        handling: { code: 'H1' },
        grading: { source: 'B', information: '2' },
      },
      'Locate a missing minor believed taken to Colombo.',
    );
    await uo.references.handOn(id, 'submit');
    const [uoSocket, iloSocket, cbiSocket] = await Promise.all([connectUser(uo.crypto), connectUser(ilo.crypto), connectUser(cbi.crypto)]);
    try {
      const opened = await discussionOf(uo, id);
      expect(opened.status, JSON.stringify(opened.body)).to.equal(200);
      const channel = opened.body.id;
      expect((await discussionOf(ilo, id)).body.id, 'one discussion per reference').to.equal(channel);
      const listed = (await channelsOf(ilo)).find((entry) => entry.id === channel);
      expect(listed).to.include({ kind: 'discussion', name: 'FIR 77/2026 · Locate a person', link: `/references/${id}` });
      expect(await eventually(() => iloSocket.events.some((event) => event.name === 'channel:added'), 5_000), 'the ILO’s open page follows it').to.equal(true);
      expect((await channelsOf(cbi)).some((entry) => entry.id === channel), 'not the CBI’s before the reference reaches it').to.equal(false);

      expect((await uoSocket.send(channel, 'The girl’s mother has a cousin in Negombo.')).error).to.equal(undefined);
      await iloSocket.waitFor(1);
      expect(await texts(iloSocket, channel)).to.deep.equal(['The girl’s mother has a cousin in Negombo.']);

      // Another agency's ILO: refused the discussion, and cannot write to it.
      const since = await lastAuditSeq();
      expect((await discussionOf(otherIlo, id)).status).to.equal(403);
      expect((await channelsOf(otherIlo)).some((entry) => entry.id === channel)).to.equal(false);
      const outsider = await connectUser(otherIlo.crypto);
      try {
        const refused = await outsider.call('message:send', { channel, clientId: 'outside-1', epoch: 1, body: 'AAAA', keyPackets: 'AAAA' });
        expect(refused.error?.code).to.be.oneOf(['forbidden', 'not-found']);
      } finally {
        outsider.socket.disconnect();
      }
      expect((await auditSince(since, { outcome: 'denied' })).some((record) => record.target?.id === id), 'the refusal audited').to.equal(true);

      // Forwarded to the CBI: the desk joins, is told, and reads the discussion once a member shares the key.
      await ilo.references.handOn(id, 'forward');
      expect(await eventually(() => cbiSocket.events.some((event) => event.name === 'channel:added' && (event.payload as { channel: string }).channel === channel), 5_000)).to.equal(true);
      expect((await channelsOf(cbi)).some((entry) => entry.id === channel)).to.equal(true);
      await ilo.crypto.keyring.keys(`channel:${channel}`, { refresh: true });
      expect((await cbiSocket.send(channel, 'NCB Colombo asks for a recent photograph.')).error).to.equal(undefined);
      await uoSocket.waitFor(2);
      expect(await texts(uoSocket, channel)).to.deep.equal(['The girl’s mother has a cousin in Negombo.', 'NCB Colombo asks for a recent photograph.']);
    } finally {
      for (const user of [uoSocket, iloSocket, cbiSocket]) user.socket.disconnect();
    }
  });
});
