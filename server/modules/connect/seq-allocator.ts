import { Channel, Message } from './channel.model.js';

/** Hands out per-channel sequence numbers, in blocks, for the message writer. */
export interface SeqAllocator {
  /** Reserves `count` consecutive numbers in `channelId`; returns the first. */
  reserve(channelId: string, count: number): Promise<number>;
  /** Forgets what it knows of a channel (another writer got ahead: re-read it). */
  resync(channelId: string): void;
  /** Saves what must survive a restart (called periodically and at shutdown). */
  flush(): Promise<void>;
}

/** How often counters handed out since the last save are written to their channels. */
const FLUSH_INTERVAL_MS = 5_000;

/**
 * Sequence numbers kept in this process's memory, for one server process. A channel's counter
 * starts from the `lastSeq` saved on its document (an _id read, fast on FerretDB too), and is
 * saved back every few seconds and at shutdown. After a crash the saved value may be behind: the
 * unique (channel, seq) index refuses the collision, and the writer resyncs, which makes this
 * allocator read the channel's highest stored number once.
 */
export class LocalSeqAllocator implements SeqAllocator {
  readonly #next = new Map<string, Promise<number>>();
  readonly #dirty = new Set<string>();
  readonly #scan = new Set<string>();
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
    this.#dirty.add(channelId);
    return first;
  }

  resync(channelId: string): void {
    this.#next.delete(channelId);
    this.#scan.add(channelId);
  }

  async flush(): Promise<void> {
    const channels = [...this.#dirty];
    this.#dirty.clear();
    for (const channelId of channels) {
      const next = await this.#next.get(channelId);
      if (next !== undefined) await Channel.updateOne({ _id: channelId }, { $max: { lastSeq: next - 1 } });
    }
  }

  async #start(channelId: string): Promise<number> {
    if (this.#scan.delete(channelId)) {
      const last = await Message.findOne({ channel: channelId }, { seq: 1 }).sort({ seq: -1 }).lean();
      return (last?.seq ?? 0) + 1;
    }
    const channel = await Channel.findById(channelId, { lastSeq: 1 }).lean();
    return (channel?.lastSeq ?? 0) + 1;
  }
}
