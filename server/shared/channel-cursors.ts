/**
 * How a Connect client keeps every message of its channels, shared by the browser page and Node
 * clients (tests, benchmarks, the fault script).
 *
 * Sequence numbers are increasing but not gapless: a number reserved by a batch that failed, or
 * by a process that crashed, is never used. And with several server processes, a message can
 * arrive before one with a lower number that another process is still storing. So a client must
 * tell a missed message from a gap, and must never skip a missed message because a later one
 * arrived first. Per channel it keeps `complete`, the number up to which it has every message or
 * knows the number is a gap, and the numbers received above it. A resync asks from `complete`
 * (the first hole), never from the highest number seen; its answer's `settledSeq` says up to which
 * number what was not delivered is a gap.
 */

/** What the cursors need of a message. */
export interface Sequenced {
  readonly channel: string;
  readonly seq: number;
}

/** What a resync answers (the `channel:sync` contract). */
export interface ResyncAnswer<M extends Sequenced> {
  readonly messages: readonly M[];
  readonly hasMore: boolean;
  readonly settledSeq: number;
}

/** One channel's numbers: complete up to `complete`, and those known (received or gaps) above it. */
export class SeqCursor {
  #complete: number;
  readonly #known = new Set<number>();

  constructor(complete = 0) {
    this.#complete = complete;
  }

  /** Every number up to this one is received or known to be a gap. */
  get complete(): number {
    return this.#complete;
  }

  /** Whether a number below one received is still missing. */
  get hasHole(): boolean {
    return this.#known.size > 0;
  }

  /** Records a received number; false when it was received before (or is a known gap). */
  receive(seq: number): boolean {
    if (seq <= this.#complete || this.#known.has(seq)) return false;
    this.#known.add(seq);
    this.#advance();
    return true;
  }

  /**
   * Records a resync answer from `after`: every number in (after, settledSeq] not received is a
   * gap. (Says nothing of the numbers up to `after`.)
   */
  settle(settledSeq: number, after = this.#complete): void {
    if (after <= this.#complete) {
      if (settledSeq <= this.#complete) return;
      this.#complete = settledSeq;
      for (const known of this.#known) if (known <= settledSeq) this.#known.delete(known);
    } else {
      for (let seq = after + 1; seq <= settledSeq; seq += 1) this.#known.add(seq);
    }
    this.#advance();
  }

  #advance(): void {
    while (this.#known.delete(this.#complete + 1)) this.#complete += 1;
  }
}

export interface ChannelCursorsOptions<M extends Sequenced> {
  /** Asks the server for the messages after `afterSeq` (`channel:sync`). */
  readonly resync: (channel: string, afterSeq: number) => Promise<ResyncAnswer<M>>;
  /** Called once per message not seen before, live or from a resync, in the order learnt. */
  readonly deliver: (message: M) => void;
  /** How long a hole may stay before a resync (a lower number may be on its way). */
  readonly holeWaitMs?: number;
  /** How long before asking again while a hole is not settled yet. */
  readonly retryMs?: number;
  /** Told when a resync fails (it is tried again after `retryMs`). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A client's channels: delivers each message once, notices holes, and resyncs a channel from its
 * first hole after a short wait (and again until the hole is filled or settled as a gap).
 */
export class ChannelCursors<M extends Sequenced> {
  readonly #cursors = new Map<string, SeqCursor>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #holeWaitMs: number;
  readonly #retryMs: number;
  #closed = false;

  constructor(private readonly options: ChannelCursorsOptions<M>) {
    this.#holeWaitMs = options.holeWaitMs ?? 1_500;
    this.#retryMs = options.retryMs ?? 5_000;
  }

  /** Starts following a channel whose messages up to `complete` the client has (or does not want). */
  follow(channel: string, complete: number): void {
    const cursor = this.#cursors.get(channel);
    if (cursor) cursor.settle(complete, 0);
    else this.#cursors.set(channel, new SeqCursor(complete));
  }

  /** The channel's cursor, if followed. */
  cursor(channel: string): SeqCursor | undefined {
    return this.#cursors.get(channel);
  }

  /** A message that arrived live; delivered unless seen before. Returns whether it was new. */
  receive(message: M): boolean {
    const cursor = this.#cursorOf(message.channel);
    if (!cursor.receive(message.seq)) return false;
    this.options.deliver(message);
    if (cursor.hasHole) this.#schedule(message.channel, this.#holeWaitMs);
    return true;
  }

  /** Resyncs every channel from its first hole (after a reconnect). */
  async resyncAll(): Promise<void> {
    await Promise.all([...this.#cursors.keys()].map((channel) => this.resync(channel)));
  }

  /** Resyncs one channel from its first hole, page by page; one at a time per channel. */
  resync(channel: string): Promise<void> {
    clearTimeout(this.#timers.get(channel));
    this.#timers.delete(channel);
    const running = this.#running.get(channel);
    if (running) return running.then(() => this.resync(channel));
    const run = this.#resync(channel).finally(() => this.#running.delete(channel));
    this.#running.set(channel, run);
    return run;
  }

  /** Stops the timers (the client is going away). */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #resync(channel: string): Promise<void> {
    const cursor = this.#cursorOf(channel);
    try {
      let after = cursor.complete;
      for (;;) {
        const answer = await this.options.resync(channel, after);
        for (const message of answer.messages) {
          if (cursor.receive(message.seq)) this.options.deliver(message);
        }
        const last = answer.messages.at(-1)?.seq ?? after;
        // A page cut short says nothing beyond its last message.
        cursor.settle(answer.hasMore ? Math.min(answer.settledSeq, last) : answer.settledSeq, after);
        // The next page follows this one's last message (an answer that did not move ends it).
        if (!answer.hasMore || last <= after) break;
        after = last;
      }
    } catch (error) {
      this.options.onError?.(error);
      this.#schedule(channel, this.#retryMs);
      return;
    }
    if (cursor.hasHole) this.#schedule(channel, this.#retryMs);
  }

  #schedule(channel: string, delayMs: number): void {
    if (this.#closed || this.#timers.has(channel)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(channel);
      void this.resync(channel);
    }, delayMs);
    (timer as { unref?: () => void }).unref?.();
    this.#timers.set(channel, timer);
  }

  #cursorOf(channel: string): SeqCursor {
    let cursor = this.#cursors.get(channel);
    if (!cursor) {
      cursor = new SeqCursor();
      this.#cursors.set(channel, cursor);
    }
    return cursor;
  }
}
