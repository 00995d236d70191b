import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Portal } from '../../server/portal.js';
import { collectPageProblems, launchBrowser, newContext, screenshot, viewports } from '../support/browser.js';
import { makeAgency, makeOfficer, makeUnit, theCbi, type Officer } from '../support/fixtures.js';
import { sharedPortal } from '../support/portal.js';

/** Signs in through the sign-in page, as an officer would. */
export async function signInThroughPage(page: Page, portal: Portal, officer: Officer, path = '/'): Promise<void> {
  await page.goto(`http://localhost:${portal.port}/sign-in?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Username').fill(officer.username);
  await page.getByLabel('Password').fill(officer.password);
  await page.getByLabel('Authenticator code').fill(await officer.freshCode());
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 10_000 });
}

describe('home page in Chromium', () => {
  let portal: Portal;
  let browser: Browser;

  before(async () => {
    portal = await sharedPortal();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const device of Object.keys(viewports) as (keyof typeof viewports)[]) {
    it(`shows visitors the modules, the system-use notice and a way to sign in on a ${device}`, async () => {
      const context = await newContext(browser, device);
      const page = await context.newPage();
      const problems = collectPageProblems(page);
      await page.goto(`http://localhost:${portal.port}/`);

      expect(await page.getByRole('heading', { name: 'System-use notice' }).isVisible()).to.equal(true);
      expect(await page.locator('.card h3').allTextContents()).to.deep.equal([
        'Connect',
        'Broadcast',
        'INTERPOL References',
        'INTERPOL Notices',
        'Resources',
      ]);
      expect(await page.getByRole('link', { name: 'Sign in' }).first().isVisible()).to.equal(true);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, 'no horizontal scrolling').to.be.at.most(viewports[device].width);
      await screenshot(page, `home-${device}`);
      expect(problems, problems.join('\n')).to.deep.equal([]);
      await context.close();
    });
  }

  it('signs an officer in on a phone and shows their home with a live connection', async () => {
    await theCbi();
    const agency = await makeAgency();
    const officer = await makeOfficer(portal, 'uo', agency, await makeUnit(agency), 'Kiran Bedi');
    const context = await newContext(browser, 'phone');
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await signInThroughPage(page, portal, officer);

    expect(await page.getByRole('heading', { name: 'Welcome, Kiran Bedi' }).isVisible()).to.equal(true);
    await page.locator('[data-connection-status][data-state="live"]').waitFor({ timeout: 5000 });
    expect(await page.locator('[data-connection-status]').textContent()).to.match(/^Live · \d+ ms$/);
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === '__Host-bp_session');
    expect(session?.httpOnly).to.equal(true);
    expect(session?.secure).to.equal(true);
    expect(session?.sameSite).to.equal('Strict');
    await screenshot(page, 'home-signed-in-phone');
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await context.close();
  });
});
