import { expect } from 'chai';
import { browserSuite, openPage, screenshot, signedInPage, viewports } from '../support/browser.js';
import { makeAgency, makeOfficer, makeUnit, theCbi } from '../support/fixtures.js';

describe('home page in Chromium', () => {
  const suite = browserSuite();

  for (const device of Object.keys(viewports) as (keyof typeof viewports)[]) {
    it(`shows visitors the modules, the system-use notice and a way to sign in on a ${device}`, async () => {
      const { context, page, problems } = await openPage(suite.browser, device);
      await page.goto(`http://localhost:${suite.portal.port}/`);

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
    const officer = await makeOfficer(suite.portal, 'uo', agency, await makeUnit(agency), 'Kiran Bedi');
    const { context, page, problems } = await signedInPage(suite, officer, 'phone');

    expect(await page.getByRole('heading', { name: 'Welcome, Kiran Bedi' }).isVisible()).to.equal(true);
    // Home is the officer's desk: the modules they work in, as links.
    expect(await page.locator('.card h3 a').allTextContents()).to.deep.equal(['Connect', 'Broadcast', 'INTERPOL References', 'INTERPOL Notices', 'Resources']);
    expect(await page.locator('[data-nothing-waiting]').isVisible()).to.equal(true);
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
