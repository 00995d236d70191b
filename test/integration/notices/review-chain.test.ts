import { expect } from 'chai';
import { type NoticeClient, type NoticeEnvelope } from '../../../server/crypto/notice-client.js';
import type { NoticeKind, RequestType } from '../../../server/shared/notices/kinds.js';
import type { Queue } from '../../../server/workflow/queues/queue-keys.js';
import type { Portal } from '../../../server/portal.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import { ApiCallError, freshGroupKey, noticeDeskOf, uploadFile, type NoticeDeskOfficer } from '../../support/crypto-officer.js';
import { agencyWith, cbiOfficers, theCbi } from '../../support/fixtures.js';
import { contentOf } from '../../support/notice-content.js';
import { sharedPortal } from '../../support/portal.js';
import { expectQueueAgrees } from '../../support/request-queues.js';

type Desk = NoticeDeskOfficer;
interface View {
  status: string;
  holderDesk: string;
  steps: { decision: string; comment: string; acknowledgement: string; signed: { statement: string; signature: string; fingerprint: string } }[];
  check?: { warnings: { code: string; field: string }[]; digest: string };
  gs: { reference?: string; noticeNumber?: string; expiresOn?: string };
  circulatedTo: string[];
  clocks: Record<string, number>;
  bodyDigest: string;
}

const JPEG = new Uint8Array(Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(600, 7)]));
const envelopeOf = (kind: NoticeKind, type: RequestType, content: unknown, photographs = 1): NoticeEnvelope => ({
  kind,
  type,
  content,
  files: Array.from({ length: photographs }, (_, index) => ({ name: `photo-${index + 1}.jpg`, type: 'image/jpeg' })),
});
const failure = async (promise: Promise<unknown>): Promise<{ status: number; code: string }> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiCallError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('expected the call to be refused');
};

/**
 * Notice requests moving UO -> ILO -> CBI -> General Secretariat and back, with real officers,
 * their keys and the portal's API: each step signed, the pre-submission check's result bound
 * to the sealed content, and nobody outside the chain able to see a request.
 */
