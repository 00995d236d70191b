import { expect } from 'chai';
import { BulkRefreshingCache } from '../../server/shared/bulk-refreshing-cache.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A source of `key@version` values that records every read and can be held back. */
function source() {
  const reads: string[][] = [];
  let version = 1;
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;
  return {
    reads,
    bump: () => (version += 1),
    hold: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => {
      gate = undefined;
      open();
    },
    loadMany: async (keys: string[]): Promise<Map<string, string>> => {
      reads.push([...keys].sort());
      const at = version;
      if (gate) await gate;
      return new Map(keys.filter((key) => !key.startsWith('missing')).map((key) => [key, `${key}@${at}`]));
    },
  };
}

describe('BulkRefreshingCache', () => {
  it('reads keys asked for together in one read, and answers from the cache while fresh', async () => {
    const data = source();
    const cache = new BulkRefreshingCache(data.loadMany, 10_000);
    expect(await Promise.all(['a', 'b', 'missing', 'a'].map((key) => cache.get(key)))).to.deep.equal(['a@1', 'b@1', undefined, 'a@1']);
    expect(await cache.get('b')).to.equal('b@1');
    expect(await cache.get('missing')).to.equal(undefined);
    expect(data.reads).to.deep.equal([['a', 'b', 'missing']]);
  });

  it('answers a value past its age at once and reads every value due again in one read', async () => {
    const data = source();
    const cache = new BulkRefreshingCache(data.loadMany, 100);
    await Promise.all(['a', 'b', 'c'].map((key) => cache.get(key)));
    await sleep(70);
    await cache.get('d'); // read later: not yet due when the others are
    await sleep(40);
    data.bump();
    data.hold();
    expect(await cache.get('a')).to.equal('a@1');
    expect(await cache.get('b')).to.equal('b@1');
    data.release();
    await sleep(10);
    expect(data.reads.slice(1)).to.deep.equal([['d'], ['a', 'b', 'c']]);
    expect(await Promise.all(['a', 'b', 'c', 'd'].map((key) => cache.get(key)))).to.deep.equal(['a@2', 'b@2', 'c@2', 'd@1']);
  });

  it('keeps no read that started before forget(): the next caller waits for a fresh one', async () => {
    const data = source();
    const cache = new BulkRefreshingCache(data.loadMany, 10_000);
    data.hold();
    const before = cache.get('a');
    await sleep(5);
    data.bump();
    cache.forget('a');
    data.release();
    expect(await before).to.equal('a@1');
    expect(await cache.get('a')).to.equal('a@2');
    expect(data.reads).to.have.length(2);
  });

  it('keeps its values when a refresh fails, and tries again', async () => {
    let fail = false;
    let reads = 0;
    const cache = new BulkRefreshingCache((keys: string[]) => {
      reads += 1;
      if (fail) return Promise.reject(new Error('database down'));
      return Promise.resolve(new Map(keys.map((key) => [key, `${key}@${reads}`])));
    }, 20);
    expect(await cache.get('a')).to.equal('a@1');
    await sleep(30);
    fail = true;
    expect(await cache.get('a')).to.equal('a@1');
    await sleep(5);
    fail = false;
    expect(await cache.get('a')).to.equal('a@1');
    await sleep(5);
    expect(await cache.get('a')).to.equal('a@3');
  });
});
