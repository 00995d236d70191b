import { expect } from 'chai';
import { latestEpoch } from '../../server/sealed/groups/groups.service.js';
import { browserSuite, screenshot, signedInPage } from '../support/browser.js';
import { broadcastClientOf, withCrypto } from '../support/crypto-officer.js';
import { makeAgency, makeOfficer, makeUnit, tag, theCbi } from '../support/fixtures.js';

/** Waits until a group has its first key (started by a member's browser). */
async function groupKeyExists(group: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await latestEpoch(group)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${group} got no key`);
}

describe('Broadcast in Chromium', () => {
  const suite = browserSuite();

  it('sends an immediate broadcast to three agencies; the ILO sees it within a second, acknowledges and passes it on; the desk’s matrix updates live', async function () {
    this.timeout(180_000);
    const cbi = await theCbi();
    const agencies = [await makeAgency(), await makeAgency(), await makeAgency('central')];
    const [agencyA, agencyB, agencyC] = agencies as [(typeof agencies)[0], (typeof agencies)[0], (typeof agencies)[0]];
    const desk = await makeOfficer(suite.portal, 'ncb-officer', cbi, undefined, 'Anita Rao', { withKey: true });
    const ilo = await makeOfficer(suite.portal, 'ilo', agencyA, undefined, 'Vikram Patil', { withKey: true });
    // The other agencies' ILOs and A's units have opened the portal before (their groups have keys).
    for (const agency of [agencyB, agencyC]) {
      const other = await withCrypto(await makeOfficer(suite.portal, 'ilo', agency, undefined, `ILO ${agency.code}`, { withKey: true }));
      await other.keyring.keys(`agency-ilos:${String(agency._id)}`);
    }
    const unitOfficers: { uo: Awaited<ReturnType<typeof withCrypto>>; unitId: string }[] = [];
    for (const name of ['Pune City', 'Thane Rural']) {
      const unit = await makeUnit(agencyA, name);
      const uo = await withCrypto(await makeOfficer(suite.portal, 'uo', agencyA, unit, `UO ${name}`, { withKey: true }));
      await uo.keyring.keys(`unit:${String(unit._id)}`);
      unitOfficers.push({ uo, unitId: String(unit._id) });
    }

    // The ILO's inbox is open on a phone (opening it starts the agency's ILO key).
    const { context: iloContext, page: iloPage, problems: iloProblems } = await signedInPage(suite, ilo, 'phone', '/broadcasts');
    await iloPage.getByText('Nothing has reached your office yet').waitFor();
    await groupKeyExists(`agency-ilos:${String(agencyA._id)}`);
    await iloPage.evaluate(() => {
      const list = document.querySelector('[data-broadcast-list]')!;
      new MutationObserver(() => {
        (window as unknown as { arrivedAt?: number }).arrivedAt ??= Date.now();
      }).observe(list, { childList: true });
    });

    // The desk composes on a laptop.
    const { context: deskContext, page: deskPage, problems: deskProblems } = await signedInPage(suite, desk, 'laptop', '/broadcasts/new');
    const reference = `2026/${tag()}-RFA`;
    await deskPage.getByLabel('Originating country').fill('Thailand');
    await deskPage.getByLabel('Foreign NCB').fill('NCB Bangkok');
    await deskPage.getByLabel('INTERPOL reference number').fill(reference);
    await deskPage.locator('select[name="crimeArea"]').selectOption('narcotics');
    await deskPage.locator('select[name="priority"]').selectOption('immediate');
    await deskPage.getByRole('radio', { name: /^H1 — / }).check();
    await deskPage.getByRole('radio', { name: /^B — / }).check();
    await deskPage.getByRole('radio', { name: /^2 — / }).check();
    await deskPage.getByLabel('Chosen agencies').check();
    for (const agency of agencies) await deskPage.getByLabel(agency.name).check();
    await deskPage.getByLabel('Text', { exact: true }).fill('Locate and report on the subject, passport T1234567, believed to be in Pune.');
    await deskPage.locator('[data-files]').setInputFiles({ name: 'subject-photo.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n' + 'p'.repeat(200_000)) });
    await screenshot(deskPage, 'broadcast-compose-laptop');
    const sendRequest = deskPage.waitForRequest((request) => request.url().endsWith('/send') && request.method() === 'POST', { timeout: 60_000 });
    await deskPage.getByRole('button', { name: 'Send', exact: true }).click();
    const formError = deskPage.locator('[data-compose] [data-form-error]:not([hidden])');
    await Promise.race([sendRequest, formError.waitFor({ timeout: 60_000 }).then(async () => expect.fail(`compose failed: ${await formError.textContent()}`))]);
    const sentAt = Date.now();

    // The ILO's open page shows it within a second.
    const row = iloPage.locator('[data-broadcast-list] li', { hasText: reference });
    await row.waitFor({ timeout: 5000 });
    const arrivedAt = await iloPage.evaluate(() => (window as unknown as { arrivedAt?: number }).arrivedAt ?? Date.now());
    expect(arrivedAt - sentAt, `shown ${arrivedAt - sentAt} ms after sending`).to.be.below(1000);
    await screenshot(iloPage, 'broadcast-ilo-inbox-phone');

    // The desk lands on the broadcast with its tracking matrix: three agencies.
    await deskPage.waitForURL(/\/broadcasts\/[a-f0-9]{24}$/, { timeout: 30_000 });
    await deskPage.locator('[data-tracking] tbody tr[data-row]').nth(2).waitFor({ timeout: 10_000 });
    const rowA = deskPage.locator('[data-tracking] tbody tr', { hasText: agencyA.name });

    // The ILO opens it (read), reads the decrypted text, acknowledges with a signature.
    await row.getByRole('link').click();
    await iloPage.getByText('passport T1234567').waitFor({ timeout: 15_000 });
    await iloPage.getByText(/signature verified/).waitFor();
    await iloPage.getByText('subject-photo.pdf').waitFor({ timeout: 15_000 });
    await rowA.getByText('— Read').waitFor({ timeout: 5000 });
    await iloPage.locator('[data-statement]', { hasText: 'Bharatpol broadcast acknowledgement' }).waitFor();
    await iloPage.getByRole('button', { name: 'Sign and acknowledge' }).click();
    await rowA.getByText('— Acknowledged').waitFor({ timeout: 5000 });
    await rowA.getByText('✓ signature verified').waitFor({ timeout: 5000 });

    // Passing it on to both units, with instructions; the desk sees it live.
    await iloPage.getByText('Pune City').waitFor({ timeout: 15_000 });
    await iloPage.getByLabel('Instructions (encrypted)').fill('Check hotels near Pune station; report by 18:00.');
    await iloPage.getByRole('button', { name: 'Pass on' }).click();
    await rowA.getByText('— Passed to units').waitFor({ timeout: 10_000 });
    expect((await rowA.locator('td').nth(4).textContent())?.trim()).to.equal('2');
    await iloPage.getByText('passport T1234567').waitFor({ timeout: 15_000 });
    await iloPage.getByText('Pune City (already has it)').waitFor({ timeout: 15_000 });
    await screenshot(iloPage, 'broadcast-ilo-detail-phone');
    await screenshot(deskPage, 'broadcast-desk-tracking-laptop');

    // Pune City reports to its ILOs: the ILO reads the report; the desk, for whom it is not sealed, is not offered it.
    const broadcastId = new URL(deskPage.url()).pathname.split('/').pop()!;
    const pune = broadcastClientOf(unitOfficers[0]!.uo);
    await pune.acknowledge(broadcastId);
    await pune.answer(broadcastId, 'reports', `unit:${unitOfficers[0]!.unitId}`, `agency-ilos:${String(agencyA._id)}`, 'Subject seen at Hotel Shivaji; CCTV secured.');
    await iloPage.reload();
    await iloPage.getByText('Subject seen at Hotel Shivaji; CCTV secured.').waitFor({ timeout: 15_000 });
    await deskPage.reload();
    await deskPage.locator('[data-tracking] tbody tr', { hasText: 'Pune City' }).getByText('Answered').waitFor({ timeout: 10_000 });
    expect(await deskPage.locator('[data-answers] [data-answer-of]').count(), 'no report panel for the desk').to.equal(0);

    expect(await deskPage.locator('[data-tracking] tbody tr', { hasText: agencyB.name }).textContent()).to.contain('Not yet delivered');
    expect(iloProblems, iloProblems.join('\n')).to.deep.equal([]);
    expect(deskProblems, deskProblems.join('\n')).to.deep.equal([]);
    await iloContext.close();
    await deskContext.close();
  });
});
