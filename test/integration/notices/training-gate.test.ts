import { expect } from 'chai';
import { advanceClockForTests, now } from '../../../server/clock.js';
import type { NoticeEnvelope } from '../../../server/crypto/notice-client.js';
import type { Portal } from '../../../server/portal.js';
import { DEFAULT_TERMS } from '../../../server/shared/notices/terms.js';
import { type ApiCallError, freshGroupKey, noticeDeskOf, uploadFile } from '../../support/crypto-officer.js';
import { agencyWith, cbiOfficers, makeOfficer, tag, theCbi, type Officer } from '../../support/fixtures.js';
import { contentOf } from '../../support/notice-content.js';
import { sharedPortal } from '../../support/portal.js';

const JPEG = new Uint8Array(Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(300, 1)]));
const red: NoticeEnvelope = { kind: 'red', type: 'notice', content: contentOf('red'), files: [{ name: 'photo.jpg', type: 'image/jpeg' }] };

/**
 * Only officers certified in the course the CBI requires may submit notice requests; the others
 * are told why, and which session to enrol in. The requirement is the CBI head's to switch on.
 */
describe('INTERPOL notices: the training a submitter must hold', function () {
  this.timeout(180_000);
  let portal: Portal;
  let admin: Officer;
  let uoOfficer: Officer;
  let trainer: Officer;
  const course = `NOTICES-${tag()}`;

  const settings = async (json: Record<string, unknown>) => {
    const client = await admin.signIn();
    return client.request<{ requiredCourse: string; revision: number; error?: { code: string } }>('POST', '/api/notices/settings', { json: { terms: DEFAULT_TERMS, validityMonths: 24, ...json } });
  };

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
    const ours = await agencyWith(portal, { ilos: ['Gate ILO'], units: [{ officers: ['Gate UO'] }] }, { withKey: true });
    const [head] = await cbiOfficers(portal, [{ role: 'ncb-admin', name: 'Gate Head' }], { withKey: true });
    admin = head!;
    const [deskOfficer] = await cbiOfficers(portal, [{ role: 'ncb-officer', name: 'Gate Desk' }], { withKey: true });
    await freshGroupKey((await noticeDeskOf(deskOfficer!)).crypto, 'ncb-desk');
    uoOfficer = ours.officer('Gate UO');
    // The ILOs' key, which a submission opens the request for.
    await (await noticeDeskOf(ours.officer('Gate ILO'))).crypto.keyring.keys(`agency-ilos:${String(ours.agency._id)}`, { refresh: true });
    trainer = await makeOfficer(portal, 'trainer', await theCbi());
  });

  after(async () => {
    await settings({ requiredCourse: '' });
  });

  it('is the CBI head’s to set: others cannot', async () => {
    const uo = await uoOfficer.signIn();
    expect((await uo.request('POST', '/api/notices/settings', { json: { terms: [], requiredCourse: '' } })).status).to.equal(403);
    const answer = await settings({ requiredCourse: course });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body.requiredCourse).to.equal(course);
  });

  it('refuses a submission without the certificate, naming the next session; accepts it once the officer attended', async () => {
    const start = new Date(now().getTime() + 86_400_000);
    const trainerClient = await trainer.signIn();
    const scheduled = await trainerClient.request<{ id: string }>('POST', '/api/training/sessions', {
      json: { title: `Notice requests ${course}`, course, mode: 'in-person', venue: 'CBI Academy, Ghaziabad', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3 * 3_600_000).toISOString(), capacity: 20 },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).to.equal(201);
    const sessionId = scheduled.body.id;

    let uo = await noticeDeskOf(uoOfficer);
    const unitGroup = `unit:${uoOfficer.account.unit ? String(uoOfficer.account.unit) : ''}`;
    const photo = await uploadFile(uo.crypto, unitGroup, 'photo.jpg', JPEG, 'image/jpeg');
    const { id } = await uo.notices.draft(unitGroup, { crimeArea: 'economic-fraud', priority: 'routine' }, red, [photo]);
    const refused = await uo.notices.submit(id).then(
      () => undefined,
      (error: unknown) => error as ApiCallError,
    );
    expect([refused?.status, refused?.code]).to.deep.equal([403, 'training-required']);
    const shown = await uo.crypto.client.request<{ training: { valid: boolean; next?: { id: string } } }>('GET', '/api/notices/settings');
    expect(shown.body.training).to.deep.include({ valid: false });
    expect(shown.body.training.next?.id, 'the next session to enrol in').to.equal(sessionId);
    expect((await uo.crypto.client.request('GET', `/api/notices/${id}`)).body).to.include({ status: 'draft' });

    // Enrolled, attended, certified: the same request goes.
    expect((await uo.crypto.client.request('POST', `/api/training/sessions/${sessionId}/enrolments`, { json: {} })).status).to.equal(201);
    advanceClockForTests(2 * 86_400_000);
    const marked = await (await trainer.signIn()).request('POST', `/api/training/sessions/${sessionId}/attendance`, { json: { accountId: String(uoOfficer.account._id), attended: true } });
    expect(marked.status, JSON.stringify(marked.body)).to.equal(200);
    uo = await noticeDeskOf(uoOfficer);
    const held = await uo.crypto.client.request<{ training: { valid: boolean } }>('GET', '/api/notices/settings');
    expect(held.body.training.valid).to.equal(true);
    await uo.notices.submit(id);
    expect((await uo.crypto.client.request('GET', `/api/notices/${id}`)).body).to.include({ status: 'at-ilo' });
  });
});
