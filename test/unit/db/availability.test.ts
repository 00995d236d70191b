import { expect } from 'chai';
import mongoose from 'mongoose';
import { databaseOutage, markDatabaseDown, markDatabaseUp } from '../../../server/db/availability.js';
import { AppError } from '../../../server/errors.js';

describe('database outages as clients see them', () => {
  afterEach(() => markDatabaseUp());

  it('answers an unreachable database with the retryable database-unavailable, whatever the driver threw', () => {
    const { MongoBulkWriteError, MongoNetworkError, MongoNotConnectedError } = mongoose.mongo;
    const closed = new MongoNetworkError('connection 10 to 127.0.0.1:33107 closed');
    // What insertMany throws when the database dies under it: the network error, wrapped.
    const bulk = new MongoBulkWriteError(closed, {} as ConstructorParameters<typeof MongoBulkWriteError>[1]);
    for (const error of [closed, new MongoNotConnectedError('client was closed'), bulk]) {
      const outage = databaseOutage(error);
      expect(outage, error.name).to.be.instanceOf(AppError);
      expect(outage).to.include({ status: 503, code: 'database-unavailable' });
    }
  });

  it('leaves other failures alone while the database is up, and maps every failure while it is known down', () => {
    const bug = new TypeError('cannot read properties of undefined');
    const duplicate = new mongoose.mongo.MongoServerError({ message: 'E11000 duplicate key error', code: 11000 });
    expect(databaseOutage(duplicate)).to.equal(undefined);
    expect(databaseOutage(bug)).to.equal(undefined);
    expect(databaseOutage(new AppError(403, 'forbidden', 'no'))).to.equal(undefined);
    markDatabaseDown();
    expect(databaseOutage(bug)).to.include({ code: 'database-unavailable' });
    expect(databaseOutage(new AppError(403, 'forbidden', 'no')), 'a refusal stays a refusal').to.equal(undefined);
  });
});
