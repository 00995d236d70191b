import { expect } from 'chai';
import { advanceClockForTests } from '../../server/clock.js';
import { accountChanged } from '../../server/modules/accounts/account-events.js';
import { formatDay } from '../../server/shared/dates.js';
import { latestEpoch } from '../../server/sealed/groups/groups.service.js';
import { browserSuite, openPage, screenshot, signedInPage, signInThroughPage } from '../support/browser.js';
import { connectUser } from '../support/connect-client.js';
import { broadcastClientOf, withCrypto } from '../support/crypto-officer.js';
import { agencyWith, cbiOfficers, makeOfficer, theCbi } from '../support/fixtures.js';
import { eventually } from '../support/server-process.js';

const withKey = { withKey: true };

describe('everyday use in Chromium: keys, what waits, names', () => {
  const suite = browserSuite();
  before(theCbi);

  it('makes the agency ILOs’ group key from whatever page the ILO opens, so the CBI can send to the agency', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Meera Iyer'] }, withKey);
    const group = `agency-ilos:${String(agency.agency._id)}`;
    expect(await latestEpoch(group), 'no key before the ILO signs in').to.equal(null);
    // The ILO only looks at the home page: never Broadcast, never Connect.
    const { context, page, problems } = await signedInPage(suite, agency.officer('Meera Iyer'), 'laptop');
    expect(await eventually(async () => (await latestEpoch(group)) !== null, 15_000), 'the key made in the background').to.equal(true);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await page.close();
    await context.close();
  });

  it('keeps the unlocked key for the session’s other tabs, without asking for the password again', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Farhan Ali'], units: [{ officers: ['Lata Rao'] }] }, withKey);
    const { context, page, problems } = await signedInPage(suite, agency.officer('Farhan Ali'), 'laptop');
    const second = await context.newPage();
    await second.goto(`http://localhost:${suite.portal.port}/connect`);
    await second.locator('[data-channel-list] button[data-channel]').first().waitFor({ timeout: 15_000 });
    expect(await second.locator('[data-unlock]').evaluate((dialog) => (dialog as HTMLDialogElement).open), 'no password asked in the new tab').to.equal(false);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await page.close();
    await context.close();
  });

  it('shares a unit’s key with a newly enrolled officer from a colleague’s open page, at once', async () => {
    const agency = await agencyWith(suite.portal, { units: [{ officers: ['Arjun Nair'] }] }, withKey);
    const unit = agency.units[0]!;
    const group = `unit:${String(unit._id)}`;
    const { context, page, problems } = await signedInPage(suite, agency.officer('Arjun Nair'), 'laptop');
    expect(await eventually(async () => (await latestEpoch(group)) !== null, 15_000), 'the unit’s key made in the background').to.equal(true);
    // A colleague enrols while Arjun's home page is open: the portal asks the unit's online members to share.
    const newcomer = await makeOfficer(suite.portal, 'uo', agency.agency, unit, 'Divya Menon', withKey);
    await accountChanged({ accountId: String(newcomer.account._id), change: 'activated' });
    const divya = await withCrypto(newcomer);
    const opens = async (): Promise<boolean> => ((await divya.keyring.keys(group, { refresh: true }).catch(() => undefined))?.privateKeys.size ?? 0) > 0;
    expect(await eventually(opens, 15_000), 'the newcomer holds the unit’s key').to.equal(true);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await page.close();
    await context.close();
  });

  it('shows what waits for the officer: a count beside Connect, in the tab title, and on the home page', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Sunita Verma'], units: [{ officers: ['Pradeep Singh'] }] }, withKey);
    const { context, page, problems } = await signedInPage(suite, agency.officer('Sunita Verma'), 'laptop');
    expect(await page.locator('[data-nothing-waiting]').isVisible()).to.equal(true);
    const uo = await connectUser(await withCrypto(agency.officer('Pradeep Singh')));
    const channels = (await uo.officer.client.request<{ channels: { id: string; kind: string }[] }>('GET', '/api/channels')).body.channels;
    await uo.reconnect();
    const units = channels.find((channel) => channel.kind === 'agency-units')!;
    expect((await uo.send(units.id, 'Suspect vehicle seen at the Nashik toll plaza.')).data?.seq).to.equal(1);
    const count = page.locator('.site-nav a[href="/connect"] [data-nav-count]');
    await count.waitFor({ timeout: 10_000 });
    expect(await count.textContent()).to.equal('1');
    expect(await page.title()).to.match(/^\(1\) /);
    await page.reload();
    expect(await page.locator('[data-waiting]').textContent()).to.include('1 unread message in Connect');
    await screenshot(page, 'home-what-needs-you-laptop');
    uo.socket.disconnect();
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await context.close();
  });

  it('separates a conversation by day, in IST', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Kavita Joshi'], units: [{ officers: ['Manoj Tiwari'] }] }, withKey);
    const sendAsUnitOfficer = async (text: string): Promise<Date> => {
      const uo = await connectUser(await withCrypto(agency.officer('Manoj Tiwari')));
      const channels = (await uo.officer.client.request<{ channels: { id: string; kind: string }[] }>('GET', '/api/channels')).body.channels;
      await uo.reconnect();
      const sent = await uo.send(channels.find((channel) => channel.kind === 'agency-units')!.id, text);
      uo.socket.disconnect();
      return new Date(sent.data!.createdAt);
    };
    const first = await sendAsUnitOfficer('Day one: surveillance begins.');
    // The next day (the portal's clock moved on; a new sign-in, as the next morning).
    advanceClockForTests(86_400_000);
    const second = await sendAsUnitOfficer('Day two: subject moved to Nashik.');
    const { context, page, problems } = await signedInPage(suite, agency.officer('Kavita Joshi'), 'phone', '/connect');
    await page.getByRole('button', { name: new RegExp(`${agency.agency.name} · units`) }).click();
    await page.getByText('Day two: subject moved to Nashik.').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-messages] .day-separator').allTextContents()).to.deep.equal([formatDay(first), formatDay(second)]);
    await screenshot(page, 'connect-day-separators-phone');
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await context.close();
  });

  it('finds a channel among the desk’s many by typing part of its name', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Imran Qureshi'] }, withKey);
    await agencyWith(suite.portal, { ilos: ['Farida Sheikh'] }, withKey);
    const [desk] = await cbiOfficers(suite.portal, [{ role: 'ncb-officer', name: 'Radhika Menon' }], withKey);
    const { context, page, problems } = await signedInPage(suite, desk!, 'laptop', '/connect');
    const buttons = page.locator('[data-channel-list] li:not([hidden]) button[data-channel]');
    await buttons.first().waitFor({ timeout: 15_000 });
    expect(await buttons.count(), 'a channel with every agency').to.be.greaterThan(1);
    await page.getByLabel('Find a channel').fill(agency.agency.name.split(' ').slice(-1)[0]!.toLowerCase());
    const shown = await buttons.allTextContents();
    expect(shown, 'only that agency’s channel').to.have.length(1);
    expect(shown[0]!.startsWith(`CBI ⇄ ${agency.agency.name}`)).to.equal(true);
    await page.getByLabel('Find a channel').fill('no such agency anywhere');
    expect(await buttons.count()).to.equal(0);
    expect(await page.locator('[data-channel-list] .empty').textContent()).to.equal('No channel matches.');
    await page.getByLabel('Find a channel').fill('');
    expect(await buttons.count()).to.be.greaterThan(1);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await context.close();
  });

  it('alerts on the desktop, once the officer turns it on, when an immediate broadcast arrives while the tab is in the background', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Nikhil Bose'] }, withKey);
    const [deskOfficer] = await cbiOfficers(suite.portal, [{ role: 'ncb-officer', name: 'Shalini Gupta' }], withKey);
    const { context, page, problems } = await openPage(suite.browser, 'laptop');
    await context.grantPermissions(['notifications'], { origin: `http://localhost:${suite.portal.port}` });
    // The browser's own notifications, recorded as they are made; the tab is in the background.
    await context.addInitScript({
      content: `window.__alerts = [];
        const Real = window.Notification;
        window.Notification = class extends Real { constructor(title, options) { super(title, options); window.__alerts.push(title); } };
        Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });`,
    });
    await signInThroughPage(page, suite.portal, agency.officer('Nikhil Bose'));
    await page.getByRole('button', { name: 'Desktop alerts off' }).click();
    await page.getByRole('button', { name: 'Desktop alerts on' }).waitFor();
    const group = `agency-ilos:${String(agency.agency._id)}`;
    expect(await eventually(async () => (await latestEpoch(group)) !== null, 15_000)).to.equal(true);
    const desk = broadcastClientOf(await withCrypto(deskOfficer!));
    const reference = `2026/${String(Date.now()).slice(-6)}-IMM`;
    const draft = await desk.compose(
      {
        country: 'Nepal',
        foreignNcb: 'NCB Kathmandu',
        reference,
        kind: 'alert',
        purpose: 'information',
        crimeArea: 'terrorism',
        priority: 'immediate',
        handling: { code: 'H0' },
        grading: { source: 'A', information: '1' },
        addressees: { mode: 'list', agencies: [String(agency.agency._id)] },
      },
      'Suspect crossing at Raxaul expected tonight.',
    );
    await desk.send(draft.id);
    const alerted = async (): Promise<boolean> => (await page.evaluate<string[]>('window.__alerts')).some((title) => title === `Immediate broadcast ${reference}`);
    expect(await eventually(alerted, 10_000), 'a desktop alert for the immediate broadcast').to.equal(true);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await context.close();
  });

  it('finds, selects all and clears agencies in the long list of addressees', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Tara Singh'] }, withKey);
    await agencyWith(suite.portal, { ilos: ['Omkar Patil'] }, withKey);
    const [deskOfficer] = await cbiOfficers(suite.portal, [{ role: 'ncb-officer', name: 'Leela Nair' }], withKey);
    const { context, page, problems } = await signedInPage(suite, deskOfficer!, 'phone', '/broadcasts/new');
    await page.getByLabel('Chosen agencies').check();
    const shown = page.locator('[data-agency-list] label:not([hidden])');
    expect(await shown.count(), 'every agency listed').to.be.greaterThan(1);
    await page.getByLabel('Find an agency').fill(agency.agency.code);
    expect(await shown.count()).to.equal(1);
    await page.getByRole('button', { name: 'Select all shown' }).click();
    expect(await page.getByLabel(agency.agency.name).isChecked()).to.equal(true);
    await page.getByText('1 chosen').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('0 chosen').waitFor();
    await screenshot(page, 'broadcast-compose-agency-tools-phone');
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await context.close();
  });

  it('folds the inbox’s filters on a phone, opens them on a laptop, and says how many are set', async () => {
    const agency = await agencyWith(suite.portal, { ilos: ['Bhavna Shah'] }, withKey);
    const phone = await signedInPage(suite, agency.officer('Bhavna Shah'), 'phone', '/broadcasts');
    const more = phone.page.locator('[data-more-filters]');
    expect(await more.evaluate((details) => (details as HTMLDetailsElement).open), 'folded on a phone').to.equal(false);
    expect(await phone.page.getByLabel('Crime area').isVisible()).to.equal(false);
    await phone.page.getByText('More filters').click();
    await phone.page.getByLabel('Priority').selectOption('immediate');
    await phone.page.getByRole('button', { name: 'Find' }).click();
    await phone.page.waitForURL(/priority=immediate/);
    expect(await phone.page.locator('[data-more-filters-summary]').textContent()).to.equal('More filters (1 set)');
    expect(await more.evaluate((details) => (details as HTMLDetailsElement).open), 'open while a filter is set').to.equal(true);
    await screenshot(phone.page, 'broadcast-inbox-filters-phone');
    const laptop = await signedInPage(suite, agency.officer('Bhavna Shah'), 'laptop', '/broadcasts');
    expect(await laptop.page.getByLabel('Crime area').isVisible(), 'open on a laptop').to.equal(true);
    for (const side of [phone, laptop]) expect(side.problems, side.problems.join('\n')).to.deep.equal([]);
    await phone.context.close();
    await laptop.context.close();
  });

  it('sends a broadcast to the agencies left out for lack of a key, once their ILOs have one', async () => {
    const keyed = await agencyWith(suite.portal, { ilos: ['Alok Verma'] }, withKey);
    const late = await agencyWith(suite.portal, { ilos: ['Zoya Khan'] }, withKey);
    const [deskOfficer] = await cbiOfficers(suite.portal, [{ role: 'ncb-officer', name: 'Prakash Rao' }], withKey);
    const groupOf = (fixture: typeof keyed): string => `agency-ilos:${String(fixture.agency._id)}`;
    const first = await signedInPage(suite, keyed.officer('Alok Verma'), 'laptop');
    expect(await eventually(async () => (await latestEpoch(groupOf(keyed))) !== null, 15_000)).to.equal(true);
    await first.context.close();
    const desk = broadcastClientOf(await withCrypto(deskOfficer!));
    const reference = `2026/${String(Date.now()).slice(-6)}-LATE`;
    const draft = await desk.compose(
      {
        country: 'Sri Lanka',
        foreignNcb: 'NCB Colombo',
        reference,
        kind: 'request-for-assistance',
        purpose: 'action',
        crimeArea: 'narcotics',
        priority: 'immediate',
        handling: { code: 'H0' },
        grading: { source: 'B', information: '2' },
        addressees: { mode: 'list', agencies: [String(keyed.agency._id), String(late.agency._id)] },
      },
      'Trace the vessel Sagar Moti and its crew.',
    );
    await desk.send(draft.id, 'author', { leaveOutMissing: true });
    // Zoya Khan signs in for the first time: her browser makes her agency's key.
    const zoya = await signedInPage(suite, late.officer('Zoya Khan'), 'laptop', '/broadcasts');
    expect(await eventually(async () => (await latestEpoch(groupOf(late))) !== null, 15_000)).to.equal(true);
    const deskPage = await signedInPage(suite, deskOfficer!, 'laptop', `/broadcasts/${draft.id}`);
    await deskPage.page.locator('[data-broadcast-page][data-ready]').waitFor({ timeout: 15_000 });
    const leftOut = deskPage.page.getByRole('region', { name: 'Agencies left out' });
    expect(await leftOut.textContent()).to.include(late.agency.name);
    await leftOut.getByRole('button', { name: 'Send to the agencies left out' }).click();
    await leftOut.waitFor({ state: 'detached', timeout: 15_000 });
    await zoya.page.reload();
    await zoya.page.getByText(reference).first().waitFor({ timeout: 10_000 });
    for (const side of [zoya, deskPage]) expect(side.problems, side.problems.join('\n')).to.deep.equal([]);
    await zoya.context.close();
    await deskPage.context.close();
  });
});
