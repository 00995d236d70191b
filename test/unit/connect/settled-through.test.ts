import { expect } from 'chai';
import { SETTLE_MS, settledThrough } from '../../../server/modules/connect/connect.service.js';
import type { MessageView } from '../../../server/modules/connect/message-view.js';

describe('settledThrough: up to where a resync answer is final', () => {
  const readAt = Date.parse('2026-12-04T10:00:00Z');
  const at = (seq: number, msAgo: number): MessageView => ({ seq, createdAt: new Date(readAt - msAgo).toISOString() }) as MessageView;

  it('is final up to the last message dated more than the settling time before the read', () => {
    expect(settledThrough([at(11, SETTLE_MS + 5_000), at(14, SETTLE_MS), at(15, SETTLE_MS - 1)], 10, readAt)).to.equal(14);
  });

  it('says nothing past where it was asked from while every message is recent', () => {
    expect(settledThrough([at(15, 1_000)], 10, readAt)).to.equal(10);
    expect(settledThrough([], 10, readAt)).to.equal(10);
  });
});
