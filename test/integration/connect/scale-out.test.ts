import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { cluster, type Topology } from '../../../scripts/faults/topology.js';
import type { WireMessage } from '../../../server/modules/connect/connect.events.js';
import { connectUser, presenceIn } from '../../support/connect-client.js';
import { withCrypto } from '../../support/crypto-officer.js';
import { testDatabaseUri } from '../../support/global-fixtures.js';
import { eventually } from '../../support/server-process.js';
import { demoOfficer } from '../../support/demo-officer.js';

describe('Connect across two server processes with Redis', function () {
  this.timeout(120_000);
  let dir: string;
  let topology: Topology | undefined;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-scale-out-'));
  });
  after(async () => {
    await topology?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers a message sent to one process to a member connected to the other, with one sequence', async () => {
    topology = await cluster(dir, { count: 2, databaseUri: testDatabaseUri(), proxy: false });
    const [urlA = '', urlB = ''] = topology.portals.map((portal) => portal.url);
    expect(urlA).not.to.equal(urlB);

    const ilo = await connectUser(await withCrypto(demoOfficer(() => urlA, 'ilo.mh')));
    const uo = await connectUser(await withCrypto(demoOfficer(() => urlB, 'uo.mh.pune')));
    const units = (await ilo.officer.client.request<{ channels: { id: string; kind: string }[] }>('GET', '/api/channels')).body.channels.find(
      (channel) => channel.kind === 'agency-units',
    )?.id ?? '';
    await ilo.reconnect();
    await uo.reconnect();

    // Presence is the sockets' own, in every process: the ILO (on A), connecting again, is told
    // the unit officer (on B) is online; then away when B's only tab is hidden.
    const uoId = String(uo.officer.officer.account._id);
    const presenceOf = (account: string): string | undefined => presenceIn(ilo.events, account);
    ilo.events.length = 0;
    await ilo.reconnect();
    expect(await eventually(() => presenceOf(uoId) === 'online', 5000), 'told of an officer on the other process').to.equal(true);
    await uo.call('presence:set', { state: 'away' });
    expect(await eventually(() => presenceOf(uoId) === 'away', 5000)).to.equal(true);

    const seqs: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      seqs.push((await ilo.send(units, `from A ${index}`)).data?.seq ?? -1);
      seqs.push((await uo.send(units, `from B ${index}`)).data?.seq ?? -1);
    }
    await uo.waitFor(10, 10_000);
    await ilo.waitFor(10, 10_000);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).to.equal(10);
    const onB = await Promise.all(uo.received.map((message: WireMessage) => uo.open(message)));
    expect(onB, 'sent through process A, received on process B').to.include.members(['from A 0', 'from A 4']);
    uo.socket.disconnect();
    expect(await eventually(() => presenceOf(uoId) === 'offline', 5000), 'offline once their last socket anywhere is gone').to.equal(true);
    ilo.socket.disconnect();
  });
});
