import { Message, SeqCounter } from './channel.model.js';

/** Hands out per-channel sequence numbers, in blocks, for the message writer. */
export interface SeqAllocator {
  /** Reserves `count` consecutive numbers in `channelId`; returns the first. */
  reserve(channelId: string, count: number): Promise<number>;
  /** Records that every number up to `seq` in `channelId` is stored (what is safe to save). */
  stored(channelId: string, seq: number): void;
  /** Forgets what it knows of a channel (another writer got ahead: re-read it). */
  resync(channelId: string): void;
  /** Saves what must survive a restart (called periodically and at shutdown). */
  flush(): Promise<void>;
}

/** How often the stored numbers are saved. */
const FLUSH_INTERVAL_MS = 5_000;
const COUNTER_ID = 'connect';

/**
 * Sequence numbers kept in this process's memory, for one server process. Counters start from
 * the values saved in one document (read once, by _id), and the highest stored number of every
 * channel written since is saved back every few seconds and at shutdown, in a single update: one
 * write per channel would hold the database's write lock long enough to stall the messages
 * waiting to be stored. After a crash a saved value may be behind: the unique (channel, seq)
 * index refuses the collision, the writer resyncs, and this allocator then reads the channel's
 * highest stored number once.
 */
export class LocalSeqAllocator implements SeqAllocator {
  readonly #next = new Map<string, Promise<number>>();
  readonly #stored = new Map<string, number>();
  readonly #scan = new Set<string>();
  #saved: Promise<Map<string, number>> | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor() {
    this.#timer = setInterval(() => void this.flush().catch(() => undefined), FLUSH_INTERVAL_MS);
    this.#timer.unref();
  }

  reserve(channelId: string, count: number): Promise<number> {
    const first = this.#next.get(channelId) ?? this.#start(channelId);
    this.#next.set(
      channelId,
      first.then((value) => value + count),
    );
    return first;
  }

  stored(channelId: string, seq: number): void {
    this.#stored.set(channelId, Math.max(this.#stored.get(channelId) ?? 0, seq));
  }

  resync(channelId: string): void {
    this.#next.delete(channelId);
    this.#scan.add(channelId);
  }

  async flush(): Promise<void> {
    if (this.#stored.size === 0) return;
    const saving = [...this.#stored];
    this.#stored.clear();
    try {
      await SeqCounter.updateOne({ _id: COUNTER_ID }, { $max: Object.fromEntries(saving.map(([channelId, seq]) => [`values.${channelId}`, seq])) }, { upsert: true });
    } catch (error) {
      for (const [channelId, seq] of saving) this.stored(channelId, seq);
      throw error;
    }
  }

  async #start(channelId: string): Promise<number> {
    if (this.#scan.delete(channelId)) {
      const last = await Message.findOne({ channel: channelId }, { seq: 1 }).sort({ seq: -1 }).lean();
      return (last?.seq ?? 0) + 1;
    }
    this.#saved ??= SeqCounter.findById(COUNTER_ID)
      .lean<{ values?: Record<string, number> }>()
      .then((counter) => new Map(Object.entries(counter?.values ?? {})));
    const saved = await this.#saved.catch((error: unknown) => {
      this.#saved = undefined;
      throw error;
    });
    return (saved.get(channelId) ?? 0) + 1;
  }
}
