import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import { advanceClockForTests, now } from '../../../server/clock.js';
import type { AgencyDocument } from '../../../server/modules/organisation/organisation.model.js';
import type { Portal } from '../../../server/portal.js';
import type { TrainingNotice } from '../../../server/modules/training/training.events.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import type { PortalClient } from '../../support/client.js';
import { agencyWith, cbiOfficers, makeAgency, makeOfficer, makeUnit, tag, theCbi, type Officer } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';

interface SessionView {
  id: string;
  title: string;
  seatsTaken: number;
  seatsLeft: number;
  waitingCount: number;
  onlineUrl?: string;
  mine?: { status: string; position?: number; attended: boolean };
  enrolments?: { accountId: string; status: string }[];
}

const hours = (count: number): Date => new Date(now().getTime() + count * 3_600_000);

describe('Resources: training sessions', function () {
  this.timeout(60_000);
  let portal: Portal;
  let otherAgency: AgencyDocument;
  let trainerOfficer: Officer;
  let trainer: PortalClient;
  let ilo: PortalClient;
  let uos: Officer[];

  const schedule = async (overrides: Record<string, unknown> = {}): Promise<SessionView> => {
    const answer = await trainer.request<SessionView>('POST', '/api/training/sessions', {
      json: {
        title: `Red Notice drafting workshop ${tag()}`,
        description: 'Drafting a Red Notice request that meets INTERPOL’s rules.',
        mode: 'online',
        onlineUrl: 'https://meet.example.gov.in/red-notice',
        startsAt: hours(48).toISOString(),
        endsAt: hours(51).toISOString(),
        capacity: 2,
        ...overrides,
      },
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    return answer.body;
  };
  const view = async (client: PortalClient, id: string): Promise<SessionView> => (await client.request<SessionView>('GET', `/api/training/sessions/${id}`)).body;
  const enrol = (client: PortalClient, id: string, accountId?: string) =>
    client.request<{ status: string; position?: number; error?: { code: string } }>('POST', `/api/training/sessions/${id}/enrolments`, { json: accountId ? { accountId } : {} });

  before(async () => {
    portal = await sharedPortal();
    [trainerOfficer] = (await cbiOfficers(portal, [{ role: 'trainer' }])) as [Officer];
    const ours = await agencyWith(portal, { ilos: ['ILO'], units: ['UO 1', 'UO 2', 'UO 3', 'UO 4', 'UO 5'].map((name) => ({ officers: [name] })) });
    otherAgency = await makeAgency();
    trainer = await trainerOfficer.signIn();
    ilo = await ours.officer('ILO').signIn();
    uos = ours.uos;
  });

  it('enrols up to capacity and then on a waiting list, even when officers enrol at the same moment', async () => {
    const session = await schedule();
    const clients = await Promise.all(uos.map((officer) => officer.signIn()));
    const answers = await Promise.all(clients.map((client) => enrol(client, session.id)));
    expect(answers.map((answer) => answer.status)).to.deep.equal([201, 201, 201, 201, 201]);
    expect(answers.filter((answer) => answer.body.status === 'enrolled')).to.have.length(2);
    expect(answers.map((answer) => answer.body.position).filter(Boolean).sort()).to.deep.equal([1, 2, 3]);

    const after = await view(trainer, session.id);
    expect(after).to.include({ seatsTaken: 2, seatsLeft: 0, waitingCount: 3 });
    // Enrolling twice is refused; the meeting link is for seat holders only.
    const seated = clients[answers.findIndex((answer) => answer.body.status === 'enrolled')]!;
    expect((await enrol(seated, session.id)).body.error?.code).to.equal('already-enrolled');
    expect((await view(seated, session.id)).onlineUrl).to.equal('https://meet.example.gov.in/red-notice');
    const firstWaiting = clients[answers.findIndex((answer) => answer.body.position === 1)]!;
    expect((await view(firstWaiting, session.id)).onlineUrl).to.equal(undefined);

    // A seat freed goes to the first on the waiting list.
    const withdrawn = await seated.request<{ promoted?: string }>('POST', `/api/training/sessions/${session.id}/withdrawals`, { json: {} });
    expect(withdrawn.status).to.equal(200);
    expect((await view(firstWaiting, session.id)).mine).to.deep.equal({ status: 'enrolled', attended: false });
    const secondWaiting = clients[answers.findIndex((answer) => answer.body.position === 2)]!;
    expect((await view(secondWaiting, session.id)).mine).to.deep.equal({ status: 'waiting', position: 1, attended: false });
  });

  it('lets an ILO enrol its own units’ officers, and nobody else’s', async () => {
    const session = await schedule({ capacity: 10 });
    const answer = await enrol(ilo, session.id, String(uos[0]!.account._id));
    expect(answer.status).to.equal(201);
    expect((await view(ilo, session.id)).enrolments?.map((entry) => entry.accountId)).to.deep.equal([String(uos[0]!.account._id)]);

    const foreignUo = await makeOfficer(portal, 'uo', otherAgency, await makeUnit(otherAgency));
    const since = await lastAuditSeq();
    expect((await enrol(ilo, session.id, String(foreignUo.account._id))).status).to.equal(403);
    const uo = await uos[1]!.signIn();
    expect((await enrol(uo, session.id, String(uos[2]!.account._id))).status).to.equal(403);
    expect(await auditSince(since, { action: 'access.denied' })).to.have.length(2);
  });

  it('keeps a session from officers outside its audience', async () => {
    const session = await schedule({ audience: { roles: ['ilo'], agencies: [] } });
    const uo = await uos[3]!.signIn();
    expect((await uo.request('GET', `/api/training/sessions/${session.id}`)).status).to.equal(403);
    const listed = await uo.request<{ sessions: SessionView[] }>('GET', '/api/training/sessions');
    expect(listed.body.sessions.map((entry) => entry.id)).not.to.include(session.id);
    // An ILO cannot put a unit officer into a session meant for ILOs.
    expect((await enrol(ilo, session.id, String(uos[3]!.account._id))).body.error?.code).to.equal('not-in-audience');
  });

  it('issues a certificate only to officers marked present, once the session has begun', async () => {
    const session = await schedule({ capacity: 5, mode: 'in-person', venue: 'CBI Academy, Ghaziabad', onlineUrl: '' });
    await enrol(await uos[0]!.signIn(), session.id);
    await enrol(await uos[1]!.signIn(), session.id);
    const mark = (accountId: string, attended: boolean) =>
      trainer.request<{ error?: { code: string } }>('POST', `/api/training/sessions/${session.id}/attendance`, { json: { accountId, attended } });
    expect((await mark(String(uos[0]!.account._id), true)).body.error?.code).to.equal('session-not-started');

    // Two days on, the session has begun; everyone signs in again.
    advanceClockForTests(49 * 3_600_000);
    const owner = await trainerOfficer.signIn();
    const attendee = await uos[0]!.signIn();
    const absentee = await uos[1]!.signIn();
    const otherTrainer = await (await makeOfficer(portal, 'trainer', await theCbi())).signIn();
    const markAs = (client: PortalClient, accountId: string) =>
      client.request('POST', `/api/training/sessions/${session.id}/attendance`, { json: { accountId, attended: true } });
    // Only the session's own trainer marks attendance.
    expect((await markAs(otherTrainer, String(uos[0]!.account._id))).status).to.equal(403);
    const since = await lastAuditSeq();
    expect((await markAs(owner, String(uos[0]!.account._id))).status).to.equal(200);
    expect(await auditSince(since, { action: 'training.attendance-marked' })).to.have.length(1);

    const certificate = await attendee.request('GET', `/training/sessions/${session.id}/certificate.pdf`);
    expect(certificate.status).to.equal(200);
    expect(certificate.headers.get('content-type')).to.equal('application/pdf');
    const pdf = await PDFDocument.load(certificate.bytes);
    expect(pdf.getPageCount()).to.equal(1);
    expect(pdf.getTitle()).to.equal(`Certificate of completion: ${session.title}`);

    expect((await absentee.request('GET', `/training/sessions/${session.id}/certificate.pdf`)).status).to.equal(403);
    // The trainer can fetch an attendee's certificate, not an absentee's.
    expect((await owner.request('GET', `/training/sessions/${session.id}/certificate.pdf?accountId=${String(uos[0]!.account._id)}`)).status).to.equal(200);
    expect((await owner.request('GET', `/training/sessions/${session.id}/certificate.pdf?accountId=${String(uos[1]!.account._id)}`)).status).to.equal(403);
  });

  it('offers each session as a calendar file', async () => {
    const startsAt = hours(72);
    startsAt.setUTCMinutes(30, 0, 0);
    const session = await schedule({ startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString() });
    const uo = await uos[4]!.signIn();
    const answer = await uo.request('GET', `/training/sessions/${session.id}/calendar.ics`);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('content-type')).to.equal('text/calendar; charset=utf-8');
    const text = String(answer.body);
    const stamp = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(text).to.contain('BEGIN:VCALENDAR').and.contain('BEGIN:VEVENT');
    expect(text).to.contain(`DTSTART:${stamp(startsAt)}`);
    expect(text).to.contain(`UID:${session.id}@bharatpol-hub`);
    expect(text.replace(/\r\n /g, '')).to.contain(`SUMMARY:${session.title}`);
  });

  it('tells the audience of a new session in real time', async () => {
    const socket = await ilo.socket();
    try {
      const heard = new Promise<TrainingNotice>((resolve) => socket.on('training:scheduled', resolve));
      const session = await schedule();
      expect((await heard).id).to.equal(session.id);
    } finally {
      socket.disconnect();
    }
  });
});
