import { Message } from './channel.model.js';

/** Hands out per-channel sequence numbers, in blocks, for the message writer. */
export interface SeqAllocator {
  /** Reserves `count` consecutive numbers in `channelId`; returns the first. */
  reserve(channelId: string, count: number): Promise<number>;
  /** Forgets what it knows of a channel (another writer got ahead: re-read it). */
  resync(channelId: string): void;
}

/**
 * Sequence numbers kept in this process's memory, started from the channel's highest stored
 * number. Right for one server process; the unique (channel, seq) index is the guard, and a
 * collision (another process) makes the writer resync and retry.
 */
export class LocalSeqAllocator implements SeqAllocator {
  readonly #next = new Map<string, Promise<number>>();

  reserve(channelId: string, count: number): Promise<number> {
    const previous = this.#next.get(channelId) ?? this.#highest(channelId).then((highest) => highest + 1);
    const first = previous;
    this.#next.set(
      channelId,
      previous.then((value) => value + count),
    );
    return first;
  }

  resync(channelId: string): void {
    this.#next.delete(channelId);
  }

  async #highest(channelId: string): Promise<number> {
    const last = await Message.findOne({ channel: channelId }, { seq: 1 }).sort({ seq: -1 }).lean();
    return last?.seq ?? 0;
  }
}
