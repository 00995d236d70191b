import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../server/paths.js';
import type { Portal } from '../../server/portal.js';
import type { Officer } from './fixtures.js';
import { sharedPortal } from './portal.js';

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

/** The portal and the Chromium a suite of browser tests share. */
export interface BrowserSuite {
  readonly portal: Portal;
  readonly browser: Browser;
}

/** Registers a suite's hooks: the shared portal and one Chromium, closed after the suite. */
export function browserSuite(): BrowserSuite {
  const suite = {} as { portal: Portal; browser: Browser };
  before(async () => {
    suite.portal = await sharedPortal();
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
  });
  return suite;
}

/** A page in a new, isolated context at a device size, with its problems collected. */
export async function openPage(browser: Browser, device: keyof typeof viewports): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await newContext(browser, device);
  const page = await context.newPage();
  return { context, page, problems: collectPageProblems(page) };
}

/** Signs in through the sign-in page, as an officer would. */
export async function signInThroughPage(page: Page, portal: Portal, officer: Officer, path = '/'): Promise<void> {
  await page.goto(`http://localhost:${portal.port}/sign-in?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Username').fill(officer.username);
  await page.getByLabel('Password').fill(officer.password);
  await page.getByLabel('Authenticator code').fill(await officer.freshCode());
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 10_000 });
}

/** {@link openPage}, signed in as `officer` and landed on `path`. */
export async function signedInPage(
  suite: BrowserSuite,
  officer: Officer,
  device: keyof typeof viewports,
  path = '/',
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const opened = await openPage(suite.browser, device);
  await signInThroughPage(opened.page, suite.portal, officer, path);
  return opened;
}
