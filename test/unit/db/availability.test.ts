import { expect } from 'chai';
import mongoose from 'mongoose';
import { databaseOutage, markDatabaseDown, markDatabaseUp } from '../../../server/db/availability.js';
import { AppError } from '../../../server/errors.js';

describe('database outages as clients see them', () => {
  afterEach(() => markDatabaseUp());

  it('answers an unreachable database with the retryable database-unavailable, whatever the driver threw', () => {
    const { MongoNetworkError, MongoNotConnectedError } = mongoose.mongo;
    for (const error of [new MongoNetworkError('connection 3 to 127.0.0.1:41001 closed'), new MongoNotConnectedError('client was closed')]) {
      const outage = databaseOutage(error);
      expect(outage, error.name).to.be.instanceOf(AppError);
      expect(outage).to.include({ status: 503, code: 'database-unavailable' });
    }
  });

  it('leaves other failures alone while the database is up, and maps every failure while it is known down', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(databaseOutage(bug)).to.equal(undefined);
    expect(databaseOutage(new AppError(403, 'forbidden', 'no'))).to.equal(undefined);
    markDatabaseDown();
    expect(databaseOutage(bug)).to.include({ code: 'database-unavailable' });
    expect(databaseOutage(new AppError(403, 'forbidden', 'no')), 'a refusal stays a refusal').to.equal(undefined);
  });
});
