import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { cluster, type Topology } from '../../../scripts/faults/topology.js';
import { verdict } from '../../../scripts/faults/verdict.js';
import { ConnectWorkload } from '../../../scripts/faults/workload.js';
import { testDatabaseUri } from '../../support/global-fixtures.js';
import { eventually } from '../../support/server-process.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Two portals behind HAProxy under load: a rolling restart, then one killed', function () {
  this.timeout(300_000);
  let dir: string;
  let topology: Topology | undefined;
  let workload: ConnectWorkload | undefined;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-rolling-'));
  });
  after(async () => {
    workload?.close();
    await topology?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('loses and duplicates nothing acknowledged, and every member of every channel receives every message', async () => {
    topology = await cluster(dir, { databaseUri: testDatabaseUri() });
    workload = await ConnectWorkload.open(topology.url);
    expect(workload.channels.length, 'channels shared by demo officers').to.be.at.least(4);
    workload.start(40);
    await sleep(3_000);
    for (const portal of topology.portals) {
      await portal.kill('SIGTERM');
      await portal.start();
      expect(await eventually(() => portal.ready(), 10_000)).to.equal(true);
      await sleep(3_000); // HAProxy's checks see it again before the next one goes
    }
    // One dies without draining: what it had not acknowledged is sent again through the other.
    const [first] = topology.portals;
    await first!.kill('SIGKILL');
    await sleep(2_000);
    await first!.start();
    await sleep(2_000);
    await workload.stop();
    await workload.settle();
    const result = await verdict(workload, topology.databaseUri(), topology.databaseName);
    expect(result.acknowledged, 'messages acknowledged during the run').to.be.greaterThan(300);
    expect(result.reconnects, 'sockets moved to the other portal').to.be.greaterThan(0);
    expect({
      lost: result.lost,
      duplicated: result.duplicated,
      neverReceived: result.neverReceived,
      disagreeing: result.disagreeing,
      givenUp: result.givenUp,
      refused: result.refused,
    }).to.deep.equal({ lost: 0, duplicated: 0, neverReceived: 0, disagreeing: 0, givenUp: 0, refused: '-' });
  });
});
