import { expect } from 'chai';
import { now } from '../../../server/clock.js';
import type { Portal } from '../../../server/portal.js';
import type { PortalClient } from '../../support/client.js';
import { makeAgency, makeOfficer, makeUnit, tag, theCbi } from '../../support/fixtures.js';
import { publish, sampleMp4, samplePdf } from '../../support/library-files.js';
import { sharedPortal } from '../../support/portal.js';

describe('Resources: pages', function () {
  this.timeout(60_000);
  let portal: Portal;
  let trainer: PortalClient;
  let uo: PortalClient;
  let ilo: PortalClient;
  let itemId: string;
  let videoId: string;
  let sessionId: string;
  const title = `Pages check <script>alert(1)</script> ${tag()}`;

  const page = (client: PortalClient, path: string) => client.request<string>('GET', path, { headers: { accept: 'text/html' } });

  before(async () => {
    portal = await sharedPortal();
    const agency = await makeAgency();
    trainer = await (await makeOfficer(portal, 'trainer', await theCbi())).signIn();
    ilo = await (await makeOfficer(portal, 'ilo', agency)).signIn();
    uo = await (await makeOfficer(portal, 'uo', agency, await makeUnit(agency))).signIn();
    itemId = String((await publish(trainer, { title, category: 'manuals-sops', tags: ['pages'] }, await samplePdf(1), 'a.pdf')).body['id']);
    videoId = String((await publish(trainer, { title: `Video ${tag()}`, category: 'videos' }, sampleMp4(1000), 'v.mp4', 'video/mp4')).body['id']);
    const start = new Date(now().getTime() + 86_400_000);
    const session = await trainer.request<{ id: string }>('POST', '/api/training/sessions', {
      json: { title: `Session ${title}`, mode: 'in-person', venue: 'CBI Academy', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString(), capacity: 3, materials: [itemId] },
    });
    sessionId = session.body.id;
  });

  it('renders the library, publishing, reports and training pages for a trainer', async () => {
    for (const path of ['/resources', '/resources/new', '/resources/reports', `/resources/items/${itemId}`, `/resources/items/${videoId}`, '/training', '/training?when=past', '/training/new', `/training/sessions/${sessionId}`]) {
      const answer = await page(trainer, path);
      expect(answer.status, path).to.equal(200);
      // Titles are escaped wherever they are shown.
      expect(answer.body, path).not.to.contain('<script>alert(1)</script>');
    }
    expect((await page(trainer, `/resources/items/${itemId}`)).body).to.contain('data-version-form');
    expect((await page(trainer, `/resources/items/${videoId}`)).body).to.contain('data-preview="video"');
  });

  it('shows officers what is theirs, and neither the publishing nor the scheduling page', async () => {
    const library = await page(uo, '/resources?q=pages+check');
    expect(library.body).to.contain('Pages check &lt;script&gt;');
    expect(library.body).not.to.contain('Publish a document');
    expect((await page(uo, '/resources?q=nothing-matches-this')).body).to.contain('Nothing in the library matches this search');
    expect((await page(uo, `/resources/items/${itemId}`)).body).not.to.contain('data-version-form');
    for (const path of ['/resources/new', '/training/new', '/resources/reports']) expect((await page(uo, path)).status, path).to.equal(403);
    // An ILO gets the list of its units' officers to enrol them.
    expect((await page(ilo, `/training/sessions/${sessionId}`)).body).to.contain('Enrol your units’ officers');
    expect((await page(uo, `/training/sessions/${sessionId}`)).body).to.contain(`/resources/items/${itemId}`);
  });
});
