import { expect } from 'chai';
import { advanceClockForTests } from '../../../server/clock.js';
import type { Portal } from '../../../server/portal.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { connectUser } from '../../support/connect-client.js';
import { freshGroupKey, noticeDeskOf, uploadFile, type NoticeDeskOfficer } from '../../support/crypto-officer.js';
import { agencyWith, cbiOfficers, theCbi, type Officer } from '../../support/fixtures.js';
import { contentOf } from '../../support/notice-content.js';
import { sharedPortal } from '../../support/portal.js';
import { eventually } from '../../support/server-process.js';

const HOUR = 3_600_000;
const JPEG = new Uint8Array(Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(200, 3)]));

/** The per-minute clock of notice requests: reminders to the desk holding one, deadlines, escalation one level up. */
describe('INTERPOL notices: reminders, deadlines and escalation', function () {
  this.timeout(180_000);
  let portal: Portal;
  let officers: { uo: Officer; ilo: Officer; cbi: Officer };
  let uo: NoticeDeskOfficer;
  let ilo: NoticeDeskOfficer;
  let unitGroup: string;

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
    const ours = await agencyWith(portal, { ilos: ['Sweep ILO'], units: [{ officers: ['Sweep UO'] }] }, { withKey: true });
    const [deskOfficer] = await cbiOfficers(portal, [{ role: 'ncb-officer', name: 'Sweep Desk' }], { withKey: true });
    officers = { uo: ours.officer('Sweep UO'), ilo: ours.officer('Sweep ILO'), cbi: deskOfficer! };
    uo = await noticeDeskOf(officers.uo);
    ilo = await noticeDeskOf(officers.ilo);
    await ilo.crypto.keyring.keys(`agency-ilos:${String(ours.agency._id)}`, { refresh: true });
    await freshGroupKey((await noticeDeskOf(officers.cbi)).crypto, 'ncb-desk');
    unitGroup = `unit:${String(ours.units[0]!._id)}`;
  });

  it('reminds the ILO holding an immediate request, marks it overdue past its deadline, and escalates it to the CBI after the grace', async () => {
    const photo = await uploadFile(uo.crypto, unitGroup, 'photo.jpg', JPEG, 'image/jpeg');
    const { id } = await uo.notices.draft(unitGroup, { crimeArea: 'narcotics', priority: 'immediate' }, { kind: 'red', type: 'notice', content: contentOf('red'), files: [{ name: 'photo.jpg', type: 'image/jpeg' }] }, [photo]);
    await uo.notices.submit(id);
    let iloSocket = await connectUser((await noticeDeskOf(officers.ilo)).crypto);
    let deskSocket = await connectUser((await noticeDeskOf(officers.cbi)).crypto);
    /** Moves the clock on: sessions idle out meanwhile (and their sockets are closed), so the officers connect again. */
    const later = async (ms: number): Promise<void> => {
      advanceClockForTests(ms);
      for (const user of [iloSocket, deskSocket]) user.socket.disconnect();
      [iloSocket, deskSocket] = await Promise.all([connectUser((await noticeDeskOf(officers.ilo)).crypto), connectUser((await noticeDeskOf(officers.cbi)).crypto)]);
    };
    const alerts = (user: typeof iloSocket): { id: string; kind: string }[] =>
      user.events.filter((event) => event.name === 'notice:alert').map((event) => event.payload as { id: string; kind: string }).filter((alert) => alert.id === id);
    try {
      const since = await lastAuditSeq();
      await later(16 * 60_000);
      expect((await portal.services.notices.sweep()).reminded).to.be.at.least(1);
      expect(await eventually(() => alerts(iloSocket).some((alert) => alert.kind === 'reminder'), 5_000), 'the ILO holding it is reminded').to.equal(true);
      await later(8 * HOUR);
      await portal.services.notices.sweep();
      expect(await eventually(() => alerts(iloSocket).some((alert) => alert.kind === 'overdue'), 5_000), 'overdue past its 8-hour deadline').to.equal(true);
      expect(alerts(deskSocket).some((alert) => alert.kind === 'escalated'), 'not before the grace').to.equal(false);
      const waiting = await (await noticeDeskOf(officers.ilo)).crypto.client.request<{ items: { href: string; urgent: boolean }[] }>('GET', '/api/me/waiting');
      expect(waiting.body.items.find((item) => item.href === '/notices'), 'the ILO’s count says it is late').to.include({ urgent: true });
      await later(25 * HOUR);
      await portal.services.notices.sweep();
      expect(await eventually(() => alerts(deskSocket).some((alert) => alert.kind === 'escalated'), 5_000), 'escalated to the CBI above the ILO').to.equal(true);
      await portal.services.notices.sweep();
      expect(alerts(deskSocket).filter((alert) => alert.kind === 'escalated'), 'once per desk').to.have.length(1);
      const actions = (await auditSince(since)).filter((record) => record.target?.id === id).map((record) => record.action);
      expect(actions).to.include.members(['notice.reminded', 'notice.overdue', 'notice.escalated']);
    } finally {
      iloSocket.socket.disconnect();
      deskSocket.socket.disconnect();
    }
  });
});
