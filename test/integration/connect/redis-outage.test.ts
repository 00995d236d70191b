import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { connectUser } from '../../support/connect-client.js';
import { withCrypto } from '../../support/crypto-officer.js';
import { demoOfficer } from '../../support/demo-officer.js';
import { testDatabaseUri } from '../../support/global-fixtures.js';
import { startRedis } from '../../support/redis-server.js';
import { eventually, spawnServer, type ServerProcess } from '../../support/server-process.js';

describe('Connect while Redis is away', function () {
  this.timeout(120_000);
  let server: ServerProcess | undefined;
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  const database = `redis_outage_${randomBytes(4).toString('hex')}`;

  after(async () => {
    server?.child.kill('SIGTERM');
    const killer = setTimeout(() => server?.child.kill('SIGKILL'), 10_000);
    await server?.exited;
    clearTimeout(killer);
    await redis?.stop();
    const client = await MongoClient.connect(testDatabaseUri());
    await client.db(database).dropDatabase();
    await client.close();
  });

  it('refuses sends at once with a retryable error, tells the officers, and takes the same send again once it is back', async () => {
    redis = await startRedis();
    server = spawnServer({
      PORT: '0',
      MONGODB_URI: testDatabaseUri(),
      MONGODB_DB: database,
      APP_SECRET: 'redis-outage-test-secret-0123456789-abcdefghijklmnop',
      REDIS_URL: redis.url,
      DEMO_DATA: 'true',
      LOG_LEVEL: 'info',
    });
    const url = String((await server.waitForLog((line) => line['msg'] === 'listening'))['url']);
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

    redis = await startRedis(redis.port);
    expect(await eventually(() => ilo.events.some((event) => event.name === 'system:restored'), 15_000)).to.equal(true);
    const again = await ilo.send(units, 'during the outage', { clientId: 'sent-during-outage-01' });
    expect(again.data?.seq).to.equal((first.data?.seq ?? 0) + 1);
    expect(again.data?.duplicate).to.equal(false);
    ilo.socket.disconnect();
  });
});
