import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../server/paths.js';

/** Where browser tests save their screenshots (ignored by git). */
export const screenshotDir = path.join(projectRoot, 'test-results', 'screenshots');

/** Common device sizes the portal must work on. */
export const viewports = {
  laptop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * Launches Debian's Chromium headless, with the flags that keep it from reaching for the network
 * this machine does not have.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Problems a page reported: console errors (CSP violations among them) and uncaught exceptions. */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** Saves a full-page screenshot as `test-results/screenshots/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A new, isolated browser context (its own cookies) at a device size. */
export function newContext(browser: Browser, viewport: keyof typeof viewports): Promise<BrowserContext> {
  return browser.newContext({ viewport: viewports[viewport], deviceScaleFactor: 1 });
}
