import { KeyedLock } from '../../shared/keyed-lock.js';
import { Message, SeqCounter } from './channel.model.js';

/** Hands out per-channel sequence numbers, in blocks, for the message writer. */
export interface SeqAllocator {
  /** Reserves `count` consecutive numbers in `channelId`; returns the first. */
  reserve(channelId: string, count: number): Promise<number>;
  /** Forgets what it knows of a channel (another writer got ahead: re-read it). */
  resync(channelId: string): void;
  /** Saves what lets a clean restart go on without a gap (at shutdown, once writes are drained). */
  flush(): Promise<void>;
}

/** How many numbers past those handed out are saved as reserved: one write per this many messages. */
const RESERVE_AHEAD = 1_000;
const COUNTER_ID = 'connect';

/**
 * Sequence numbers kept in this process's memory, for one server process. Before handing out a
 * number, the allocator has saved a ceiling at or above it (RESERVE_AHEAD numbers at a time, in
 * one document read and written by _id), so a process that crashes never hands a number out twice
 * after it restarts: it starts above the saved ceiling, leaving the numbers it had reserved but
 * not used as a gap. A clean stop saves the exact last number instead (no gap). Clients tell such
 * gaps from missed messages by the `settledSeq` of a resync (see connect.service.ts).
 *
 * A saved ceiling can still be behind the messages stored (a database written by an older
 * version, or a second process without Redis): the unique (channel, seq) index refuses the
 * collision, the writer resyncs, and the allocator then reads the channel's highest stored number
 * once (a scan on the embedded database, so only on that path).
 */
export class LocalSeqAllocator implements SeqAllocator {
  /** Highest number handed out, per channel started since this process began. */
  readonly #allocated = new Map<string, number>();
  /** Highest number saved as reserved, per channel started. */
  readonly #ceiling = new Map<string, number>();
  /** Channels whose numbers must be re-read from the stored messages. */
  readonly #scan = new Set<string>();
  readonly #lock = new KeyedLock();
  #saved: Promise<Map<string, number>> | undefined;
  /** The next ceiling write, not started yet: the ceilings it will carry, and when it is done. */
  #queued: { values: Map<string, number>; done: Promise<void> } | undefined;
  /** The latest ceiling write (the next one starts after it). */
  #writing: Promise<void> = Promise.resolve();

  reserve(channelId: string, count: number): Promise<number> {
    return this.#lock.run(channelId, async () => {
      let allocated = this.#allocated.get(channelId);
      if (allocated === undefined || this.#scan.has(channelId)) {
        allocated = await this.#start(channelId);
        this.#scan.delete(channelId);
        this.#allocated.set(channelId, allocated);
      }
      const last = allocated + count;
      if (last > (this.#ceiling.get(channelId) ?? 0)) {
        const ceiling = last + RESERVE_AHEAD;
        await this.#saveCeiling(channelId, ceiling);
        this.#ceiling.set(channelId, ceiling);
      }
      this.#allocated.set(channelId, last);
      return allocated + 1;
    });
  }

  /**
   * Saves a channel's new ceiling together with every other channel's asked for meanwhile: one
   * update of the counter document (by _id) at a time, carrying all that waited for it, so that
   * the first messages in many channels after a start cost a few writes, not one each.
   */
  #saveCeiling(channelId: string, ceiling: number): Promise<void> {
    if (!this.#queued) {
      const values = new Map<string, number>();
      const done = this.#writing
        .catch(() => undefined)
        .then(async () => {
          this.#queued = undefined; // what is asked for from now on goes into the next write
          const fields = Object.fromEntries([...values].map(([channel, value]) => [`values.${channel}`, value]));
          await SeqCounter.updateOne({ _id: COUNTER_ID }, { $max: fields }, { upsert: true });
        });
      this.#queued = { values, done };
      this.#writing = done;
    }
    const { values, done } = this.#queued;
    values.set(channelId, Math.max(values.get(channelId) ?? 0, ceiling));
    return done;
  }

  resync(channelId: string): void {
    this.#scan.add(channelId);
  }

  async flush(): Promise<void> {
    const exact = [...this.#allocated].filter(([channelId, allocated]) => allocated < (this.#ceiling.get(channelId) ?? 0));
    if (exact.length === 0) return;
    await SeqCounter.updateOne({ _id: COUNTER_ID }, { $set: Object.fromEntries(exact.map(([channelId, seq]) => [`values.${channelId}`, seq])) }, { upsert: true });
    for (const [channelId, seq] of exact) this.#ceiling.set(channelId, seq);
  }

  /** The highest number that may have been used in the channel: where to go on from. */
  async #start(channelId: string): Promise<number> {
    if (this.#scan.has(channelId)) {
      const last = await Message.findOne({ channel: channelId }, { seq: 1 }).sort({ seq: -1 }).lean();
      const saved = await this.#savedCeilings(true);
      const highest = Math.max(last?.seq ?? 0, this.#allocated.get(channelId) ?? 0, saved.get(channelId) ?? 0);
      this.#ceiling.set(channelId, saved.get(channelId) ?? 0);
      return highest;
    }
    const saved = (await this.#savedCeilings(false)).get(channelId) ?? 0;
    this.#ceiling.set(channelId, saved);
    return saved;
  }

  /** The saved ceilings, read once (by _id) and again when `fresh` is asked for. */
  async #savedCeilings(fresh: boolean): Promise<Map<string, number>> {
    if (fresh) this.#saved = undefined;
    this.#saved ??= SeqCounter.findById(COUNTER_ID)
      .lean<{ values?: Record<string, number> }>()
      .then((counter) => new Map(Object.entries(counter?.values ?? {})));
    return this.#saved.catch((error: unknown) => {
      this.#saved = undefined;
      throw error;
    });
  }
}
