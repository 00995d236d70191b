import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { advanceClockForTests } from '../../../server/clock.js';
import { ORPHAN_BLOB_MS, storeStream, sweepOrphanBlobs } from '../../../server/modules/library/blob-store.js';
import { LibraryDownload } from '../../../server/modules/library/library.model.js';
import type { AgencyDocument } from '../../../server/modules/organisation/organisation.model.js';
import type { Portal } from '../../../server/portal.js';
import type { LibraryNotice } from '../../../server/modules/library/library.events.js';
import { auditSince, lastAuditSeq } from '../../support/audit.js';
import type { PortalClient } from '../../support/client.js';
import { agencyWith, cbiOfficers, makeOfficer, makeUnit, tag, type Officer } from '../../support/fixtures.js';
import { multipart, publish, publishVersion, sampleMp4, samplePdf, samplePng } from '../../support/library-files.js';
import { sharedPortal } from '../../support/portal.js';

interface ItemView {
  id: string;
  title: string;
  published: boolean;
  isNew: boolean;
  latest: { number: number; fileName: string; mediaType: string; size: number; sha256: string; downloadUrl: string; viewUrl?: string };
  versions: { number: number; downloadUrl: string; sha256: string }[];
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const chunkCount = (): Promise<number> => mongoose.connection.collection('librarychunks').countDocuments();

describe('Resources: the library', function () {
  this.timeout(60_000);
  let portal: Portal;
  let agencyA: AgencyDocument;
  let trainerOfficer: Officer;
  let trainer: PortalClient;
  let iloA: PortalClient;
  let iloB: PortalClient;
  let uoA: PortalClient;

  const listed = async (client: PortalClient, query = ''): Promise<string[]> =>
    (await client.request<{ items: ItemView[] }>('GET', `/api/library${query}`)).body.items.map((item) => item.title);

  before(async () => {
    portal = await sharedPortal();
    [trainerOfficer] = (await cbiOfficers(portal, [{ role: 'trainer' }])) as [Officer];
    const a = await agencyWith(portal, { ilos: ['ILO A'], units: [{ officers: ['UO A'] }] });
    const b = await agencyWith(portal, { ilos: ['ILO B'] });
    agencyA = a.agency;
    trainer = await trainerOfficer.signIn();
    iloA = await a.officer('ILO A').signIn();
    iloB = await b.officer('ILO B').signIn();
    uoA = await a.officer('UO A').signIn();
  });

  it('publishes a PDF that its audience sees and downloads, and that nobody outside it can reach', async () => {
    const title = `Extradition manual ${tag()}`;
    const pdf = await samplePdf(3, title);
    const published = await publish(trainer, { title, category: 'manuals-sops', audience: { roles: ['ilo'], agencies: [String(agencyA._id)] } }, pdf, 'manual.pdf');
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    const item = published.body as unknown as ItemView;
    expect(item.latest).to.include({ number: 1, mediaType: 'application/pdf', size: pdf.length, sha256: sha256(pdf), fileName: 'manual.pdf' });

    expect(await listed(iloA)).to.include(title);
    expect(await listed(iloB)).not.to.include(title);
    expect(await listed(uoA)).not.to.include(title);

    const download = await iloA.request('GET', item.latest.downloadUrl);
    expect(download.status).to.equal(200);
    expect(download.bytes.equals(pdf)).to.equal(true);
    expect(download.headers.get('content-type')).to.equal('application/pdf');
    expect(download.headers.get('content-disposition')).to.equal('attachment; filename=manual.pdf');
    expect(download.headers.get('x-content-type-options')).to.equal('nosniff');

    const since = await lastAuditSeq();
    for (const outsider of [iloB, uoA]) {
      expect((await outsider.request('GET', item.latest.downloadUrl)).status).to.equal(403);
      expect((await outsider.request('GET', `/api/library/items/${item.id}`)).status).to.equal(403);
    }
    const denials = await auditSince(since, { action: 'access.denied' });
    expect(denials).to.have.length(4);
    expect(denials[0]?.target).to.include({ type: 'library-item', id: item.id });
  });

  it('keeps every version listed and downloadable, and unpublishing hides an item without losing it', async () => {
    const title = `Red Notice request form ${tag()}`;
    const first = await samplePdf(1, 'first');
    const second = await samplePdf(2, 'second');
    const item = (await publish(trainer, { title, category: 'forms-templates' }, first, 'form.pdf')).body as unknown as ItemView;
    const versioned = await publishVersion(trainer, item.id, second, 'form-v2.pdf', 'Updated for 2026');
    expect(versioned.status, JSON.stringify(versioned.body)).to.equal(201);
    const view = versioned.body as unknown as ItemView;
    expect(view.versions.map((version) => version.number)).to.deep.equal([2, 1]);

    const [v2, v1] = view.versions;
    expect((await uoA.request('GET', v1!.downloadUrl)).bytes.equals(first)).to.equal(true);
    expect((await uoA.request('GET', v2!.downloadUrl)).bytes.equals(second)).to.equal(true);

    // Only the publisher (or an administrator) adds versions or unpublishes.
    expect((await publishVersion(iloA, item.id, second, 'x.pdf')).status).to.equal(403);
    expect((await iloA.request('POST', `/api/library/items/${item.id}/status`, { json: { published: false } })).status).to.equal(403);

    const hidden = await trainer.request<ItemView>('POST', `/api/library/items/${item.id}/status`, { json: { published: false } });
    expect(hidden.body.published).to.equal(false);
    expect(await listed(uoA)).not.to.include(title);
    expect((await uoA.request('GET', v1!.downloadUrl)).status).to.equal(403);
    // The trainer still has it, with both versions, and can publish it again.
    expect(await listed(trainer)).to.include(title);
    expect((await trainer.request('GET', v2!.downloadUrl)).bytes.equals(second)).to.equal(true);
    await trainer.request('POST', `/api/library/items/${item.id}/status`, { json: { published: true } });
    expect(await listed(uoA)).to.include(title);
  });

  it('refuses a file whose name says PDF but whose bytes are HTML, and keeps nothing of it', async () => {
    const before = await chunkCount();
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const answer = await publish(trainer, { title: `Circular ${tag()}`, category: 'circulars' }, html, 'circular.pdf', 'application/pdf');
    expect(answer.status).to.equal(415);
    expect((answer.body as { error: { code: string } }).error.code).to.equal('file-type-refused');
    expect(await chunkCount()).to.equal(before);
  });

  it('stores a path-traversal or NUL file name safely and serves it with a fixed Content-Disposition', async () => {
    const png = samplePng();
    const metadata = { name: 'metadata', value: JSON.stringify({ title: `Photo board ${tag()}`, category: 'training-decks' }) };
    // A raw NUL cannot even be part of a multipart header: refused as malformed, nothing stored.
    const before = await chunkCount();
    const raw = multipart([metadata, { name: 'file', value: png, fileName: '../../etc/passwd\u0000.pdf', contentType: 'text/html' }]);
    const refused = await trainer.request<{ error: { code: string } }>('POST', '/api/library/items', { raw: raw.body, contentType: raw.contentType });
    expect(refused.status).to.equal(400);
    expect(refused.body.error.code).to.equal('bad-upload');
    expect(await chunkCount()).to.equal(before);
    // Percent-encoded, it arrives: directories and the NUL are dropped.
    const hostile = multipart([metadata, { name: 'file', value: png, encodedFileName: '../../etc/passwd\u0000.pdf', contentType: 'text/html' }]);
    const answer = await trainer.request<ItemView>('POST', '/api/library/items', { raw: hostile.body, contentType: hostile.contentType });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    // The bytes are a PNG: the stored type says so, and the name gets the extension that matches.
    expect(answer.body.latest.mediaType).to.equal('image/png');
    expect(answer.body.latest.fileName).to.equal('passwd.pdf.png');
    const download = await uoA.request('GET', answer.body.latest.downloadUrl);
    expect(download.headers.get('content-type')).to.equal('image/png');
    expect(download.headers.get('content-disposition')).to.equal('attachment; filename=passwd.pdf.png');

    const quoted = multipart([
      { name: 'metadata', value: JSON.stringify({ title: `Quoted ${tag()}`, category: 'training-decks' }) },
      { name: 'file', value: png, encodedFileName: 'C:\\Users\\x\\a\u0007b\u001f<c>|d.png', contentType: 'image/png' },
    ]);
    const second = await trainer.request<ItemView>('POST', '/api/library/items', { raw: quoted.body, contentType: quoted.contentType });
    expect(second.body.latest.fileName).to.equal('ab_c__d.png');
  });

  it('drops Unicode direction controls from a file name and a title, so each shows as it is stored', async () => {
    // "invoice<RLO>gnp.exe" shows as "invoiceexe.png" while it is stored as an .exe name.
    const spoof = multipart([
      { name: 'metadata', value: JSON.stringify({ title: `Seized \u202eskrow\u202c ledger ${tag()}`, category: 'training-decks' }) },
      { name: 'file', value: samplePng(), encodedFileName: 'invoice\u202egnp.exe\u2066\u200f.png', contentType: 'image/png' },
    ]);
    const answer = await trainer.request<ItemView>('POST', '/api/library/items', { raw: spoof.body, contentType: spoof.contentType });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    expect(answer.body.latest.fileName).to.equal('invoicegnp.exe.png');
    expect(answer.body.title).to.match(/^Seized skrow ledger /);
    const download = await uoA.request('GET', answer.body.latest.downloadUrl);
    expect(download.headers.get('content-disposition')).to.equal('attachment; filename=invoicegnp.exe.png');
  });

  it('answers range requests on a video, across chunk boundaries', async () => {
    const video = sampleMp4(1_300_000);
    const item = (await publish(trainer, { title: `Cyber forensics lecture ${tag()}`, category: 'videos' }, video, 'lecture.mp4', 'video/mp4')).body as unknown as ItemView;
    expect(item.latest.mediaType).to.equal('video/mp4');
    const url = item.latest.viewUrl!;

    const across = await uoA.request('GET', url, { headers: { range: 'bytes=524200-524400' } });
    expect(across.status).to.equal(206);
    expect(across.headers.get('content-range')).to.equal(`bytes 524200-524400/${video.length}`);
    expect(across.bytes.equals(video.subarray(524200, 524401))).to.equal(true);
    expect(across.headers.get('content-disposition')).to.match(/^inline;/);

    const tail = await uoA.request('GET', url, { headers: { range: 'bytes=-100' } });
    expect(tail.status).to.equal(206);
    expect(tail.bytes.equals(video.subarray(video.length - 100))).to.equal(true);

    const whole = await uoA.request('GET', url);
    expect(whole.status).to.equal(200);
    expect(whole.headers.get('accept-ranges')).to.equal('bytes');
    expect(whole.bytes.equals(video)).to.equal(true);

    const beyond = await uoA.request('GET', url, { headers: { range: `bytes=${video.length + 10}-` } });
    expect(beyond.status).to.equal(416);
    expect(beyond.headers.get('content-range')).to.equal(`bytes */${video.length}`);
  });

  it('finds items by words of the title, tags and description, and by word beginnings', async () => {
    const marker = tag().toLowerCase();
    const pdf = await samplePdf(1);
    await publish(trainer, { title: `Mutual legal assistance ${marker}`, description: 'How to draft a letter rogatory to a foreign court.', category: 'legal-frameworks', tags: ['mlat', marker] }, pdf, 'mla.pdf');
    await publish(trainer, { title: `Cryptocurrency tracing ${marker}`, description: 'Blockchain analysis for investigators.', category: 'training-decks', tags: ['cyber', marker], language: 'hi' }, pdf, 'crypto.pdf');

    expect(await listed(uoA, `?q=${encodeURIComponent(`mutual ${marker}`)}`)).to.deep.equal([`Mutual legal assistance ${marker}`]);
    expect(await listed(uoA, `?q=rogatory+${marker}`)).to.deep.equal([`Mutual legal assistance ${marker}`]);
    expect(await listed(uoA, `?q=blockch+${marker}`)).to.deep.equal([`Cryptocurrency tracing ${marker}`]);
    expect(await listed(uoA, `?q=${marker}&tag=mlat`)).to.deep.equal([`Mutual legal assistance ${marker}`]);
    expect(await listed(uoA, `?q=${marker}&language=hi`)).to.deep.equal([`Cryptocurrency tracing ${marker}`]);
    expect((await listed(uoA, `?q=${marker}`)).sort()).to.have.length(2);
    expect(await listed(uoA, `?q=${marker}&category=videos`)).to.deep.equal([]);
    expect(await listed(uoA, `?q=notaword${marker}`)).to.deep.equal([]);
  });

  it('records every download with who, when and which version, and counts them for the reports', async () => {
    const pdf = await samplePdf(1);
    const item = (await publish(trainer, { title: `Interpol notices handbook ${tag()}`, category: 'manuals-sops' }, pdf, 'handbook.pdf')).body as unknown as ItemView;
    await iloA.request('GET', item.latest.downloadUrl);
    await iloA.request('GET', item.latest.downloadUrl, { headers: { range: 'bytes=100-' } }); // a resumed download is not a new one
    await uoA.request('GET', item.latest.downloadUrl);
    const records = await LibraryDownload.find({ item: item.id }).lean();
    expect(records).to.have.length(2);
    expect(records.map((record) => record.version)).to.deep.equal([1, 1]);
    expect(records.every((record) => record.kind === 'download' && record.at instanceof Date)).to.equal(true);

    const report = await trainer.request<{ downloadsPerItem: { label: string; values: number[] }[] }>('GET', '/api/library/reports');
    expect(report.body.downloadsPerItem.find((row) => row.label === item.title)?.values).to.deep.equal([2, 2]);
    expect((await uoA.request('GET', '/api/library/reports')).status).to.equal(403);
  });

  it('refuses a file past the size limit and leaves no chunk behind', async () => {
    const before = await chunkCount();
    const answer = await publish(trainer, { title: `Too long ${tag()}`, category: 'videos' }, sampleMp4(9 * 1024 * 1024), 'long.mp4', 'video/mp4');
    expect(answer.status).to.equal(413);
    expect(await chunkCount()).to.equal(before);
  });

  it('keeps nothing of an upload whose connection drops midway, and sweeps uploads never attached', async () => {
    const before = await chunkCount();
    const { body, contentType } = multipart([
      { name: 'metadata', value: JSON.stringify({ title: `Dropped ${tag()}`, category: 'videos' }) },
      { name: 'file', value: sampleMp4(3 * 1024 * 1024), fileName: 'dropped.mp4', contentType: 'video/mp4' },
    ]);
    const url = new URL('/api/library/items', portal.url);
    await new Promise<void>((resolve) => {
      const request = http.request(url, {
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': String(body.length), cookie: trainer.cookie ?? '', 'x-csrf-token': trainer.csrfToken ?? '' },
      });
      request.on('error', () => resolve());
      request.on('close', () => resolve());
      // Half of the file, then the laptop goes offline.
      request.write(body.subarray(0, 1_600_000), () => setTimeout(() => request.destroy(), 300));
    });
    const deadline = Date.now() + 10_000;
    while ((await chunkCount()) !== before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await chunkCount()).to.equal(before);

    // A blob stored but never made part of an item (the process stopped in between) is swept.
    const orphan = await storeStream(Readable.from([await samplePdf(1)]), () => false);
    expect(await chunkCount()).to.equal(before + 1);
    expect(await sweepOrphanBlobs()).to.equal(0);
    advanceClockForTests(ORPHAN_BLOB_MS + 60_000);
    expect(await sweepOrphanBlobs()).to.be.at.least(1);
    expect(await chunkCount()).to.equal(before);
    expect(orphan.mediaType).to.equal('application/pdf');
  });

  it('refuses metadata sent after the file, before storing any of it', async () => {
    const late = multipart([
      { name: 'file', value: await samplePdf(1), fileName: 'a.pdf' },
      { name: 'metadata', value: JSON.stringify({ title: 'Late', category: 'circulars' }) },
    ]);
    const answer = await trainer.request<{ error: { code: string } }>('POST', '/api/library/items', { raw: late.body, contentType: late.contentType });
    expect(answer.status).to.equal(400);
    expect(answer.body.error.code).to.equal('metadata-missing');
    expect((await iloA.request('POST', '/api/library/items', { raw: late.body, contentType: late.contentType })).status).to.equal(403);
  });

  it('tells the audience at once when something is published for them, and nobody else', async () => {
    const inAudience = await iloA.socket();
    const outside = await iloB.socket();
    const heard: string[] = [];
    outside.on('library:published', (notice) => heard.push(notice.title));
    try {
      const title = `Drug trafficking routes ${tag()}`;
      const notice = new Promise<LibraryNotice>((resolve) => inAudience.on('library:published', resolve));
      await publish(trainer, { title, category: 'circulars', audience: { agencies: [String(agencyA._id)] } }, await samplePdf(1), 'routes.pdf');
      expect((await notice).title).to.equal(title);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard).not.to.include(title);
    } finally {
      inAudience.disconnect();
      outside.disconnect();
    }
  });

  it('marks what was published since the officer’s last visit', async () => {
    const officer = await makeOfficer(portal, 'uo', agencyA, await makeUnit(agencyA));
    let reader = await officer.signIn();
    const isNew = async (title: string): Promise<boolean | undefined> =>
      (await reader.request<{ items: ItemView[] }>('GET', '/api/library')).body.items.find((item) => item.title === title)?.isNew;
    const visit = async (): Promise<void> => {
      expect((await reader.request('GET', '/resources', { headers: { accept: 'text/html' } })).status).to.equal(200);
    };
    const older = `Economic fraud typologies ${tag()}`;
    await publish(trainer, { title: older, category: 'circulars' }, await samplePdf(1), 'fraud.pdf');
    await visit();
    expect(await isNew(older)).to.equal(false);

    // A break longer than the idle limit: the officer signs in again (as is the trainer).
    advanceClockForTests(31 * 60_000);
    reader = await officer.signIn();
    const newer = `Arms trafficking alert ${tag()}`;
    expect((await publish(await trainerOfficer.signIn(), { title: newer, category: 'circulars' }, await samplePdf(1), 'alert.pdf')).status).to.equal(201);
    await visit();
    expect(await isNew(newer)).to.equal(true);
    expect(await isNew(older)).to.equal(false);

    // Coming back after a break starts a new visit: what was new last time is not any more.
    advanceClockForTests(31 * 60_000);
    reader = await officer.signIn();
    await visit();
    expect(await isNew(newer)).to.equal(false);
  });
});
