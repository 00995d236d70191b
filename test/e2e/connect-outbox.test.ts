import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { MessagePage } from '../../server/modules/connect/connect.events.js';
import { collectPageProblems, launchBrowser, newContext, screenshot } from '../support/browser.js';
import { connectUser } from '../support/connect-client.js';
import { withCrypto } from '../support/crypto-officer.js';
import { demoOfficer } from '../support/demo-officer.js';
import { freePort } from '../support/redis-server.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';

describe('Connect keeps what was typed until the server has it', function () {
  this.timeout(180_000);
  let dataDir: string;
  let port: number;
  let server: ServerProcess | undefined;
  let browser: Browser;

  const boot = async (): Promise<void> => {
    server = spawnServer({ PORT: String(port), DATA_DIR: dataDir, DEMO_DATA: 'true', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '3000' });
    await server.waitForLog((line) => line['msg'] === 'listening');
  };

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-outbox-'));
    port = await freePort(); // kept across restarts: the page's storage belongs to its origin
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.child.kill('SIGKILL');
    await server?.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows an unacknowledged message as pending, keeps it encrypted across a crash and a reload, and sends it once with the same client id', async () => {
    await boot();
    const url = `http://localhost:${port}`;
    const ilo = demoOfficer(() => url, 'ilo.mh');
    const context = await newContext(browser, 'laptop');
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await page.goto(`${url}/sign-in?next=%2Fconnect`);
    await page.getByLabel('Username').fill(ilo.username);
    await page.getByLabel('Password').fill(ilo.password);
    await page.getByLabel('Authenticator code').fill(await ilo.freshCode());
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.waitForURL((address) => address.pathname === '/connect');
    await page.getByRole('button', { name: /· units/ }).click();
    await page.locator('[data-composer]:not([hidden])').waitFor();
    await page.getByLabel('Message').fill('Sent while all is well.');
    await page.getByLabel('Message').press('Enter');
    await page.locator('article.message[data-seq]', { hasText: 'Sent while all is well.' }).waitFor({ timeout: 10_000 });

    // The portal hangs: the message is typed, shown pending, and kept in the browser, encrypted.
    server?.child.kill('SIGSTOP');
    const text = 'Typed while the portal hung: suspect boarded the Pune express.';
    await page.getByLabel('Message').fill(text);
    await page.getByLabel('Message').press('Enter');
    const pending = page.locator('article.message--pending', { hasText: text });
    await pending.waitFor({ timeout: 5_000 });
    expect(await pending.locator('[data-pending-state]').textContent()).to.match(/Sending/);
    expect(await page.getByLabel('Message').inputValue()).to.equal('');
    await screenshot(page, 'connect-pending-message');
    const kept = await page.evaluate(() => Object.entries(localStorage).filter(([key]) => key.startsWith('bharatpol.outbox.')));
    expect(kept).to.have.length(1);
    const [[, stored]] = kept as [[string, string]];
    expect(stored).not.to.include('Pune express');
    const [{ clientId, channel }] = JSON.parse(stored) as [{ clientId: string; channel: string }];

    // It crashes and comes back; the officer reloads the page.
    server?.child.kill('SIGKILL');
    await server?.exited;
    await boot();
    await page.reload();
    const stored1 = page.locator('article.message[data-seq]', { hasText: text });
    await stored1.waitFor({ timeout: 20_000 });
    await page.locator('article.message--pending').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await page.locator('article.message', { hasText: text }).count()).to.equal(1);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('bharatpol.outbox.')))).to.deep.equal([]);

    // The channel holds it once, under the client id the browser kept.
    const uo = await connectUser(await withCrypto(demoOfficer(() => url, 'uo.mh.pune')));
    const history = (await uo.call<MessagePage>('message:history', { channel, limit: 20 })).data?.messages ?? [];
    const copies = history.filter((message) => message.clientId === clientId);
    expect(copies).to.have.length(1);
    expect(await uo.open(copies[0]!)).to.equal(text);
    expect(await Promise.all(history.map((message) => uo.open(message)))).to.include('Sent while all is well.');
    uo.socket.disconnect();
    expect(problems.filter((problem) => !/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket/.test(problem)), problems.join('\n')).to.deep.equal([]);
    await context.close();
  });
});