describe('INTERPOL notices: requests through the review chain', function () {
  this.timeout(180_000);
  let portal: Portal;
  let uo: Desk;
  let ilo: Desk;
  let cbi: Desk;
  let otherIlo: Desk;
  let otherUo: Desk;
  let unitGroup: string;
  let agencyId: string;

  const view = (who: Desk, id: string) => who.crypto.client.request<View & { error?: { code: string } }>('GET', `/api/notices/${id}`);
  const decide = (who: Desk, id: string, decision: Parameters<NoticeClient['decide']>[1]) => who.notices.decide(id, decision);

  /** A UO's Red request with a photograph, as drafted. */
  async function redDraft(content = contentOf('red')): Promise<string> {
    const photo = await uploadFile(uo.crypto, unitGroup, 'photo.jpg', JPEG, 'image/jpeg');
    const { id } = await uo.notices.draft(unitGroup, { crimeArea: 'economic-fraud', priority: 'urgent' }, envelopeOf('red', 'notice', content), [photo]);
    return id;
  }

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
    const ours = await agencyWith(portal, { ilos: ['Notice ILO'], units: [{ officers: ['Notice UO'] }] }, { withKey: true });
    const theirs = await agencyWith(portal, { ilos: ['Other ILO'], units: [{ officers: ['Other UO'] }] }, { withKey: true });
    const [deskOfficer] = await cbiOfficers(portal, [{ role: 'ncb-officer', name: 'Notice Desk' }], { withKey: true });
    uo = await noticeDeskOf(ours.officer('Notice UO'));
    ilo = await noticeDeskOf(ours.officer('Notice ILO'));
    cbi = await noticeDeskOf(deskOfficer!);
    otherIlo = await noticeDeskOf(theirs.officer('Other ILO'));
    otherUo = await noticeDeskOf(theirs.officer('Other UO'));
    agencyId = String(ours.agency._id);
    unitGroup = `unit:${String(ours.units[0]!._id)}`;
    await uo.crypto.keyring.keys(unitGroup, { refresh: true });
    await ilo.crypto.keyring.keys(`agency-ilos:${agencyId}`, { refresh: true });
    await otherIlo.crypto.keyring.keys(`agency-ilos:${String(theirs.agency._id)}`, { refresh: true });
    await freshGroupKey(cbi.crypto, 'ncb-desk');
  });

  it('takes a Red request from the unit to publication, through a return for a missing warrant date, and on to its withdrawal', async () => {
    const since = await lastAuditSeq();
    const content = contentOf('red');
    // The warrant's validity left out; the facts mention a protest (an Article 3 warning).
    content['facts'] = `${String(content['facts'])} He was last seen at a protest in Jaipur.`;
    const id = await redDraft(content);
    expect((await view(ilo, id)).status, 'a unit’s draft is not the ILO’s yet').to.equal(403);

    await uo.notices.submit(id);
    let seen = (await view(ilo, id)).body;
    expect(seen).to.include({ status: 'at-ilo', holderDesk: 'ilo' });
    expect(seen.check?.warnings.map((warning) => [warning.code, warning.field])).to.deep.equal([['article-3', 'facts']]);
    expect(seen.check?.digest).to.equal(seen.bodyDigest);

    // The ILO opens it, runs the check again on the decrypted request, and returns it.
    const reviewed = await ilo.notices.openAndCheck(id);
    expect(reviewed.result.errors).to.deep.equal([]);
    expect(reviewed.result.warnings.map((warning) => warning.code)).to.deep.equal(['article-3']);
    expect(reviewed.digest).to.equal(seen.bodyDigest);
    await decide(ilo, id, { decision: 'return', comment: 'Give the date until which the warrant is valid.' });
    expect((await view(uo, id)).body).to.include({ status: 'draft', holderDesk: 'unit' });

    // Corrected at the unit: a new sealed content, submitted again.
    const corrected = structuredClone(content);
    (corrected['warrant'] as Record<string, unknown>)['expiresOn'] = '2031-01-19';
    const photo = await uploadFile(uo.crypto, unitGroup, 'photo.jpg', JPEG, 'image/jpeg');
    await uo.notices.update(id, unitGroup, { crimeArea: 'economic-fraud', priority: 'urgent' }, envelopeOf('red', 'notice', corrected), [photo]);
    await uo.notices.submit(id, 'Warrant validity added.');

    // The ILO forwards it: the warning must be acknowledged in writing.
    expect(await failure(decide(ilo, id, { decision: 'forward' }))).to.deep.equal({ status: 400, code: 'bad-request' });
    await decide(ilo, id, { decision: 'forward', acknowledgement: 'Attended a public protest only; the offence is ordinary fraud.' });
    const atCbi = await cbi.notices.openAndCheck(id);
    expect((atCbi.envelope.content as { warrant: { expiresOn: string } }).warrant.expiresOn).to.equal('2031-01-19');
    await decide(cbi, id, { decision: 'send-to-gs', reference: 'NCB-ND/RN/2026/118', acknowledgement: 'Protest is incidental to the facts; no Article 3 concern.' });
    expect((await view(cbi, id)).body).to.include({ status: 'at-gs', holderDesk: 'gs' });
    expect(await failure(decide(cbi, id, { decision: 'publish', noticeNumber: '1234/2026' }))).to.deep.equal({ status: 400, code: 'bad-request' });
    await decide(cbi, id, { decision: 'publish', noticeNumber: 'A-1234/12-2026' });
    await decide(cbi, id, { decision: 'withdraw', comment: 'Subject arrested in Bangkok and extradited.' });

    seen = (await view(uo, id)).body;
    expect(seen.status).to.equal('withdrawn');
    expect(seen.gs).to.include({ reference: 'NCB-ND/RN/2026/118', noticeNumber: 'A-1234/12-2026' });
    expect(seen.steps.map((step) => step.decision)).to.deep.equal(['submitted', 'returned', 'submitted', 'forwarded', 'sent-to-gs', 'published', 'withdrawn']);
    expect(seen.steps[3]!.acknowledgement).to.contain('public protest');
    expect(Object.keys(seen.clocks).sort()).to.deep.equal(['cbi', 'gs', 'ilo', 'unit']);
    // Every step verifies with its officer's key; the submissions carry the check beside the content's digest.
    for (const step of seen.steps) expect((await uo.notices.verifySigned(step.signed)).signerFingerprint, step.decision).to.equal(step.signed.fingerprint);
    expect(seen.steps[2]!.signed.statement).to.contain(`Sealed content: ${seen.bodyDigest}\n`).and.contain('Warning: article-3 facts');
    const actions = (await auditSince(since, { 'target.id': id })).map((record) => record.action);
    expect(actions).to.include.members(['notice.drafted', 'notice.submitted', 'notice.returned', 'notice.edited', 'notice.forwarded', 'notice.sent-to-gs', 'notice.published', 'notice.withdrawn']);
  });

  it('records what the General Secretariat asks, back at the unit, and a refusal', async () => {
    const id = await redDraft();
    await uo.notices.submit(id);
    await decide(ilo, id, { decision: 'forward' });
    await decide(cbi, id, { decision: 'send-to-gs', reference: 'NCB-ND/RN/2026/119' });
    await decide(cbi, id, { decision: 'ask', comment: 'Give the subject’s passport number as issued.' });
    const asked = (await view(uo, id)).body;
    expect(asked).to.include({ status: 'information-requested', holderDesk: 'unit' });
    expect(asked.gs).to.have.property('question', 'Give the subject’s passport number as issued.');
    await uo.notices.submit(id, 'Passport number given.');
    await decide(ilo, id, { decision: 'forward' });
    await decide(cbi, id, { decision: 'send-to-gs', reference: 'NCB-ND/RN/2026/119-A' });
    await decide(cbi, id, { decision: 'refuse', comment: 'Insufficient link between the subject and the offence.' });
    expect((await view(cbi, id)).body.status).to.equal('refused');
    expect(await failure(decide(cbi, id, { decision: 'withdraw', comment: 'Too late.' }))).to.deep.equal({ status: 403, code: 'forbidden' });
  });

  it('takes an ILO’s Yellow diffusion to the CBI, which circulates it to the countries chosen', async () => {
    const group = `agency-ilos:${agencyId}`;
    const photo = await uploadFile(ilo.crypto, group, 'girl.jpg', JPEG, 'image/jpeg');
    const { id } = await ilo.notices.draft(group, { crimeArea: 'migrant-trafficking', priority: 'immediate', countries: ['Nepal', 'Bangladesh'] }, envelopeOf('yellow', 'diffusion', contentOf('yellow')), [
      photo,
    ]);
    await ilo.notices.submit(id);
    expect((await view(cbi, id)).body).to.include({ status: 'at-cbi', holderDesk: 'cbi' });
    expect(await failure(decide(cbi, id, { decision: 'send-to-gs', reference: 'NCB-ND/YD/2026/4' }))).to.deep.equal({ status: 409, code: 'wrong-type' });
    await decide(cbi, id, { decision: 'circulate', countries: ['Nepal', 'Bangladesh', 'Bhutan'] });
    const seen = (await view(ilo, id)).body;
    expect(seen).to.include({ status: 'circulated', holderDesk: 'none' });
    expect(seen.circulatedTo).to.deep.equal(['Nepal', 'Bangladesh', 'Bhutan']);
    expect(seen.steps.at(-1)!.signed.statement).to.contain('Circulated to: Nepal, Bangladesh, Bhutan\n');
  });

  it('keeps another agency’s officers out of a request on every path', async () => {
    const id = await redDraft();
    await uo.notices.submit(id);
    const paths: [string, string, unknown?][] = [
      ['GET', `/api/notices/${id}`],
      ['GET', `/api/notices/${id}/targets`],
      ['POST', `/api/notices/${id}/statement`, { decision: 'forward', signedAt: new Date().toISOString() }],
      ['POST', `/api/notices/${id}/decisions`, { decision: 'return', comment: 'Not yours', signedAt: new Date().toISOString(), signature: `-----BEGIN PGP SIGNATURE-----${'A'.repeat(60)}` }],
      ['POST', `/api/notices/${id}/draft`, {}],
    ];
    const seen = (await ilo.crypto.client.request<View & { body: string; attachments: string[] }>('GET', `/api/notices/${id}`)).body;
    for (const outsider of [otherIlo, otherUo]) {
      for (const [method, path, json] of paths) {
        const answer = await outsider.crypto.client.request(method, path, json === undefined ? {} : { json });
        expect(answer.status, `${outsider.crypto.officer.username} ${method} ${path}`).to.be.oneOf([400, 403]);
        if (method === 'GET') expect(answer.status).to.equal(403);
      }
      expect((await outsider.crypto.client.request('GET', `/api/items/${seen.body}`)).status, 'the sealed particulars').to.equal(403);
      expect((await outsider.crypto.client.request('GET', `/api/files/${seen.attachments[0]!}`)).status, 'the photograph').to.equal(403);
      for (const queue of ['desk', 'unit', 'agency', 'national']) {
        const listed = await outsider.crypto.client.request<{ items?: { id: string }[] }>('GET', `/api/notices?queue=${queue}&limit=100`);
        // Their own queues answer without it; the others' are refused.
        expect(listed.status, queue).to.be.oneOf([200, 403]);
        expect((listed.body.items ?? []).map((item) => item.id)).to.not.include(id);
      }
    }
    expect(seen.status).to.equal('at-ilo');
    // Nor is a unit’s request the CBI’s before its ILO forwards it.
    expect((await view(cbi, id)).status).to.equal(403);
    const national = await cbi.crypto.client.request<{ items: { id: string }[] }>('GET', '/api/notices?queue=national&limit=100');
    expect(national.body.items.map((item) => item.id)).to.not.include(id);
    const desk = await ilo.crypto.client.request<{ items: { id: string; label: string }[] }>('GET', '/api/notices?queue=desk&limit=100');
    expect(desk.body.items.map((item) => item.id)).to.include(id);
  });

  /** The UO's submission as a browser that did not run its check would send it: opened for the ILOs, signed over `check`. */
  async function signedSubmission(id: string, check: unknown, sent: unknown = check, signer: Desk = uo) {
    const path = `/api/notices/${id}`;
    const signedAt = new Date().toISOString();
    const targets = (await uo.crypto.client.request<{ targets: { group: string; epoch: number; publicKey: string }[] }>('GET', `${path}/targets`)).body.targets;
    const parts = (await view(uo, id)).body as unknown as { body: string; attachments: string[] };
    const opening = (await uo.notices.openFor(parts, [{ id: targets[0]!.group, label: 'ILOs', epoch: targets[0]!.epoch, publicKey: targets[0]!.publicKey }]))[targets[0]!.group];
    const statement = (await uo.crypto.client.request<{ statement: string }>('POST', `${path}/statement`, { json: { decision: 'submit', check, signedAt } })).body.statement;
    const signature = await signer.notices.sign(statement, new Date(signedAt));
    return uo.crypto.client.request<{ error?: { code: string; message: string } }>('POST', `${path}/decisions`, { json: { decision: 'submit', opening, signedAt, signature, ...(sent === undefined ? {} : { check: sent }) } });
  }

  it('refuses a submission whose signed check is missing, does not verify, or used an old term list', async () => {
    const id = await redDraft();
    // No check at all.
    let answer = await signedSubmission(id, undefined);
    expect([answer.status, answer.body.error?.code]).to.deep.equal([400, 'check-missing']);

    // A check signed with its warnings, sent without them (the result travelling is not the one signed).
    const { revision } = await uo.notices.settings();
    const warned = { termsRevision: revision, warnings: [{ code: 'article-3', field: 'facts', message: '“protest” (Article 3).' }] };
    answer = await signedSubmission(id, warned, { ...warned, warnings: [] });
    expect([answer.status, answer.body.error?.code]).to.deep.equal([400, 'bad-signature']);

    // Signed by another officer's key.
    answer = await signedSubmission(id, warned, warned, ilo);
    expect([answer.status, answer.body.error?.code]).to.deep.equal([400, 'bad-signature']);

    // Run on a term list the CBI has since changed.
    answer = await signedSubmission(id, warned, { ...warned, termsRevision: revision + 1 });
    expect([answer.status, answer.body.error?.code]).to.deep.equal([409, 'terms-changed']);

    // The same check, as signed: accepted.
    answer = await signedSubmission(id, warned);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect((await view(ilo, id)).body.check?.warnings.map((warning) => warning.code)).to.deep.equal(['article-3']);
  });

  it('blocks in the browser a request the check finds incomplete, and on the server one without a photograph', async () => {
    const content = contentOf('red');
    (content['offence'] as Record<string, unknown>)['maxPenaltyMonths'] = 12;
    const id = await redDraft(content);
    const error = await uo.notices.submit(id).then(
      () => undefined,
      (failed: unknown) => failed as Error,
    );
    expect(error?.name).to.equal('CheckFailedError');
    expect(error?.message).to.contain('two years');
    expect((await view(uo, id)).body.status).to.equal('draft');

    // A browser that skips its check still meets the server's: no photograph, no Red request.
    const { id: bare } = await uo.notices.draft(unitGroup, { crimeArea: 'economic-fraud', priority: 'routine' }, envelopeOf('red', 'notice', contentOf('red'), 1), []);
    const answer = await signedSubmission(bare, { warnings: [], termsRevision: (await uo.notices.settings()).revision });
    expect([answer.status, answer.body.error?.message]).to.deep.equal([400, 'Attach a photograph: this kind cannot go without one.']);
    expect((await view(uo, bare)).body.status).to.equal('draft');
  });

  it('lists the same requests in every queue and filter from the queue log as the query MongoDB would answer', async () => {
    const queues: [Desk, Queue[]][] = [
      [uo, ['desk', 'unit']],
      [ilo, ['desk', 'agency']],
      [cbi, ['desk', 'national']],
      [otherIlo, ['desk', 'agency']],
    ];
    for (const [who, theirs] of queues) {
      for (const queue of theirs) {
        for (const filters of [{}, { kind: 'red' }, { type: 'diffusion' }, { status: 'draft' }, { status: 'withdrawn' }, { crimeArea: 'economic-fraud', from: '2026-01-01' }] as Record<string, string>[]) {
          await expectQueueAgrees(who.crypto.officer, who.crypto.client, queue, filters, 'notices');
        }
      }
    }
    const national = await expectQueueAgrees(cbi.crypto.officer, cbi.crypto.client, 'national', {}, 'notices');
    expect(national.length, 'the requests that reached the CBI').to.be.at.least(3);
    // What waits at a desk, counted from its list: the ILO's review queue.
    const waiting = await ilo.crypto.client.request<{ items: { href: string; count: number }[] }>('GET', '/api/me/waiting');
    const atDesk = await expectQueueAgrees(ilo.crypto.officer, ilo.crypto.client, 'desk', {}, 'notices');
    expect(waiting.body.items.find((item) => item.href === '/notices')?.count ?? 0).to.equal(atDesk.length);
  });
});

