import { expect } from 'chai';
import { RateLimiter } from '../../server/realtime/rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then refuses until tokens refill', async () => {
    const limiter = new RateLimiter(20, 3);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).to.deep.equal([true, true, true, false]);
    expect(limiter.take('b'), 'each key has its own bucket').to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 120)); // 20/s: two tokens back
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).to.deep.equal([true, true, false]);
  });

  it('takes back nothing for what was given back, and never grows past the burst', () => {
    const limiter = new RateLimiter(0.001, 2);
    expect(limiter.take('a')).to.equal(true);
    expect(limiter.take('a')).to.equal(true);
    expect(limiter.take('a')).to.equal(false);
    limiter.giveBack('a');
    expect(limiter.take('a'), 'a refused send did not count').to.equal(true);
    limiter.giveBack('a');
    limiter.giveBack('a');
    limiter.giveBack('a');
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).to.deep.equal([true, true, false]);
  });
});
