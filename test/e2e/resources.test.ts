import { expect } from 'chai';
import { now } from '../../server/clock.js';
import { browserSuite, screenshot, signedInPage } from '../support/browser.js';
import { makeAgency, makeOfficer, makeUnit, tag, theCbi } from '../support/fixtures.js';
import { samplePdf } from '../support/library-files.js';

describe('Resources in Chromium', () => {
  const suite = browserSuite();

  it('a trainer publishes a PDF with a progress bar; an ILO is told at once, previews its first page and downloads it; a UO enrols in a session', async function () {
    this.timeout(120_000);
    const cbi = await theCbi();
    const agency = await makeAgency();
    const trainer = await makeOfficer(suite.portal, 'trainer', cbi, undefined, 'Priya Sharma');
    const ilo = await makeOfficer(suite.portal, 'ilo', agency, undefined, 'Vikram Patil');
    const uo = await makeOfficer(suite.portal, 'uo', agency, await makeUnit(agency, 'Thane Rural'), 'Neha Joshi');

    // The ILO has the library open while the trainer publishes.
    const { context: iloContext, page: iloPage, problems: iloProblems } = await signedInPage(suite, ilo, 'laptop');
    await iloPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Resources' }).click();
    await iloPage.locator('.connection[data-state="live"]').waitFor({ timeout: 10_000 });

    const { context: trainerContext, page: trainerPage, problems: trainerProblems } = await signedInPage(suite, trainer, 'laptop');
    await trainerPage.goto(`http://localhost:${suite.portal.port}/resources/new`);
    const title = `Extradition procedure SOP ${tag()}`;
    await trainerPage.getByLabel('Title').fill(title);
    await trainerPage.getByLabel('Description').fill('Steps for a provisional arrest request through the NCB.');
    await trainerPage.getByLabel('Category').selectOption('manuals-sops');
    await trainerPage.getByLabel('Tags').fill('extradition, provisional arrest');
    await trainerPage.getByLabel('File').setInputFiles({ name: 'extradition-sop.pdf', mimeType: 'application/pdf', buffer: await samplePdf(3, 'Extradition SOP') });
    // The progress bar may show only briefly on a fast machine: an observer in the page reports it.
    let progressShown = false;
    await trainerPage.exposeFunction('reportProgressShown', () => (progressShown = true));
    await trainerPage.evaluate(() => {
      const bar = document.querySelector<HTMLElement>('[data-upload-progress]')!;
      const report = (window as unknown as { reportProgressShown: () => void }).reportProgressShown;
      new MutationObserver(() => {
        if (!bar.hidden) report();
      }).observe(bar, { attributes: true });
    });
    await trainerPage.getByRole('button', { name: 'Publish' }).click();
    const publishedAt = Date.now();
    await trainerPage.waitForURL(/\/resources\/items\/[a-f0-9]{24}/, { timeout: 15_000 });
    expect(progressShown, 'the upload showed its progress bar').to.equal(true);
    await screenshot(trainerPage, 'resources-trainer-published');

    // The ILO's open page announces it, with a link.
    const notice = iloPage.locator('[data-live-notices] [data-notice]', { hasText: title });
    await notice.waitFor({ timeout: 5000 });
    expect(Date.now() - publishedAt, 'notice after publishing').to.be.below(2000);
    await screenshot(iloPage, 'resources-ilo-live-notice');
    await notice.getByRole('link', { name: title }).click();

    // First pages rendered by PDF.js in the page, from range requests to the portal.
    await iloPage.locator('[data-preview][data-rendered="2"]').waitFor({ timeout: 15_000 });
    expect(await iloPage.locator('[data-preview] canvas').count()).to.equal(2);
    expect(await iloPage.locator('[data-preview-status]').textContent()).to.equal('Pages 1–2 of 3.');
    await screenshot(iloPage, 'resources-ilo-preview');

    const download = iloPage.waitForEvent('download');
    await iloPage.locator('[data-download]').click();
    const file = await download;
    expect(file.suggestedFilename()).to.equal('extradition-sop.pdf');
    const chunks: Buffer[] = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 5).toString()).to.equal('%PDF-');

    // A session open to everyone; the unit officer enrols from a phone.
    const trainerClient = await trainer.signIn();
    const start = new Date(now().getTime() + 7 * 86_400_000);
    const scheduled = await trainerClient.request<{ id: string }>('POST', '/api/training/sessions', {
      json: {
        title: `Cyber-enabled financial crime ${tag()}`,
        mode: 'in-person',
        venue: 'CBI Academy, Ghaziabad',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 6 * 3_600_000).toISOString(),
        capacity: 25,
      },
    });
    expect(scheduled.status).to.equal(201);
    const { context: uoContext, page: uoPage, problems: uoProblems } = await signedInPage(suite, uo, 'phone');
    await uoPage.goto(`http://localhost:${suite.portal.port}/training`);
    await uoPage.locator(`a[href="/training/sessions/${scheduled.body.id}"]`).click();
    await uoPage.getByRole('button', { name: 'Enrol' }).click();
    await uoPage.locator('[data-my-status]', { hasText: 'Enrolled' }).waitFor({ timeout: 10_000 });
    expect(await uoPage.locator('[data-seats]').textContent()).to.contain('1 of 25 taken');
    await screenshot(uoPage, 'resources-uo-enrolled-phone');

    expect(iloProblems, iloProblems.join('\n')).to.deep.equal([]);
    expect(trainerProblems, trainerProblems.join('\n')).to.deep.equal([]);
    expect(uoProblems, uoProblems.join('\n')).to.deep.equal([]);
    await Promise.all([iloContext.close(), trainerContext.close(), uoContext.close()]);
  });
});
