import { expect } from 'chai';
import { ChannelCursors, SeqCursor, type ResyncAnswer } from '../../../server/shared/channel-cursors.js';

interface M {
  channel: string;
  seq: number;
}
const m = (seq: number, channel = 'c'): M => ({ channel, seq });

describe('SeqCursor: a missed message told from a gap', () => {
  it('moves on over consecutive numbers and not past a hole', () => {
    const cursor = new SeqCursor(10);
    expect(cursor.receive(11)).to.equal(true);
    expect(cursor.receive(13)).to.equal(true);
    expect(cursor.complete).to.equal(11);
    expect(cursor.hasHole).to.equal(true);
    expect(cursor.receive(12)).to.equal(true);
    expect(cursor.complete).to.equal(13);
    expect(cursor.hasHole).to.equal(false);
  });

  it('refuses a number received before', () => {
    const cursor = new SeqCursor(0);
    cursor.receive(1);
    cursor.receive(3);
    expect(cursor.receive(1)).to.equal(false);
    expect(cursor.receive(3)).to.equal(false);
  });

  it('settles the numbers a resync answer covers as gaps, and only those', () => {
    const cursor = new SeqCursor(10);
    cursor.receive(15);
    cursor.settle(12); // 11 and 12 are gaps; 13 and 14 may still come
    expect(cursor.complete).to.equal(12);
    expect(cursor.hasHole).to.equal(true);
    cursor.settle(14, 12);
    expect(cursor.complete).to.equal(15);
    expect(cursor.hasHole).to.equal(false);
  });

  it('takes an answer for a later page as saying nothing below where it started', () => {
    const cursor = new SeqCursor(10);
    cursor.settle(30, 20); // 21..30 settled; 11..20 unknown
    expect(cursor.complete).to.equal(10);
    expect(cursor.receive(25)).to.equal(false);
    cursor.settle(20);
    expect(cursor.complete).to.equal(30);
  });
});

describe('ChannelCursors: every message once, resync from the first hole', () => {
  /** A server holding messages; `settled` is what its resync answers call final. */
  function server(stored: number[], settled: (after: number) => number, pageSize = 100) {
    const asked: number[] = [];
    const resync = (channel: string, after: number): Promise<ResyncAnswer<M>> => {
      asked.push(after);
      const later = stored.filter((seq) => seq > after).sort((a, b) => a - b);
      return Promise.resolve({
        messages: later.slice(0, pageSize).map((seq) => m(seq, channel)),
        hasMore: later.length > pageSize,
        settledSeq: Math.max(after, settled(after)),
      });
    };
    return { asked, resync };
  }

  it('never skips a lower message that arrives after a higher one', async () => {
    const delivered: number[] = [];
    const backend = server([1, 2, 3, 4], () => 0);
    const cursors = new ChannelCursors<M>({ resync: backend.resync, deliver: (message) => delivered.push(message.seq), holeWaitMs: 10_000 });
    cursors.follow('c', 0);
    cursors.receive(m(1));
    cursors.receive(m(4)); // 2 and 3 are on their way from another process
    await cursors.resyncAll(); // a reconnect: asks from the first hole, not from 4
    expect(backend.asked).to.deep.equal([1]);
    expect(delivered).to.deep.equal([1, 4, 2, 3]);
    expect(cursors.cursor('c')?.complete).to.equal(4);
    cursors.close();
  });

  it('resyncs a hole by itself after a short wait, and settles a gap when the server says so', async () => {
    const delivered: number[] = [];
    // 2 was never stored (a crashed batch); the server calls everything up to 3 final.
    const backend = server([1, 3], () => 3);
    const cursors = new ChannelCursors<M>({ resync: backend.resync, deliver: (message) => delivered.push(message.seq), holeWaitMs: 20 });
    cursors.follow('c', 0);
    cursors.receive(m(1));
    cursors.receive(m(3));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(backend.asked).to.deep.equal([1]);
    expect(cursors.cursor('c')?.complete).to.equal(3);
    expect(cursors.cursor('c')?.hasHole).to.equal(false);
    expect(delivered).to.deep.equal([1, 3]);
    cursors.close();
  });

  it('asks again while a hole is not settled yet', async () => {
    let settled = 1;
    const backend = server([1, 3], () => settled);
    const cursors = new ChannelCursors<M>({ resync: backend.resync, deliver: () => undefined, holeWaitMs: 10, retryMs: 20 });
    cursors.follow('c', 0);
    cursors.receive(m(1));
    cursors.receive(m(3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cursors.cursor('c')?.hasHole).to.equal(true);
    settled = 3;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cursors.cursor('c')?.hasHole).to.equal(false);
    expect(backend.asked.length).to.be.greaterThan(1);
    cursors.close();
  });

  it('reads page after page, each from the last message of the one before', async () => {
    const delivered: number[] = [];
    const stored = Array.from({ length: 25 }, (_, index) => index + 1).filter((seq) => seq !== 7);
    const backend = server(stored, () => 25, 10);
    const cursors = new ChannelCursors<M>({ resync: backend.resync, deliver: (message) => delivered.push(message.seq) });
    cursors.follow('c', 0);
    await cursors.resync('c');
    expect(backend.asked).to.deep.equal([0, 11, 21]);
    expect(delivered).to.deep.equal(stored);
    expect(cursors.cursor('c')?.complete).to.equal(25);
    cursors.close();
  });
});
