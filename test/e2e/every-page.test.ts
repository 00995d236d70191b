import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Role } from '../../server/access/roles.js';
import { browserSuite, openPage, screenshot, signInThroughPage, viewports } from '../support/browser.js';
import { broadcastClientOf, freshGroupKey, noticeClientOf, referenceClientOf, withCrypto } from '../support/crypto-officer.js';
import { agencyWith, cbiOfficers, tag, theCbi, type Officer } from '../support/fixtures.js';
import { publish, samplePdf } from '../support/library-files.js';
import { contentOf } from '../support/notice-content.js';

/** axe-core, evaluated in the page (a script tag would rightly be refused by the portal's CSP). */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Measures, in the page, what does not fit: the page's own width, and elements that run past the
 * viewport outside any scrolling box. (A string: functions compiled by the test runner carry
 * helpers the page does not have.)
 */
const MEASURE_OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
    let scrolled = false;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(parent).overflowX)) scrolled = true;
    }
    if (!scrolled) out.push(element.tagName.toLowerCase() + '.' + String(element.className) + ' (right edge ' + Math.round(box.right) + ' px)');
  }
  return { scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 8) };
})()`;

/**
 * Select lists whose chosen option does not fit in the closed control (its text measured in the
 * control's font, against its width less padding and the arrow): "H0 — for preventing and comba".
 */
const MEASURE_CUT_SELECTS = `(() => {
  const context = document.createElement('canvas').getContext('2d');
  const cut = [];
  for (const select of document.querySelectorAll('select')) {
    if (select.getBoundingClientRect().width === 0) continue;
    const style = getComputedStyle(select);
    context.font = style.font;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
    for (const option of select.options) {
      if (context.measureText(option.text).width > room) cut.push(select.name + ': ' + option.text);
    }
  }
  return cut.slice(0, 8);
})()`;

async function overflowOf(page: Page): Promise<{ scrollWidth: number; width: number; out: string[] }> {
  return page.evaluate<{ scrollWidth: number; width: number; out: string[] }>(MEASURE_OVERFLOW);
}

/** axe-core's serious and critical violations on the page. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(`${axeSource};0`);
  const violations = await page.evaluate<{ id: string; impact: string; help: string; where: string[] }[]>(`axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations.map((violation) => ({
    id: violation.id, impact: violation.impact, help: violation.help, where: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
  })))`);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.where.join(', ')}`);
}

