import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { accountChanged } from '../../server/modules/accounts/account-events.js';
import { browserSuite, screenshot, signedInPage } from '../support/browser.js';
import { connectUser, type ConnectUser } from '../support/connect-client.js';
import { withCrypto } from '../support/crypto-officer.js';
import { agencyWith, makeOfficer, theCbi, type AgencyFixture } from '../support/fixtures.js';
import { eventually } from '../support/server-process.js';

const withKey = { withKey: true };

/** The agency's units channel, through the officer's socket (which joins it on reconnecting). */
async function unitsChannelOf(user: ConnectUser): Promise<string> {
  const channels = (await user.officer.client.request<{ channels: { id: string; kind: string }[] }>('GET', '/api/channels')).body.channels;
  await user.reconnect();
  return channels.find((channel) => channel.kind === 'agency-units')!.id;
}

async function openUnits(page: Page, agency: AgencyFixture): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`${agency.agency.name} · units`) }).click();
  await page.locator('[data-composer]:not([hidden])').waitFor({ timeout: 15_000 });
}

describe('Connect as officers expect a messenger, in Chromium', () => {
  const suite = browserSuite();
  before(theCbi);

  it('shows "seen by N of M" on one’s message in a channel of several, and who on demand', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Rekha Pillai'], units: [{ officers: ['Anil Kapoor'] }, { officers: ['Bela Das'] }] }, withKey);
    const anil = await connectUser(await withCrypto(agency.officer('Anil Kapoor')));
    const channel = await unitsChannelOf(anil);
    const { context, page, problems } = await signedInPage(suite, agency.officer('Rekha Pillai'), 'laptop', '/connect');
    await openUnits(page, agency);
    await page.getByLabel('Message').fill('Confirm the raid team by 1800.');
    await page.getByLabel('Message').press('Enter');
    const mark = page.locator('article.message--mine', { hasText: 'Confirm the raid team' }).locator('button[data-receipt-for]');
    await mark.waitFor({ timeout: 15_000 });
    expect(await mark.textContent()).to.equal('✓ Sent');
    await anil.waitFor(1);
    anil.socket.emit('receipt:read', { channel, seq: anil.received[0]!.seq });
    await page.locator('article.message--mine button[data-receipt-for]', { hasText: 'Seen by 1 of 2' }).waitFor({ timeout: 10_000 });
    await mark.click();
    const who = page.locator('article.message--mine [data-receipt-who]');
    expect(await who.locator('li').allTextContents()).to.deep.equal(['Seen by: Anil Kapoor', 'Delivered to: nobody', 'Not yet delivered to: Bela Das']);
    expect(await mark.getAttribute('aria-expanded')).to.equal('true');
    await screenshot(page, 'connect-seen-by-laptop');
    anil.socket.disconnect();
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await context.close();
  });

  it('starts a direct conversation from "New conversation", and the colleague’s open page follows it', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Gopal Menon'], units: [{ officers: ['Sara Thomas'] }] }, withKey);
    const ilo = await signedInPage(suite, agency.officer('Gopal Menon'), 'laptop', '/connect');
    await ilo.page.locator('[data-channel-list] button[data-channel]').first().waitFor({ timeout: 15_000 });
    const uo = await signedInPage(suite, agency.officer('Sara Thomas'), 'phone', '/connect');
    await uo.page.locator('[data-channel-list] button[data-channel]').first().waitFor({ timeout: 15_000 });
    await uo.page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = uo.page.getByRole('dialog', { name: 'New conversation' });
    await dialog.getByLabel('Name, username or designation').fill('gopal');
    await dialog.getByRole('button', { name: /Gopal Menon/ }).click();
    await uo.page.locator('[data-channel-name]', { hasText: 'Gopal Menon' }).waitFor({ timeout: 15_000 });
    await uo.page.getByLabel('Message').fill('Sir, a word about the informant.');
    await uo.page.getByLabel('Message').press('Enter');
    // Listed on the ILO's page without a reload, and the message is there.
    await ilo.page.getByRole('button', { name: /Sara Thomas/ }).click({ timeout: 15_000 });
    await ilo.page.getByText('Sir, a word about the informant.').waitFor({ timeout: 15_000 });
    await screenshot(uo.page, 'connect-new-conversation-phone');
    for (const side of [ilo, uo]) expect(side.problems, side.problems.join('\n')).to.deep.equal([]);
    await ilo.context.close();
    await uo.context.close();
  });

  it('suggests members after @, marks the mention, and alerts the officer mentioned on another page', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Kiran Bedi Rao'], units: [{ officers: ['Tarun Gill'] }] }, withKey);
    const ilo = await signedInPage(suite, agency.officer('Kiran Bedi Rao'), 'laptop', '/');
    const uo = await signedInPage(suite, agency.officer('Tarun Gill'), 'laptop', '/connect');
    await openUnits(uo.page, agency);
    const box = uo.page.getByLabel('Message');
    await box.pressSequentially('Please check this @Kir');
    await uo.page.getByRole('option', { name: 'Kiran Bedi Rao' }).waitFor();
    await box.press('Enter'); // chooses the suggestion, does not send
    expect(await box.inputValue()).to.equal('Please check this @Kiran Bedi Rao ');
    await box.pressSequentially('before noon.');
    await box.press('Enter');
    const sent = uo.page.locator('article.message--mine', { hasText: 'before noon.' });
    expect(await sent.locator('.mention').textContent({ timeout: 15_000 })).to.equal('@Kiran Bedi Rao');
    // The ILO is on the home page: a notice says who mentioned them, and opens the conversation.
    const notice = ilo.page.locator('[data-mention-alert]');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).to.include('Tarun Gill mentioned you in Connect.');
    await screenshot(ilo.page, 'connect-mention-notice-laptop');
    await notice.getByRole('link', { name: 'Open' }).click();
    const mentioned = ilo.page.locator('article.message--mentions-me', { hasText: 'before noon.' });
    await mentioned.waitFor({ timeout: 15_000 });
    expect(await mentioned.locator('.mention--me').textContent()).to.equal('@Kiran Bedi Rao');
    for (const side of [ilo, uo]) expect(side.problems, side.problems.join('\n')).to.deep.equal([]);
    await ilo.context.close();
    await uo.context.close();
  });

  it('edits and deletes one’s own message, and shows colleagues the earlier version on demand', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Usha Nair'], units: [{ officers: ['Deepak Rawat'] }] }, withKey);
    const ilo = await signedInPage(suite, agency.officer('Usha Nair'), 'laptop', '/connect');
    await openUnits(ilo.page, agency);
    const uo = await signedInPage(suite, agency.officer('Deepak Rawat'), 'phone', '/connect');
    await openUnits(uo.page, agency);
    await uo.page.getByLabel('Message').fill('Team meets at 1400 at the depot.');
    await uo.page.getByLabel('Message').press('Enter');
    const mine = uo.page.locator('article.message--mine', { hasText: 'depot' });
    await mine.getByRole('button', { name: 'Edit' }).click({ timeout: 15_000 });
    await mine.getByLabel('Edit message').fill('Team meets at 1500 at the depot.');
    await mine.getByRole('button', { name: 'Save' }).click();
    const theirs = ilo.page.locator('article.message', { hasText: 'Team meets at 1500 at the depot.' });
    await theirs.waitFor({ timeout: 15_000 });
    await theirs.getByRole('button', { name: 'edited' }).click();
    await theirs.locator('[data-revisions] li', { hasText: 'Team meets at 1400 at the depot.' }).waitFor({ timeout: 10_000 });
    await screenshot(ilo.page, 'connect-edited-message-laptop');
    uo.page.once('dialog', (dialog) => void dialog.accept());
    await uo.page.locator('article.message--mine', { hasText: '1500' }).getByRole('button', { name: 'Delete' }).click();
    await ilo.page.locator('article.message--deleted', { hasText: 'This message was deleted.' }).waitFor({ timeout: 10_000 });
    await uo.page.locator('article.message--deleted', { hasText: 'You deleted this message.' }).waitFor({ timeout: 10_000 });
    expect(await ilo.page.getByText('Team meets at').count(), 'no trace of the text').to.equal(0);
    for (const side of [ilo, uo]) expect(side.problems, side.problems.join('\n')).to.deep.equal([]);
    await ilo.context.close();
    await uo.context.close();
  });

  it('searches the officer’s messages from an index built in the browser and kept sealed on the device', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Meena Kulkarni'], units: [{ officers: ['Ravi Shetty'] }] }, withKey);
    const ravi = await connectUser(await withCrypto(agency.officer('Ravi Shetty')));
    const channel = await unitsChannelOf(ravi);
    await ravi.send(channel, 'Hawala operator identified in Crawford Market.');
    for (let index = 1; index <= 60; index += 1) await ravi.send(channel, `Routine patrol log ${index}`);
    ravi.socket.disconnect();
    const { context, page, problems } = await signedInPage(suite, agency.officer('Meena Kulkarni'), 'laptop', '/connect');
    await page.locator('[data-channel-list] button[data-channel]').first().waitFor({ timeout: 15_000 });
    const search = page.getByLabel('Search conversations');
    const result = page.locator('[data-search-result]', { hasText: 'Crawford Market' });
    // The first message is older than the first page: found once the background walk reached it.
    const found = async (): Promise<boolean> => {
      await search.fill('');
      await search.fill('hawala crawf');
      return result.waitFor({ timeout: 1_000 }).then(() => true, () => false);
    };
    expect(await eventually(found, 30_000), 'found by words and a prefix').to.equal(true);
    await result.click();
    await page.locator('article.message--found', { hasText: 'Hawala operator identified' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'connect-search-laptop');
    // Kept on the device only as AES-GCM ciphertext.
    const kept = async (): Promise<{ plain: boolean; size: number }> =>
      page.evaluate(async () => {
        const database = await new Promise<IDBDatabase>((resolve, reject) => {
          const opening = indexedDB.open('bharatpol-search', 1);
          opening.onsuccess = () => resolve(opening.result);
          opening.onerror = () => reject(opening.error ?? new Error('open failed'));
        });
        const records = await new Promise<{ sealed: ArrayBuffer }[]>((resolve, reject) => {
          const request = database.transaction('indexes').objectStore('indexes').getAll();
          request.onsuccess = () => resolve(request.result as { sealed: ArrayBuffer }[]);
          request.onerror = () => reject(request.error ?? new Error('read failed'));
        });
        const text = records.map((record) => new TextDecoder('latin1').decode(record.sealed)).join('');
        return { plain: /hawala|crawford/i.test(text), size: text.length };
      });
    expect(await eventually(async () => (await kept()).size > 0, 10_000), 'the index is kept').to.equal(true);
    expect((await kept()).plain, 'no word of a message in clear').to.equal(false);
    // Opened again from the device after a reload.
    await page.reload();
    await page.locator('[data-channel-list] button[data-channel]').first().waitFor({ timeout: 15_000 });
    expect(await eventually(found, 10_000)).to.equal(true);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await context.close();
  });

  it('tells a newly joined officer that access to earlier messages is being arranged, until a colleague online anywhere shares it', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Harish Chandra'], units: [{ officers: ['Lakshmi Iyer'] }] }, withKey);
    const lakshmi = await connectUser(await withCrypto(agency.officer('Lakshmi Iyer')));
    const channel = await unitsChannelOf(lakshmi);
    await lakshmi.send(channel, 'Earlier: the courier uses a blue scooter.');
    lakshmi.socket.disconnect();
    const newcomer = await makeOfficer(suite.portal, 'uo', agency.agency, agency.units[0], 'Joseph Kurian', withKey);
    const joined = await signedInPage(suite, newcomer, 'phone', '/connect');
    await openUnits(joined.page, agency);
    const sealed = joined.page.locator('article.message--bad');
    await sealed.waitFor({ timeout: 15_000 });
    expect(await sealed.textContent()).to.include('Access to this message is being arranged');
    await screenshot(joined.page, 'connect-access-being-arranged-phone');
    // The ILO only opens the home page: their browser shares the channel's key with the newcomer.
    await accountChanged({ accountId: String(newcomer.account._id), change: 'activated' });
    const ilo = await signedInPage(suite, agency.officer('Harish Chandra'), 'laptop', '/');
    const readable = async (): Promise<boolean> => {
      await joined.page.reload();
      await openUnits(joined.page, agency);
      return joined.page.getByText('Earlier: the courier uses a blue scooter.').waitFor({ timeout: 3_000 }).then(() => true, () => false);
    };
    expect(await eventually(readable, 30_000), 'readable once shared').to.equal(true);
    for (const side of [ilo, joined]) expect(side.problems, side.problems.join('\n')).to.deep.equal([]);
    await ilo.context.close();
    await joined.context.close();
  });
});
