import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { Portal } from '../../server/portal.js';
import { collectPageProblems, launchBrowser, newContext, screenshot, viewports } from '../support/browser.js';
import { sharedPortal } from '../support/portal.js';

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
    it(`renders the modules and the system-use notice and goes live over the socket on a ${device}`, async () => {
      const context = await newContext(browser, device);
      const page = await context.newPage();
      const problems = collectPageProblems(page);
      // localhost, not 127.0.0.1: the origin an officer types, which the origin policy must accept.
      await page.goto(`http://localhost:${portal.port}/`);

      expect(await page.getByRole('heading', { name: 'System-use notice' }).isVisible()).to.equal(true);
      expect(await page.locator('.card h3').allTextContents()).to.deep.equal([
        'Connect',
        'Broadcast',
        'INTERPOL References',
        'INTERPOL Notices',
        'Resources',
      ]);
      const badge = page.locator('[data-connection-status]');
      await badge.and(page.locator('[data-state="live"]')).waitFor({ timeout: 5000 });
      expect(await badge.textContent()).to.match(/^Live · \d+ ms$/);

      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, 'no horizontal scrolling').to.be.at.most(viewports[device].width);
      await screenshot(page, `home-${device}`);
      expect(problems, problems.join('\n')).to.deep.equal([]);
      await context.close();
    });
  }
});
