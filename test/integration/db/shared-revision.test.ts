import { expect } from 'chai';
import mongoose from 'mongoose';
import { SharedRevision } from '../../../server/shared/shared-revision.js';
import { tag } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';

describe('a shared revision', () => {
  let database: mongoose.Connection;

  before(async () => {
    await sharedPortal();
    // A database of its own, so the counters' collection does not exist yet (as on a new portal).
    database = mongoose.connection.useDb(`revision_${tag().toLowerCase()}`, { useCache: false });
  });
  after(async () => {
    await database.dropDatabase();
  });

  it('takes every bump when many arrive at once on a new database (no duplicate-key failure), and moves on', async () => {
    const revision = new SharedRevision('channels', database);
    expect(await revision.read()).to.equal(0);
    const bumps = await Promise.allSettled(Array.from({ length: 200 }, () => revision.bump()));
    expect(bumps.filter((bump) => bump.status === 'rejected').map((bump) => String((bump).reason))).to.deep.equal([]);
    const after = await revision.read();
    expect(after).to.be.greaterThan(0);
    await revision.bump();
    expect(await revision.read()).to.be.greaterThan(after);
  });
});
