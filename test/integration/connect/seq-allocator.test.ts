import { expect } from 'chai';
import mongoose from 'mongoose';
import { SeqCounter } from '../../../server/modules/connect/channel.model.js';
import { LocalSeqAllocator } from '../../../server/modules/connect/seq-allocator.js';
import { sharedPortal } from '../../support/portal.js';

describe('LocalSeqAllocator (one process, numbers in memory, ceilings saved ahead)', () => {
  before(() => sharedPortal());

  it('saves the ceilings of many channels starting at once in a few writes, and a crashed process starts above every number handed out', async () => {
    const channels = Array.from({ length: 200 }, () => new mongoose.Types.ObjectId().toHexString());
    const writes: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === SeqCounter.collection.collectionName) writes.push(method);
    });
    const allocator = new LocalSeqAllocator();
    let firsts: number[];
    try {
      firsts = await Promise.all(channels.map((channel, index) => allocator.reserve(channel, 1 + (index % 3))));
    } finally {
      mongoose.set('debug', false);
    }
    expect(firsts.every((first) => first === 1), 'each channel starts at 1').to.equal(true);
    expect(writes.filter((method) => method === 'updateOne').length, `${writes.length} writes`).to.be.within(1, 5);

    // No flush (a crash): a new process starts above everything handed out, in every channel.
    const restarted = new LocalSeqAllocator();
    const after = await Promise.all(channels.map((channel) => restarted.reserve(channel, 1)));
    channels.forEach((_, index) => expect(after[index]).to.be.greaterThan(1 + (index % 3)));
    // A clean stop saves the exact last number: the next process goes on without a gap.
    await restarted.flush();
    const next = await new LocalSeqAllocator().reserve(channels[0]!, 1);
    expect(next).to.equal(after[0]! + 1);
  });
});