describe('every page, at laptop and phone sizes: nothing runs off the screen, no serious accessibility problem', function () {
  // Some thirty pages, each measured and checked by axe-core.
  this.timeout(240_000);
  const suite = browserSuite();
  const pagesOf = new Map<string, { officer: Officer | undefined; paths: string[] }>();

  before(async () => {
    const cbi = await theCbi();
    const agency = await agencyWith(suite.portal, { ilos: ['Rohan Deshpande'], units: [{ name: `Pune Rural ${tag()}`, officers: ['Anjali Kulkarni'] }] }, { withKey: true });
    const [desk, admin, trainer, auditor] = await cbiOfficers(
      suite.portal,
      [
        { role: 'ncb-officer', name: 'Vikram Rathore' },
        { role: 'ncb-admin', name: 'Nandita Rao' },
        { role: 'trainer', name: 'Sameer Khan' },
        { role: 'auditor', name: 'Geeta Pillai' },
      ] satisfies { role: Role; name: string }[],
      { withKey: true },
    );
    const trainerClient = await trainer!.signIn();
    const item = (await publish(trainerClient, { title: `Red notice handbook ${tag()}`, category: 'manuals-sops' }, await samplePdf(1, 'Handbook'), 'handbook.pdf')).body as { id: string };
    const drafter = broadcastClientOf(await withCrypto(desk!));
    const draft = await drafter.compose(
      {
        country: 'Thailand',
        foreignNcb: 'NCB Bangkok',
        reference: `2026/${tag()}-RFA`,
        kind: 'request-for-assistance',
        purpose: 'action',
        crimeArea: 'narcotics',
        priority: 'urgent',
        handling: { code: 'H0' },
        grading: { source: 'B', information: '2' },
        addressees: { mode: 'list', agencies: [String(agency.agency._id)] },
      },
      'Trace the consignment.',
    );
    const iloCrypto = await withCrypto(agency.officer('Rohan Deshpande'));
    const iloGroup = `agency-ilos:${String(agency.agency._id)}`;
    await iloCrypto.keyring.keys(iloGroup, { refresh: true });
    await freshGroupKey(await withCrypto(desk!), 'ncb-desk');
    const reference = await referenceClientOf(iloCrypto).draft(
      iloGroup,
      {
        countries: [{ country: 'United Arab Emirates', ncb: 'NCB Abu Dhabi' }],
        assistance: 'subscriber-details',
        case: { fir: `${tag()}/2026`, policeStation: 'Economic Offences Wing, Pune', sections: '420 IPC', registeredOn: '2026-09-14' },
        crimeArea: 'economic-fraud',
        priority: 'routine',
        handling: { code: 'H1' },
        grading: { source: 'B', information: '2' },
      },
      'Subscriber of +971 50 000 0000.',
    );
    await referenceClientOf(iloCrypto).handOn(reference.id, 'submit');
    const notices = noticeClientOf(iloCrypto);
    const notice = await notices.draft(iloGroup, { crimeArea: 'economic-fraud', priority: 'routine' }, { kind: 'blue', type: 'notice', content: contentOf('blue'), files: [] });
    await notices.submit(notice.id);
    const own = `/admin/agencies/${String(agency.agency._id)}`;
    pagesOf.set('visitor', { officer: undefined, paths: ['/', '/sign-in'] });
    pagesOf.set('desk officer', { officer: desk, paths: ['/', '/connect', '/broadcasts', '/broadcasts?status=&priority=immediate', '/references?queue=national', '/references/incoming/new', `/references/${reference.id}`, '/notices', `/notices/${notice.id}`, '/broadcasts/new', `/broadcasts/${draft.id}`, '/directory', '/profile'] });
    pagesOf.set('administrator', { officer: admin, paths: ['/admin/agencies', `/admin/agencies/${String(cbi._id)}`, own, '/resources/reports', '/notices/settings'] });
    pagesOf.set('ILO', { officer: agency.officer('Rohan Deshpande'), paths: ['/', '/connect', '/broadcasts', '/references', '/references/new', `/references/${reference.id}`, '/notices', '/notices/new', `/notices/${notice.id}`, own, '/resources', `/resources/items/${item.id}`, '/training'] });
    pagesOf.set('unit officer', { officer: agency.officer('Anjali Kulkarni'), paths: ['/', '/broadcasts', '/references', '/references/new', '/notices/new?kind=yellow', '/directory'] });
    pagesOf.set('trainer', { officer: trainer, paths: ['/resources', '/resources/new', '/training/new'] });
    pagesOf.set('auditor', { officer: auditor, paths: ['/audit'] });
  });

  for (const device of Object.keys(viewports) as (keyof typeof viewports)[]) {
    it(`checks every page on a ${device}`, async () => {
      const problems: string[] = [];
      for (const [who, { officer, paths }] of pagesOf) {
        const { context, page, problems: pageProblems } = await openPage(suite.browser, device);
        if (officer) await signInThroughPage(page, suite.portal, officer);
        for (const path of paths) {
          await page.goto(`http://localhost:${suite.portal.port}${path}`);
          await page.waitForLoadState('load');
          await page.waitForTimeout(400);
          const { scrollWidth, width, out } = await overflowOf(page);
          if (scrollWidth > width || out.length > 0) problems.push(`${who} ${path}: page ${scrollWidth}/${width} px; ${out.join('; ')}`);
          for (const cut of await page.evaluate<string[]>(MEASURE_CUT_SELECTS)) problems.push(`${who} ${path}: select option cut: ${cut}`);
          for (const problem of await accessibilityProblems(page)) problems.push(`${who} ${path}: ${problem}`);
          await screenshot(page, `every-page-${device}-${who.replace(/\W+/g, '-')}${path.replace(/\W+/g, '-')}`.slice(0, 120));
        }
        problems.push(...pageProblems.map((problem) => `${who}: ${problem}`));
        await context.close();
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  }
});
