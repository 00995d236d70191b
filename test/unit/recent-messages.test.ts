import { expect } from 'chai';
import type { MessageView } from '../../server/modules/connect/message-view.js';
import { RecentMessages } from '../../server/modules/connect/recent-messages.js';

const message = (channel: string, seq: number, threadRoot?: number): MessageView => ({
  id: `${channel}-${seq}`,
  channel,
  seq,
  clientId: `c${seq}`,
  sender: 'a',
  senderFingerprint: 'f',
  epoch: 1,
  body: 'b'.repeat(50),
  keyPackets: 'k'.repeat(50),
  ...(threadRoot ? { threadRoot } : {}),
  createdAt: new Date(0).toISOString(),
});
const seqs = (page: { messages: readonly MessageView[] } | undefined): number[] | undefined => page?.messages.map((item) => item.seq);

describe('RecentMessages (the newest messages kept in memory)', () => {
  it('answers only what it holds completely: after the first message it saw stored', () => {
    const recent = new RecentMessages();
    expect(recent.after('c', 0, 10), 'nothing known yet').to.equal(undefined);
    recent.stored([message('c', 5), message('c', 6), message('c', 7)]);
    expect(seqs(recent.after('c', 4, 10))).to.deep.equal([5, 6, 7]);
    expect(seqs(recent.after('c', 6, 10))).to.deep.equal([7]);
    expect(seqs(recent.after('c', 7, 10))).to.deep.equal([]);
    expect(recent.after('c', 3, 10), 'seq 4 may be stored but is not here').to.equal(undefined);
    expect(recent.after('c', 4, 2)).to.deep.include({ hasMore: true });
  });

  it('joins a complete database read to what was stored meanwhile, unless the channel was dropped during the read', () => {
    const recent = new RecentMessages();
    const before = recent.generation('c');
    recent.stored([message('c', 11)]); // stored while the read (of 1..10) ran
    recent.joinRead('c', 0, [1, 2, 3, 10].map((seq) => message('c', seq)), before);
    expect(seqs(recent.after('c', 0, 50))).to.deep.equal([1, 2, 3, 10, 11]);

    const stale = recent.generation('d');
    recent.stored([message('d', 3)]);
    recent.forget('d');
    recent.stored([message('d', 4)]);
    recent.joinRead('d', 0, [message('d', 1)], stale);
    expect(recent.after('d', 0, 50), 'a read from before the drop is not joined').to.equal(undefined);
    expect(seqs(recent.after('d', 3, 50))).to.deep.equal([4]);
  });

  it('keeps a message a database read brought before the writer told it, once', () => {
    const recent = new RecentMessages();
    recent.joinRead('c', 0, [message('c', 1), message('c', 2)], recent.generation('c'));
    recent.stored([message('c', 2), message('c', 3)]);
    expect(seqs(recent.after('c', 0, 10))).to.deep.equal([1, 2, 3]);
  });

  it('keeps at most so many messages per channel and so many bytes overall, least recently used first out', () => {
    const recent = new RecentMessages(3, 2_000);
    recent.stored([1, 2, 3, 4, 5].map((seq) => message('c', seq)));
    expect(seqs(recent.after('c', 2, 10))).to.deep.equal([3, 4, 5]);
    expect(recent.after('c', 1, 10)).to.equal(undefined);
    recent.stored([message('d', 1)]);
    recent.after('c', 2, 10); // c used after d
    recent.stored([message('e', 1), message('e', 2)]); // 400 bytes each: over 2,000 with c, d and e
    expect(recent.after('d', 0, 10), 'least recently used, dropped').to.equal(undefined);
    expect(seqs(recent.after('c', 2, 10))).to.deep.equal([3, 4, 5]);
    expect(seqs(recent.after('e', 0, 10))).to.deep.equal([1, 2]);
  });

  it('pages the main conversation and threads newest first, and defers to the database when a page may be incomplete', () => {
    const recent = new RecentMessages();
    recent.joinRead('c', 0, [message('c', 1), message('c', 2), message('c', 3, 1), message('c', 4), message('c', 5, 1)], recent.generation('c'));
    expect(seqs(recent.before('c', null, undefined, 10))).to.deep.equal([4, 2, 1]);
    expect(seqs(recent.before('c', 1, undefined, 10))).to.deep.equal([5, 3]);
    expect(recent.before('c', null, 4, 1)).to.deep.include({ hasMore: true });
    expect(seqs(recent.before('c', null, 4, 1))).to.deep.equal([2]);

    const partial = new RecentMessages();
    partial.stored([message('p', 8), message('p', 9)]);
    expect(seqs(partial.before('p', null, undefined, 1)), 'a full page is here').to.deep.equal([9]);
    expect(partial.before('p', null, undefined, 5), 'older messages may exist').to.equal(undefined);
  });
});
