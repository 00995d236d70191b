import { expect } from 'chai';
import { browserSuite, screenshot, signedInPage } from '../support/browser.js';
import { broadcastClientOf, freshGroupKey, withCrypto } from '../support/crypto-officer.js';
import { agencyWith, cbiOfficers, theCbi } from '../support/fixtures.js';
import { eventually } from '../support/server-process.js';

const withKey = { withKey: true };

describe('INTERPOL References in Chromium', () => {
  const suite = browserSuite();
  before(theCbi);

  it('a unit officer drafts and submits a reference with an attachment, the ILO and the CBI approve it in their browsers, the CBI records a reply, and the unit officer reads it with the whole timeline', async function () {
    this.timeout(180_000);
    const agency = await agencyWith(suite.portal, { ilos: ['Asha Menon'], units: [{ officers: ['Rohit Sinha'] }] }, withKey);
    const [deskOfficer] = await cbiOfficers(suite.portal, [{ role: 'ncb-officer', name: 'Iqbal Hussain' }], withKey);
    // The desks' keys exist, as once their officers have signed in.
    await (await withCrypto(agency.officer('Asha Menon'))).keyring.keys(`agency-ilos:${String(agency.agency._id)}`, { refresh: true });
    await freshGroupKey(await withCrypto(deskOfficer!), 'ncb-desk');

    const uo = await signedInPage(suite, agency.officer('Rohit Sinha'), 'phone', '/references/new');
    const form = uo.page.locator('[data-reference-form]');
    await form.getByLabel('Country 1', { exact: true }).fill('Thailand');
    await form.getByLabel('NCB of country 1').fill('NCB Bangkok');
    await form.getByLabel('FIR number').fill('112/2026');
    await form.getByLabel('Police station').fill('Cyber Police Station, Pune');
    await form.getByLabel('Sections of law').fill('66C, 66D IT Act; 420 IPC');
    await form.getByLabel('FIR registered on').fill('2026-11-03');
    await form.getByRole('radio', { name: 'Bank account or financial information' }).check();
    await form.getByLabel('Crime area').selectOption('economic-fraud');
    await form.getByLabel('Urgency').selectOption('urgent');
    await form.getByLabel('Facts, persons and what is asked (encrypted)').fill('Trace account 0098-221 at Kasikorn Bank, Bangkok, receiving the proceeds.');
    await form.getByLabel('Attachments (encrypted before upload)').setInputFiles({ name: 'transfer-trail.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% transfers\n') });
    await form.getByRole('button', { name: 'Save and submit' }).click();
    await uo.page.waitForURL(/\/references\/[a-f0-9]{24}$/, { timeout: 20_000 });
    const path = new URL(uo.page.url()).pathname;
    expect(await uo.page.locator('[data-status]').textContent()).to.equal('with the ILO');
    await screenshot(uo.page, 'reference-submitted-phone');

    const ilo = await signedInPage(suite, agency.officer('Asha Menon'), 'laptop', '/references');
    const count = ilo.page.locator('.site-nav a[href="/references"] [data-nav-count]');
    await count.waitFor({ timeout: 10_000 });
    expect(await count.textContent(), 'one reference waits at the ILO’s desk').to.equal('1');
    await ilo.page.getByRole('link', { name: /FIR 112\/2026/ }).click();
    await ilo.page.locator('[data-content]', { hasText: 'Kasikorn Bank' }).waitFor({ timeout: 15_000 });
    await ilo.page.locator('[data-reference-page][data-ready]').waitFor();
    await ilo.page.getByRole('button', { name: 'Sign and forward to the CBI' }).click();
    await ilo.page.locator('[data-status]', { hasText: 'with the CBI' }).waitFor({ timeout: 15_000 });

    const cbi = await signedInPage(suite, deskOfficer!, 'laptop', path);
    await cbi.page.locator('[data-content]', { hasText: 'Kasikorn Bank' }).waitFor({ timeout: 15_000 });
    await cbi.page.locator('[data-attachments]').getByRole('button', { name: /transfer-trail\.pdf/ }).waitFor();
    await cbi.page.locator('[data-reference-page][data-ready]').waitFor();
    await cbi.page.getByLabel('INTERPOL reference for Thailand').fill('2026/55120-TH');
    await cbi.page.getByRole('button', { name: 'Sign and record transmission' }).click();
    await cbi.page.locator('[data-status]', { hasText: 'abroad' }).waitFor({ timeout: 15_000 });
    await cbi.page.locator('[data-reference-page][data-ready]').waitFor();
    await cbi.page.getByLabel('Reply (encrypted, opened for the ILO and the unit)').fill('Account 0098-221 belongs to Somchai P.; statement attached.');
    await cbi.page.getByRole('button', { name: 'Sign and record reply' }).click();
    await cbi.page.locator('[data-status]', { hasText: 'answered' }).waitFor({ timeout: 15_000 });
    await screenshot(cbi.page, 'reference-answered-laptop');

    await uo.page.reload();
    await uo.page.locator('[data-replies-of="Thailand"]', { hasText: 'belongs to Somchai P.' }).waitFor({ timeout: 15_000 });
    expect(await uo.page.locator('[data-timeline] li strong').allTextContents()).to.deep.equal(['Submitted', 'Forwarded to the CBI', 'Transmitted abroad', 'Reply recorded']);
    const checked = async (): Promise<boolean> => (await uo.page.locator('[data-step-check].verified').count()) === 4;
    expect(await eventually(checked, 15_000), 'every step’s signature verified in the browser').to.equal(true);
    expect(await uo.page.locator('[data-clocks] li').allTextContents()).to.have.length(4);
    await screenshot(uo.page, 'reference-reply-phone');

    // The reference's discussion, in Connect: the unit officer writes, the CBI officer reads it decrypted.
    await uo.page.getByRole('button', { name: 'Discussion' }).click();
    await uo.page.waitForURL(/\/connect#channel=[a-f0-9]{24}$/, { timeout: 15_000 });
    const discussion = new URL(uo.page.url()).hash;
    await uo.page.locator('[data-channel-name]', { hasText: 'FIR 112/2026' }).waitFor({ timeout: 15_000 });
    await uo.page.locator('[data-composer]:not([hidden])').waitFor();
    await uo.page.getByLabel('Message').fill('The account holder’s brother lives in Pune: shall we question him?');
    await uo.page.getByLabel('Message').press('Enter');
    await uo.page.locator('article.message[data-seq]', { hasText: 'brother lives in Pune' }).waitFor({ timeout: 15_000 });
    await screenshot(uo.page, 'reference-discussion-phone');
    await cbi.page.goto(`${new URL(cbi.page.url()).origin}/connect${discussion}`);
    await cbi.page.locator('article.message[data-seq]', { hasText: 'brother lives in Pune' }).waitFor({ timeout: 15_000 });
    expect(await cbi.page.locator('[data-channel-link]').getAttribute('href')).to.equal(path);
    for (const side of [uo, ilo, cbi]) expect(side.problems, side.problems.join('\n')).to.deep.equal([]);
    for (const side of [uo, ilo, cbi]) await side.context.close();
  });

  it('a foreign reference registered by the CBI goes to an agency, its ILO assigns it to a unit that reports, the ILO approves, and the CBI replies abroad', async function () {
    this.timeout(180_000);
    const agency = await agencyWith(suite.portal, { ilos: ['Nandini Rao'], units: [{ name: `Thane Rural ${String(Date.now()).slice(-4)}`, officers: ['Kunal Desai'] }] }, withKey);
    const [deskOfficer] = await cbiOfficers(suite.portal, [{ role: 'ncb-officer', name: 'Sameera Das' }], withKey);
    await (await withCrypto(agency.officer('Nandini Rao'))).keyring.keys(`agency-ilos:${String(agency.agency._id)}`, { refresh: true });
    await (await withCrypto(agency.officer('Kunal Desai'))).keyring.keys(`unit:${String(agency.units[0]!._id)}`, { refresh: true });
    await freshGroupKey(await withCrypto(deskOfficer!), 'ncb-desk');

    const cbi = await signedInPage(suite, deskOfficer!, 'laptop', '/references/incoming/new');
    const form = cbi.page.locator('[data-register-form]');
    await form.getByLabel('Requesting country').fill('Singapore');
    await form.getByLabel('Foreign NCB').fill('NCB Singapore');
    await form.getByLabel('Their reference').fill('2026/61001-SG');
    await form.getByLabel('Received on').fill('2026-12-01');
    await form.getByLabel('Crime area').selectOption('cyber-crime');
    await form.getByLabel('The request (encrypted)').fill('Identify the holder of phone +91 98200 00000 used in a phishing ring.');
    await form.getByRole('button', { name: 'Register' }).click();
    await cbi.page.waitForURL(/\/references\/[a-f0-9]{24}$/, { timeout: 20_000 });
    const parentPath = new URL(cbi.page.url()).pathname;
    await cbi.page.locator('[data-reference-page][data-ready]').waitFor();
    await cbi.page.getByLabel('Find an agency').fill(agency.agency.code);
    await cbi.page.getByLabel(agency.agency.name).check();
    await cbi.page.getByRole('button', { name: 'Sign and forward' }).click();
    await cbi.page.locator('[data-status]', { hasText: 'with the agencies' }).waitFor({ timeout: 15_000 });
    const partLink = cbi.page.locator('[data-parts] a', { hasText: agency.agency.name });
    const partPath = (await partLink.getAttribute('href'))!;

    const ilo = await signedInPage(suite, agency.officer('Nandini Rao'), 'laptop', partPath);
    await ilo.page.locator('[data-content]', { hasText: 'phishing ring' }).waitFor({ timeout: 15_000 });
    await ilo.page.locator('[data-reference-page][data-ready]').waitFor();
    await ilo.page.getByLabel(agency.units[0]!.name).check();
    await ilo.page.getByRole('button', { name: 'Sign and assign' }).click();
    await ilo.page.locator('[data-status]', { hasText: 'with the unit' }).waitFor({ timeout: 15_000 });

    const uo = await signedInPage(suite, agency.officer('Kunal Desai'), 'phone', partPath);
    await uo.page.locator('[data-content]', { hasText: 'phishing ring' }).waitFor({ timeout: 15_000 });
    await uo.page.locator('[data-reference-page][data-ready]').waitFor();
    await uo.page.getByLabel('Execution report (encrypted)').fill('Subscriber: R. Shetty, Kalyan; KYC documents seized.');
    await uo.page.getByRole('button', { name: 'Sign and send the report' }).click();
    await uo.page.locator('[data-status]', { hasText: 'with the ILO' }).waitFor({ timeout: 15_000 });
    await screenshot(uo.page, 'reference-incoming-report-phone');

    await ilo.page.reload();
    await ilo.page.locator('[data-reports]', { hasText: 'R. Shetty' }).waitFor({ timeout: 15_000 });
    await ilo.page.locator('[data-reference-page][data-ready]').waitFor();
    await ilo.page.getByRole('button', { name: 'Sign and send up to the CBI' }).click();
    await ilo.page.locator('[data-status]', { hasText: 'with the CBI' }).waitFor({ timeout: 15_000 });

    await cbi.page.goto(`http://localhost:${suite.portal.port}${partPath}`);
    await cbi.page.locator('[data-reports]', { hasText: 'R. Shetty' }).waitFor({ timeout: 15_000 });
    await cbi.page.goto(`http://localhost:${suite.portal.port}${parentPath}`);
    await cbi.page.locator('[data-reference-page][data-ready]').waitFor();
    await cbi.page.getByLabel('Reference of the reply sent abroad').fill('2026/61001-SG/R1');
    await cbi.page.getByRole('button', { name: 'Sign and record the reply' }).click();
    await cbi.page.locator('[data-status]', { hasText: 'replied abroad' }).waitFor({ timeout: 15_000 });
    expect(await cbi.page.locator('[data-parts] li').allTextContents()).to.deep.equal([`${agency.agency.name} · closed`]);
    expect(await cbi.page.locator('[data-reply-abroad]').textContent()).to.include('Reply sent abroad: 2026/61001-SG/R1');
    expect(await cbi.page.locator('[data-timeline] li strong').allTextContents()).to.deep.equal(['Forwarded to agencies', 'Reply sent abroad']);
    await screenshot(cbi.page, 'reference-incoming-replied-laptop');
    for (const side of [cbi, ilo, uo]) expect(side.problems, side.problems.join('\n')).to.deep.equal([]);
    for (const side of [cbi, ilo, uo]) await side.context.close();
  });

  it('opens a foreign reference from a broadcast that needs formal assistance, prefilled, and links the two both ways', async function () {
    this.timeout(120_000);
    const agency = await agencyWith(suite.portal, { ilos: ['Pooja Iyer'] }, withKey);
    const [deskOfficer] = await cbiOfficers(suite.portal, [{ role: 'ncb-officer', name: 'Arvind Menon' }], withKey);
    await (await withCrypto(agency.officer('Pooja Iyer'))).keyring.keys(`agency-ilos:${String(agency.agency._id)}`, { refresh: true });
    const desk = await withCrypto(deskOfficer!);
    await freshGroupKey(desk, 'ncb-desk');
    const reference = `2026/${String(Date.now()).slice(-6)}-MY`;
    const broadcasts = broadcastClientOf(desk);
    const draft = await broadcasts.compose(
      {
        country: 'Malaysia',
        foreignNcb: 'NCB Kuala Lumpur',
        reference,
        kind: 'request-for-assistance',
        purpose: 'action',
        crimeArea: 'arms-trafficking',
        priority: 'immediate',
        handling: { code: 'H1' },
        grading: { source: 'B', information: '2' },
        addressees: { mode: 'list', agencies: [String(agency.agency._id)] },
      },
      'Trace the consignment of 40 pistols shipped via Port Klang to Chennai.',
    );
    await broadcasts.send(draft.id);
    const page = await signedInPage(suite, deskOfficer!, 'laptop', `/broadcasts/${draft.id}`);
    await page.page.getByRole('link', { name: 'Open an INTERPOL reference from this broadcast' }).click();
    await page.page.locator('[data-from-broadcast]').waitFor();
    expect(await page.page.getByLabel('Their reference').inputValue()).to.equal(reference);
    expect(await page.page.getByLabel('Crime area').inputValue()).to.equal('arms-trafficking');
    const text = page.page.getByLabel('The request (encrypted)');
    expect(await eventually(async () => (await text.inputValue()).includes('Port Klang'), 15_000), 'the broadcast’s text, decrypted here').to.equal(true);
    await page.page.getByRole('button', { name: 'Register' }).click();
    await page.page.waitForURL(/\/references\/[a-f0-9]{24}$/, { timeout: 20_000 });
    const referencePath = new URL(page.page.url()).pathname;
    await page.page.getByRole('link', { name: 'the broadcast' }).click();
    await page.page.waitForURL(new RegExp(`/broadcasts/${draft.id}$`));
    expect(await page.page.locator(`[data-links] a[href="${referencePath}"]`).textContent()).to.equal(`Malaysia ${reference}`);
    expect(page.problems, page.problems.join('\n')).to.deep.equal([]);
    await page.context.close();
  });
});
