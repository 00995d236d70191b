import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { cluster, type Topology } from '../../../scripts/faults/topology.js';
import { connectUser } from '../../support/connect-client.js';
import { withCrypto } from '../../support/crypto-officer.js';
import { demoOfficer } from '../../support/demo-officer.js';
import { testDatabaseUri } from '../../support/global-fixtures.js';
import { eventually } from '../../support/server-process.js';

describe('Connect while Redis is away', function () {
  this.timeout(120_000);
  let dir: string;
  let topology: Topology | undefined;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-redis-outage-'));
  });
  after(async () => {
    await topology?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses sends at once with a retryable error, tells the officers, and takes the same send again once it is back', async () => {
    topology = await cluster(dir, { count: 1, databaseUri: testDatabaseUri(), proxy: false });
    const { url } = topology;
    const redis = topology.redis!;
    const ilo = await connectUser(await withCrypto(demoOfficer(() => url, 'ilo.mh')));
    const units =
      (await ilo.officer.client.request<{ channels: { id: string; kind: string }[] }>('GET', '/api/channels')).body.channels.find(
        (channel) => channel.kind === 'agency-units',
      )?.id ?? '';
    await ilo.reconnect();
    const first = await ilo.send(units, 'before the outage');
    expect(first.data?.seq).to.be.a('number');

    await redis.stop();
    expect(await eventually(() => ilo.events.some((event) => event.name === 'system:degraded'), 5_000)).to.equal(true);
    const started = performance.now();
    const refused = await ilo.send(units, 'during the outage', { clientId: 'sent-during-outage-01' });
    expect(performance.now() - started).to.be.below(1_000);
    expect(refused.error?.code).to.equal('realtime-unavailable');

    await redis.restart();
    expect(await eventually(() => ilo.events.some((event) => event.name === 'system:restored'), 15_000)).to.equal(true);
    const again = await ilo.send(units, 'during the outage', { clientId: 'sent-during-outage-01' });
    expect(again.data?.seq).to.equal((first.data?.seq ?? 0) + 1);
    expect(again.data?.duplicate).to.equal(false);
    ilo.socket.disconnect();
  });
});
