import { expect } from 'chai';
import { advanceClockForTests } from '../../server/clock.js';
import { browserSuite, openPage, screenshot, signedInPage } from '../support/browser.js';
import { totpCode } from '../support/client.js';
import { makeAgency, makeOfficer, makeUnit, theCbi } from '../support/fixtures.js';

describe('enrolment in Chromium', () => {
  const suite = browserSuite();

  it("enrols a new unit officer from an ILO's invitation, signs in with MFA and finds a colleague", async function () {
    this.timeout(90_000);
    await theCbi();
    const agency = await makeAgency();
    const unit = await makeUnit(agency, 'Nagpur Rural');
    const ilo = await makeOfficer(suite.portal, 'ilo', agency, undefined, 'Vikram Patil');
    await makeOfficer(suite.portal, 'uo', agency, await makeUnit(agency), 'Sanjay Kulkarni', { withKey: true });

    // The ILO invites the new unit officer from the agency page.
    const { context: iloContext, page: iloPage, problems: iloProblems } = await signedInPage(suite, ilo, 'laptop', '/admin/agencies');
    expect(iloPage.url()).to.match(/\/admin\/agencies\/[0-9a-f]{24}$/);
    await iloPage.getByText('Add an officer').click();
    await iloPage.getByLabel('Username').fill('uo.nagpur.rural');
    await iloPage.getByLabel('Full name').fill('Rekha Menon');
    await iloPage.getByLabel('Designation').fill('Superintendent of Police');
    await iloPage.getByLabel('Role').selectOption('uo');
    await iloPage.getByRole('combobox', { name: 'Unit' }).pressSequentially(`Nagpur Rural (${unit.code})`);
    await iloPage.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-unit-id]')?.value !== '');
    await iloPage.getByRole('button', { name: 'Create account and enrolment link' }).click();
    const linkBox = iloPage.locator('[data-link-value]');
    await linkBox.waitFor({ state: 'visible' });
    const link = await linkBox.inputValue();
    expect(link).to.match(/\/enrol#[A-Za-z0-9_-]{43}$/);
    await screenshot(iloPage, 'enrolment-1-ilo-invites');
    expect(iloProblems, iloProblems.join('\n')).to.deep.equal([]);

    // The new officer opens the link on a phone.
    const { context: uoContext, page, problems } = await openPage(suite.browser, 'phone');
    await page.goto(link.replace(/^http:\/\/127\.0\.0\.1/, 'http://localhost'));
    await page.locator('[data-enrol-form]').waitFor({ state: 'visible' });
    expect(page.url(), 'the token is removed from the address bar').not.to.include('#');
    expect(await page.locator('[data-field="username"]').textContent()).to.equal('uo.nagpur.rural');

    await page.getByLabel('Password', { exact: true }).fill('password1234');
    await page.getByLabel('Repeat the password').fill('password1234');
    await page.getByLabel('Code shown by the app').fill('123456');
    await page.getByRole('button', { name: 'Complete enrolment' }).click();
    await page.locator('[data-form-error]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-form-error]').textContent()).to.match(/too easy to guess/);
    await screenshot(page, 'enrolment-2-weak-password-refused');

    const password = 'indigo monsoon lantern 58';
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the password').fill(password);
    expect(await page.locator('[data-totp-qr] img').isVisible()).to.equal(true);
    const secret = (await page.locator('[data-field="totpSecret"]').textContent()) ?? '';
    await page.getByLabel('Code shown by the app').fill(await totpCode(secret));
    await screenshot(page, 'enrolment-3-form');
    await page.getByRole('button', { name: 'Complete enrolment' }).click();
    await page.locator('[data-enrol-done]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-recovery-codes] li').count()).to.equal(10);
    const ownFingerprint = (await page.locator('[data-own-fingerprint]').textContent()) ?? '';
    expect(ownFingerprint).to.match(/^([0-9A-F]{4} ){9}[0-9A-F]{4}$/);
    await screenshot(page, 'enrolment-4-recovery-codes');

    // Signs in with password and a new code, then finds a colleague in the directory.
    advanceClockForTests(30_000);
    await page.getByRole('link', { name: 'Continue to sign in' }).click();
    await page.getByLabel('Username').fill('uo.nagpur.rural');
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Authenticator code').fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.getByRole('heading', { name: 'Welcome, Rekha Menon' }).waitFor();
    const kept = await page.evaluate(() => ({ clear: sessionStorage.getItem('bp.keyPassphrase'), sealed: localStorage.getItem('bp.keyPassphrase.sealed') }));
    expect(kept.clear, 'the key passphrase is never kept in clear').to.equal(null);
    expect(JSON.parse(kept.sealed ?? '{}')).to.have.keys('iv', 'sealed');
    await page.getByRole('link', { name: 'Profile' }).click();
    expect(await page.locator('[data-own-fingerprint]').textContent()).to.equal(ownFingerprint);
    await page.getByRole('link', { name: 'Directory' }).click();
    await page.getByLabel('Name, username, unit or city').fill('Kulkarni');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('[data-directory-results]').waitFor();
    expect(await page.locator('[data-directory-results] tbody tr').allTextContents()).to.have.length(1);
    expect(await page.locator('[data-directory-results]').textContent()).to.include('Sanjay Kulkarni');
    expect(await page.locator('[data-key-status]').textContent()).to.equal('unverified');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Mark verified' }).click();
    await page.locator('[data-key-status]', { hasText: 'verified' }).and(page.locator('.badge--key-verified')).waitFor();
    await screenshot(page, 'enrolment-5-directory');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?reason=signed-out$/);
    expect(await page.evaluate(() => localStorage.getItem('bp.keyPassphrase.sealed')), 'forgotten at sign-out').to.equal(null);
    expect(problems, problems.join('\n')).to.deep.equal([]);

    // Back on the ILO's page, the new officer is active.
    await iloPage.reload();
    expect(await iloPage.locator('tr[data-account="uo.nagpur.rural"] .badge').textContent()).to.equal('active');
    await iloContext.close();
    await uoContext.close();
  });
});
