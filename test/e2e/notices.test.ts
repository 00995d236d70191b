import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { browserSuite, screenshot, signedInPage } from '../support/browser.js';
import { freshGroupKey, withCrypto } from '../support/crypto-officer.js';
import { agencyWith, cbiOfficers, theCbi } from '../support/fixtures.js';
import { eventually } from '../support/server-process.js';

const withKey = { withKey: true };
/** A photograph of the subject: a JPEG drawn by the browser itself (a face-like figure on a plain ground). */
async function photograph(page: Page): Promise<Buffer> {
  const data = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 240;
    canvas.height = 300;
    const draw = canvas.getContext('2d')!;
    draw.fillStyle = '#d9d4c7';
    draw.fillRect(0, 0, 240, 300);
    draw.fillStyle = '#8a5a3b';
    draw.beginPath();
    draw.arc(120, 120, 60, 0, Math.PI * 2);
    draw.fill();
    draw.fillStyle = '#2f3b52';
    draw.fillRect(50, 200, 140, 100);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1] ?? '';
  });
  return Buffer.from(data, 'base64');
}

describe('INTERPOL Notices in Chromium', () => {
  const suite = browserSuite();
  before(theCbi);

  it('a unit officer fills a Red notice request with a photograph, the check blocks it until the warrant is given, and the ILO reviews it in another browser', async function () {
    this.timeout(180_000);
    const agency = await agencyWith(suite.portal, { ilos: ['Meera Pillai'], units: [{ officers: ['Arjun Rathore'] }] }, withKey);
    const [deskOfficer] = await cbiOfficers(suite.portal, [{ role: 'ncb-officer', name: 'Farhan Qureshi' }], withKey);
    await (await withCrypto(agency.officer('Meera Pillai'))).keyring.keys(`agency-ilos:${String(agency.agency._id)}`, { refresh: true });
    await freshGroupKey(await withCrypto(deskOfficer!), 'ncb-desk');

    const uo = await signedInPage(suite, agency.officer('Arjun Rathore'), 'laptop', '/notices/new');
    const form = uo.page.locator('[data-notice-form][data-ready]');
    await form.waitFor({ timeout: 15_000 });
    await form.getByLabel('Crime area').selectOption('economic-fraud');
    await form.getByLabel('Urgency').selectOption('urgent');
    await form.getByLabel('Family name (Latin script)').fill('Sharma');
    await form.getByLabel('Family name (original script)').fill('शर्मा');
    await form.getByLabel('Given names (Latin script)').fill('Vikram');
    await form.getByRole('combobox', { name: /^Sex/ }).selectOption('male');
    await form.getByLabel('Date of birth').fill('1984-03-12');
    await form.getByLabel('Nationalities').fill('India');
    await form.getByLabel('Identity documents').fill('Passport Z4409123 (India)');
    await form.getByLabel('Offence', { exact: true }).fill('Cheating and criminal breach of trust');
    await form.getByLabel('Applicable law and section').fill('Bharatiya Nyaya Sanhita 2023, s. 318(4)');
    await form.getByLabel('Maximum penalty').fill('84');
    await form.getByLabel('Committed on').fill('2024-11-02');
    await form.getByRole('combobox', { name: /^Warrant or judgment/ }).selectOption('arrest-warrant');
    await form.getByLabel('Reference number').fill('NBW 117/2025');
    await form.getByLabel('Issuing court or authority').fill('Chief Judicial Magistrate, Jaipur');
    await form.getByRole('combobox', { name: /^Wanted for/ }).selectOption('prosecution');
    await form.getByLabel('Summary of facts').fill('The subject collected deposits from 412 investors through a fake export scheme and left India on 3 January 2025 with the proceeds.');
    await form.getByLabel('Countries from which extradition would be sought').fill('United Arab Emirates\nThailand');
    await form.getByLabel(/Photographs of the subject/).setInputFiles({ name: 'vikram-sharma.jpg', mimeType: 'image/jpeg', buffer: await photograph(uo.page) });
    await form.locator('[data-previews] img').waitFor({ timeout: 10_000 });
    expect(await form.locator('[data-previews] img').evaluate((image: HTMLImageElement) => image.naturalWidth), 'the preview shows the photograph').to.equal(240);

    // The warrant's date is missing: the check says so beside the field, and submission is blocked.
    await form.locator('[data-check-errors] li[data-field="warrant.issuedOn"]', { hasText: 'Issued on' }).waitFor({ timeout: 10_000 });
    expect(await form.locator('[data-field="warrant.issuedOn"] .field__problem').textContent()).to.match(/date/);
    expect(await form.getByRole('button', { name: /Save and submit/ }).isDisabled()).to.equal(true);
    await screenshot(uo.page, 'notice-red-form-blocked-laptop');
    await form.getByLabel('Issued on').fill('2025-01-20');
    await eventually(async () => !(await form.getByRole('button', { name: /Save and submit/ }).isDisabled()), 5_000);
    expect(await form.locator('[data-check-errors] li').count()).to.equal(0);
    expect(await form.locator('[data-check-summary]').textContent()).to.contain('Ready to submit');
    await screenshot(uo.page, 'notice-red-form-ready-laptop');
    await form.getByRole('button', { name: /Save and submit/ }).click();
    await uo.page.waitForURL(/\/notices\/[a-f0-9]{24}$/, { timeout: 20_000 });
    const path = new URL(uo.page.url()).pathname;
    expect(await uo.page.locator('[data-status]').textContent()).to.equal('with the ILO');

    // The ILO, in another browser (a phone): the request decrypted, the check run again, the photograph shown.
    const ilo = await signedInPage(suite, agency.officer('Meera Pillai'), 'phone', '/notices');
    await ilo.page.getByRole('link', { name: 'Red notice' }).first().click();
    await ilo.page.locator('[data-value="subject.familyName.latin"]', { hasText: 'Sharma' }).waitFor({ timeout: 15_000 });
    await ilo.page.locator('[data-recheck][data-result="ready"]').waitFor({ timeout: 15_000 });
    await ilo.page.locator('[data-previews] img').waitFor({ timeout: 15_000 });
    expect(await eventually(async () => (await ilo.page.locator('[data-previews] img').evaluate((image: HTMLImageElement) => image.naturalWidth)) === 240, 10_000), 'the photograph, decrypted here').to.equal(true);
    expect(await ilo.page.locator('[data-value="warrant.issuedOn"]').textContent()).to.equal('2025-01-20');
    expect(await eventually(async () => (await ilo.page.locator('[data-step-check].verified').count()) === 1, 15_000), 'the submission’s signature verified here').to.equal(true);
    await screenshot(ilo.page, 'notice-red-review-phone');

    // The printable request is built in this browser.
    const [download] = await Promise.all([ilo.page.waitForEvent('download'), ilo.page.getByRole('button', { name: 'Printable PDF' }).click()]);
    const pdf = await readFile((await download.path()));
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');

    await ilo.page.locator('[data-notice-page][data-ready]').waitFor();
    await ilo.page.getByRole('button', { name: 'Sign and forward to the CBI' }).click();
    await ilo.page.locator('[data-status]', { hasText: 'with the CBI' }).waitFor({ timeout: 15_000 });
    const cbi = await signedInPage(suite, deskOfficer!, 'laptop', path);
    await cbi.page.locator('[data-value="offence.name"]', { hasText: 'Cheating' }).waitFor({ timeout: 15_000 });
    expect(await cbi.page.getByRole('button', { name: 'Sign and record submission to the General Secretariat' }).count()).to.equal(1);
    for (const side of [uo, ilo, cbi]) expect(side.problems, side.problems.join('\n')).to.deep.equal([]);
    for (const side of [uo, ilo, cbi]) await side.context.close();
  });
});
