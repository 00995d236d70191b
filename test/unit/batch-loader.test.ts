import { expect } from 'chai';
import { BatchLoader } from '../../server/shared/batch-loader.js';

describe('BatchLoader', () => {
  it('reads the keys asked for in the same turn together, each once, and answers each caller', async () => {
    const batches: string[][] = [];
    const loader = new BatchLoader((keys) => {
      batches.push(keys);
      return Promise.resolve(new Map(keys.filter((key) => key !== 'missing').map((key) => [key, key.toUpperCase()])));
    });
    const answers = await Promise.all(['a', 'b', 'a', 'missing'].map((key) => loader.load(key)));
    expect(answers).to.deep.equal(['A', 'B', 'A', undefined]);
    expect(batches).to.deep.equal([['a', 'b', 'missing']]);
    expect(await loader.load('c')).to.equal('C');
    expect(batches, 'a later turn is a new read').to.have.length(2);
  });

  it('fails every caller of a batch whose read failed, and reads again next time', async () => {
    let fail = true;
    const loader = new BatchLoader((keys) => (fail ? Promise.reject(new Error('database down')) : Promise.resolve(new Map(keys.map((key) => [key, 1])))));
    const failed = await Promise.allSettled([loader.load('a'), loader.load('b')]);
    expect(failed.map((result) => result.status)).to.deep.equal(['rejected', 'rejected']);
    fail = false;
    expect(await loader.load('a')).to.equal(1);
  });
});
