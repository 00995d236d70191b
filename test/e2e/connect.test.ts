import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { browserSuite, screenshot, signedInPage } from '../support/browser.js';
import { makeAgency, makeOfficer, makeUnit, theCbi } from '../support/fixtures.js';

describe('Connect in Chromium', () => {
  const suite = browserSuite();

  async function openUnitsChannel(page: Page, agencyName: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connect' }).click();
    await page.getByRole('button', { name: new RegExp(`${agencyName} · units`) }).click();
    await page.locator('[data-composer]:not([hidden])').waitFor();
  }

  it('shows a message and an attachment from an ILO to a unit officer within a second, decrypted and verified', async function () {
    this.timeout(120_000);
    await theCbi();
    const agency = await makeAgency();
    const unit = await makeUnit(agency, 'Thane Rural');
    const ilo = await makeOfficer(suite.portal, 'ilo', agency, undefined, 'Vikram Patil', { withKey: true });
    const uo = await makeOfficer(suite.portal, 'uo', agency, unit, 'Neha Joshi', { withKey: true });

    const { context: iloContext, page: iloPage, problems: iloProblems } = await signedInPage(suite, ilo, 'laptop');
    await openUnitsChannel(iloPage, agency.name);

    const { context: uoContext, page: uoPage, problems: uoProblems } = await signedInPage(suite, uo, 'phone');
    await openUnitsChannel(uoPage, agency.name);

    // The first message also starts the channel's key epoch.
    await iloPage.getByLabel('Message').fill('Good morning, Thane Rural.');
    await iloPage.getByLabel('Message').press('Enter');
    await uoPage.getByText('Good morning, Thane Rural.').waitFor({ timeout: 15_000 });

    const text = 'Red notice subject sighted near Bhiwandi toll plaza — please verify.';
    await iloPage.getByLabel('Message').fill(text);
    const sentAt = Date.now();
    await iloPage.getByLabel('Message').press('Enter');
    await uoPage.getByText(text).waitFor({ timeout: 1000 });
    const latency = Date.now() - sentAt;
    expect(latency, `appeared after ${latency} ms`).to.be.below(1000);
    const received = uoPage.locator('article.message', { hasText: text });
    expect(await received.locator('.verified').textContent()).to.equal('✔ verified');

    // A file picked by mistake is taken off the message before it is sent.
    await iloPage.locator('[data-attach]').setInputFiles({ name: 'wrong-file.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% not this one\n') });
    await iloPage.locator('[data-uploads] li[data-ready="true"]').waitFor({ timeout: 15_000 });
    await iloPage.getByRole('button', { name: 'Remove wrong-file.pdf' }).click();
    expect(await iloPage.locator('[data-uploads] li').count()).to.equal(0);

    const pdf = Buffer.from('%PDF-1.4\n% Bharatpol brief\n' + 'x'.repeat(300_000));
    await iloPage.locator('[data-attach]').setInputFiles({ name: 'bhiwandi-brief.pdf', mimeType: 'application/pdf', buffer: pdf });
    await iloPage.locator('[data-uploads] li[data-ready="true"]').waitFor({ timeout: 15_000 });
    expect(await iloPage.locator('[data-uploads] progress').evaluate((bar) => (bar as HTMLProgressElement).value)).to.equal(1);
    await iloPage.getByLabel('Message').fill('Brief attached');
    await iloPage.getByRole('button', { name: 'Send', exact: true }).click();
    const attachment = uoPage.locator('article.message', { hasText: 'Brief attached' }).locator('.attachment');
    await attachment.getByText(/bhiwandi-brief\.pdf/).waitFor({ timeout: 5000 });
    expect(await attachment.count(), 'only the file kept').to.equal(1);
    const download = uoPage.waitForEvent('download');
    await attachment.getByRole('button', { name: 'Download' }).click();
    const file = await download;
    expect(file.suggestedFilename()).to.equal('bhiwandi-brief.pdf');
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(pdf)).to.equal(true);

    // Read receipts reach the sender.
    await iloPage.locator('.message--mine .receipt--read').first().waitFor({ timeout: 5000 });
    await screenshot(iloPage, 'connect-ilo-laptop');
    await screenshot(uoPage, 'connect-uo-phone');
    expect(iloProblems, iloProblems.join('\n')).to.deep.equal([]);
    expect(uoProblems, uoProblems.join('\n')).to.deep.equal([]);
    await iloContext.close();
    await uoContext.close();
  });

  it('pages older history, marks where the unread messages start, and counts unread replies per thread', async function () {
    this.timeout(180_000);
    await theCbi();
    const agency = await makeAgency();
    const unit = await makeUnit(agency, 'Nagpur City');
    const ilo = await makeOfficer(suite.portal, 'ilo', agency, undefined, 'Asha Kulkarni', { withKey: true });
    const uo = await makeOfficer(suite.portal, 'uo', agency, unit, 'Ravi Deshmukh', { withKey: true });
    const { context: iloContext, page: iloPage, problems: iloProblems } = await signedInPage(suite, ilo, 'laptop');
    await openUnitsChannel(iloPage, agency.name);
    const send = async (text: string): Promise<void> => {
      await iloPage.getByLabel('Message').fill(text);
      await iloPage.getByLabel('Message').press('Enter');
      await iloPage.locator('article.message--mine').filter({ has: iloPage.getByText(text, { exact: true }) }).locator('.verified').waitFor({ timeout: 15_000 });
    };
    for (let index = 0; index < 60; index += 1) await send(`old ${index}`);

    // The unit officer reads everything so far, then leaves Connect.
    const { context: uoContext, page: uoPage, problems: uoProblems } = await signedInPage(suite, uo, 'laptop');
    await openUnitsChannel(uoPage, agency.name);
    await uoPage.getByText('old 59', { exact: true }).waitFor();
    await uoPage.getByRole('link', { name: 'Home' }).first().click();

    await send('new 0');
    await send('new 1');
    await iloPage.locator('article.message').filter({ has: iloPage.getByText('old 58', { exact: true }) }).getByRole('button', { name: 'Reply in thread' }).click();
    await iloPage.locator('#thread-text').fill('reply to 58');
    await iloPage.locator('[data-thread-composer]').getByRole('button', { name: 'Reply' }).click();
    await iloPage.locator('[data-thread-messages] article', { hasText: 'reply to 58' }).locator('.verified').waitFor({ timeout: 15_000 });

    await openUnitsChannel(uoPage, agency.name);
    const line = uoPage.locator('.unread-line');
    await line.waitFor();
    expect(await line.evaluate((element) => element.nextElementSibling?.querySelector('.message__text')?.textContent)).to.equal('new 0');
    const thread = uoPage.locator('[data-messages] article.message').filter({ has: uoPage.getByText('old 58', { exact: true }) }).locator('[data-replies]');
    await thread.getByText('1 reply · 1 new').waitFor();
    expect(await uoPage.getByText('old 5', { exact: true }).count(), 'older than the first page').to.equal(0);
    await uoPage.getByRole('button', { name: 'Load older messages' }).click();
    await uoPage.getByText('old 0', { exact: true }).waitFor();
    expect(await uoPage.getByRole('button', { name: 'Load older messages' }).count(), 'no older ones left').to.equal(0);
    await thread.click();
    await uoPage.locator('[data-thread-messages]').getByText('reply to 58').waitFor();
    await thread.getByText('1 reply', { exact: true }).waitFor();
    await screenshot(uoPage, 'connect-uo-history-threads');
    expect(iloProblems, iloProblems.join('\n')).to.deep.equal([]);
    expect(uoProblems, uoProblems.join('\n')).to.deep.equal([]);
    await iloContext.close();
    await uoContext.close();
  });
});
