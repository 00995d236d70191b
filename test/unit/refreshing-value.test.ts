import { expect } from 'chai';
import { RefreshingValue } from '../../server/shared/refreshing-value.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A load that answers 1, 2, 3… and can be held back until released. */
function counter(): { load: () => Promise<number>; calls: () => number; release: () => void; hold: () => void; holdNoMore: () => void } {
  let calls = 0;
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;
  return {
    load: async () => {
      calls += 1;
      const value = calls;
      if (gate) await gate;
      return value;
    },
    calls: () => calls,
    hold: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => {
      gate = undefined;
      open();
    },
    /** Later loads answer at once; the held ones stay held until release. */
    holdNoMore: () => {
      gate = undefined;
    },
  };
}

describe('RefreshingValue', () => {
  it('reads once for concurrent first callers and reuses the value while fresh', async () => {
    const source = counter();
    const value = new RefreshingValue(source.load, 10_000);
    expect(await Promise.all([value.get(), value.get(), value.get()])).to.deep.equal([1, 1, 1]);
    expect(await value.get()).to.equal(1);
    expect(source.calls()).to.equal(1);
  });

  it('answers with the old value while a refresh is under way, then with the new one', async () => {
    const source = counter();
    const value = new RefreshingValue(source.load, 20);
    expect(await value.get()).to.equal(1);
    await sleep(30);
    source.hold();
    expect(await value.get(), 'stale but not waiting').to.equal(1);
    expect(await value.get(), 'one refresh at a time').to.equal(1);
    expect(source.calls()).to.equal(2);
    source.release();
    await sleep(5);
    expect(await value.get()).to.equal(2);
  });

  it('makes callers wait for a fresh read after forget, and drops a read that began before it', async () => {
    const source = counter();
    const value = new RefreshingValue(source.load, 20);
    expect(await value.get()).to.equal(1);
    await sleep(30);
    source.hold();
    void value.get(); // starts refresh #2, held
    value.forget();
    source.holdNoMore();
    expect(await value.get(), 'a fresh read, not #2').to.equal(3);
    source.release(); // #2 lands last, and must not replace #3
    await sleep(5);
    expect(await value.get()).to.equal(3);
  });

  it('does not keep a failed read: the next caller tries again', async () => {
    let fail = true;
    const value = new RefreshingValue(() => (fail ? Promise.reject(new Error('down')) : Promise.resolve('up')), 10_000);
    let caught: unknown;
    await value.get().catch((error: unknown) => (caught = error));
    expect(caught).to.be.instanceOf(Error);
    fail = false;
    expect(await value.get()).to.equal('up');
  });

  it('with a version, reads the value again only when the version moved, or past reloadAfterMs', async () => {
    const source = counter();
    let version = 7;
    let versionReads = 0;
    const read = (): Promise<number> => {
      versionReads += 1;
      return Promise.resolve(version);
    };
    const value = new RefreshingValue(source.load, 10, { read, reloadAfterMs: 200 });
    expect(await value.get()).to.equal(1);
    await sleep(20);
    await value.get(); // stale: checks the version, which has not moved
    await sleep(5);
    expect(versionReads).to.equal(2);
    expect(source.calls(), 'not read again').to.equal(1);
    expect(await value.get(), 'fresh again after the check').to.equal(1);
    expect(versionReads).to.equal(2);

    version = 8;
    await sleep(20);
    await value.get();
    await sleep(5);
    expect(await value.get(), 'read again: the version moved').to.equal(2);

    await sleep(210);
    await value.get();
    await sleep(5);
    expect(await value.get(), 'read again: past reloadAfterMs, version unchanged').to.equal(3);
  });
});
