import type { MessageView } from './message-view.js';

/** A channel's newest messages: every stored message with `seq > coveredAfter`, in order. */
interface Tail {
  coveredAfter: number;
  messages: MessageView[];
  bytes: number;
}

/** A page of messages and whether there are more beyond it. */
export interface MessagePage {
  readonly messages: MessageView[];
  readonly hasMore: boolean;
}

/** Roughly what a kept message costs in memory (its base64 text and the rest). */
const sizeOf = (message: MessageView): number => message.body.length + message.keyPackets.length + 300;

/**
 * The newest messages of recently used channels, kept in this process, so that what officers ask
 * for most — the messages they missed while disconnected, and the first page of a channel — is
 * answered without a database read. (On FerretDB v1 such a read scans the whole message
 * collection; a thousand officers reconnecting at once would each scan it.)
 *
 * It is exact, never approximately right: a channel's tail holds every stored message after its
 * `coveredAfter`, because this process's writer is the only one storing messages and tells it of
 * each batch in order. With several server processes (Redis) others write too, and the cache is
 * not used. A database read is joined to a tail only if nothing was forgotten or evicted while it
 * ran (a per-channel generation). Bounded by messages per channel and by bytes overall (least
 * recently used channels go first).
 */
export class RecentMessages {
  /** In least-recently-used order (a channel is moved to the end when used). */
  readonly #tails = new Map<string, Tail>();
  readonly #generations = new Map<string, number>();
  #bytes = 0;

  constructor(
    private readonly maxPerChannel = 1_000,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** Messages the writer has just stored, in sequence order per channel. */
  stored(messages: readonly MessageView[]): void {
    for (const message of messages) {
      let tail = this.#tails.get(message.channel);
      if (!tail) {
        // Nothing else is stored after the message before this one: this process stores them all.
        tail = { coveredAfter: message.seq - 1, messages: [], bytes: 0 };
        this.#tails.set(message.channel, tail);
      }
      const last = tail.messages.at(-1);
      if (last && last.seq >= message.seq) {
        // A database read that began after the insert committed may have brought it already.
        if (tail.messages[firstAfter(tail.messages, message.seq - 1)]?.id !== message.id) this.forget(message.channel);
        continue;
      }
      this.#push(tail, message);
    }
    this.#evict();
  }

  /** A kept message as it is after an edit or a deletion (nothing if the channel's tail does not hold it). */
  replace(message: MessageView): void {
    const tail = this.#tails.get(message.channel);
    if (!tail) return;
    const index = firstAfter(tail.messages, message.seq - 1);
    const kept = tail.messages[index];
    if (kept?.seq !== message.seq) return;
    const change = sizeOf(message) - sizeOf(kept);
    tail.messages[index] = message;
    tail.bytes += change;
    this.#bytes += change;
  }

  /** Drops a channel (another writer stored in it, or its numbers were resynced). */
  forget(channelId: string): void {
    const tail = this.#tails.get(channelId);
    if (tail) this.#bytes -= tail.bytes;
    this.#tails.delete(channelId);
    this.#generations.set(channelId, (this.#generations.get(channelId) ?? 0) + 1);
  }

  /** To pass to {@link joinRead}: taken before a database read of the channel. */
  generation(channelId: string): number {
    return this.#generations.get(channelId) ?? 0;
  }

  /**
   * Messages after `afterSeq`, oldest first, at most `limit` — if every one of them is here;
   * otherwise undefined (read the database).
   */
  after(channelId: string, afterSeq: number, limit: number): MessagePage | undefined {
    const tail = this.#use(channelId);
    if (!tail || afterSeq < tail.coveredAfter) return undefined;
    const start = firstAfter(tail.messages, afterSeq);
    return { messages: tail.messages.slice(start, start + limit), hasMore: tail.messages.length - start > limit };
  }

  /**
   * A page of the main conversation (`threadRoot` null) or of one thread, newest first, before
   * `beforeSeq` — if the page is certainly complete from here; otherwise undefined.
   */
  before(channelId: string, threadRoot: number | null, beforeSeq: number | undefined, limit: number): MessagePage | undefined {
    const tail = this.#use(channelId);
    if (!tail) return undefined;
    const page: MessageView[] = [];
    for (let index = tail.messages.length - 1; index >= 0 && page.length <= limit; index -= 1) {
      const message = tail.messages[index]!;
      if (beforeSeq !== undefined && message.seq >= beforeSeq) continue;
      if ((message.threadRoot ?? null) === threadRoot) page.push(message);
    }
    if (page.length > limit) return { messages: page.slice(0, limit), hasMore: true };
    // Fewer than a page here: complete only if the tail reaches back to the channel's start.
    return tail.coveredAfter === 0 ? { messages: page, hasMore: false } : undefined;
  }

  /**
   * Joins a database read of every message after `afterSeq` (complete: not cut by a limit) to the
   * channel's tail, if nothing was dropped since `generation` was taken before the read: the
   * read holds what was stored before it began, the tail everything stored since.
   */
  joinRead(channelId: string, afterSeq: number, messages: readonly MessageView[], generation: number): void {
    if (this.generation(channelId) !== generation) return;
    const tail = this.#tails.get(channelId);
    if (tail && tail.coveredAfter <= afterSeq) return; // already covers more
    const joined: Tail = { coveredAfter: afterSeq, messages: [], bytes: 0 };
    const fromTail = tail ? tail.messages : [];
    const firstOfTail = fromTail[0]?.seq ?? Number.POSITIVE_INFINITY;
    for (const message of messages) if (message.seq < firstOfTail) this.#push(joined, message);
    for (const message of fromTail) this.#push(joined, message);
    if (tail) this.#bytes -= tail.bytes;
    this.#tails.delete(channelId);
    this.#tails.set(channelId, joined);
    this.#evict();
  }

  #use(channelId: string): Tail | undefined {
    const tail = this.#tails.get(channelId);
    if (tail) {
      this.#tails.delete(channelId);
      this.#tails.set(channelId, tail);
    }
    return tail;
  }

  #push(tail: Tail, message: MessageView): void {
    tail.messages.push(message);
    const size = sizeOf(message);
    tail.bytes += size;
    this.#bytes += size;
    if (tail.messages.length > this.maxPerChannel) {
      const dropped = tail.messages.splice(0, tail.messages.length - this.maxPerChannel);
      for (const old of dropped) {
        tail.bytes -= sizeOf(old);
        this.#bytes -= sizeOf(old);
      }
      tail.coveredAfter = dropped.at(-1)!.seq;
    }
  }

  #evict(): void {
    for (const channelId of this.#tails.keys()) {
      if (this.#bytes <= this.maxBytes) return;
      this.forget(channelId);
    }
  }
}

/** Index of the first message with `seq > afterSeq` (binary search; messages are in seq order). */
function firstAfter(messages: readonly MessageView[], afterSeq: number): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (messages[middle]!.seq <= afterSeq) low = middle + 1;
    else high = middle;
  }
  return low;
}
