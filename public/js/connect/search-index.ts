import MiniSearch, { type Options } from 'minisearch';
import type { WireMessage } from '../../../server/modules/connect/connect.events.js';
import { deviceDataKey } from '../lib/keys.js';

/** A message as the search index keeps it: its words and where it is. */
export interface IndexedMessage {
  /** The message id. */
  readonly id: string;
  readonly channel: string;
  readonly seq: number;
  readonly sender: string;
  readonly createdAt: string;
  readonly text: string;
}

/** Per channel, the messages indexed so far run from `lowest` to `highest` without a hole. */
type Coverage = Record<string, { lowest: number; highest: number }>;

const OPTIONS: Options<IndexedMessage> = {
  fields: ['text'],
  storeFields: ['channel', 'seq', 'sender', 'createdAt', 'text'],
  searchOptions: { prefix: true, fuzzy: 0.15, combineWith: 'AND' },
};
const DATABASE = 'bharatpol-search';
const STORE = 'indexes';
/** What the device key is derived for (see deviceDataKey). */
const PURPOSE = 'connect search index v1';
/** Saved this long after the last change (a burst of messages is one write). */
const SAVE_AFTER_MS = 2_000;

function requested<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

async function store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
  const opening = indexedDB.open(DATABASE, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
  return (await requested(opening)).transaction(STORE, mode).objectStore(STORE);
}

/**
 * Search in the officer's messages. The server holds only ciphertext, so the index is built in
 * this browser from the messages it decrypts (shown, arriving, or read in the background by the
 * {@link MessageSearch.indexChannel} walk) and kept on the device sealed with AES-GCM under a key
 * derived from the officer's key passphrase (deviceDataKey): at rest it opens only in a session
 * the officer signed in to. Without such a session, search works for the page's life only.
 */
export class MessageSearch {
  #index: MiniSearch<IndexedMessage>;
  #coverage: Coverage;
  #timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    private readonly accountId: string,
    private readonly key: CryptoKey | undefined,
    index: MiniSearch<IndexedMessage>,
    coverage: Coverage,
  ) {
    this.#index = index;
    this.#coverage = coverage;
  }

  /** The officer's index as kept on this device, or a new one (none kept, or sealed under an older passphrase). */
  static async open(accountId: string): Promise<MessageSearch> {
    const key = await deviceDataKey(accountId, PURPOSE).catch(() => undefined);
    if (key) {
      try {
        const kept = await requested((await store('readonly')).get(accountId) as IDBRequest<{ iv: Uint8Array<ArrayBuffer>; sealed: ArrayBuffer } | undefined>);
        if (kept) {
          const plain = new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: kept.iv }, key, kept.sealed));
          const { index, coverage } = JSON.parse(plain) as { index: unknown; coverage: Coverage };
          return new MessageSearch(accountId, key, MiniSearch.loadJSON(JSON.stringify(index), OPTIONS), coverage);
        }
      } catch {
        // Unreadable (a new password, a damaged record): started again below.
      }
    }
    return new MessageSearch(accountId, key, new MiniSearch(OPTIONS), {});
  }

  /** Adds or replaces a message's words; `removed` messages are taken out. */
  put(message: IndexedMessage): void {
    if (this.#index.has(message.id)) this.#index.replace(message);
    else this.#index.add(message);
    const covered = this.#coverage[message.channel];
    // Live messages extend the covered run only where they join it.
    if (covered && message.seq === covered.highest + 1) covered.highest = message.seq;
    this.#changed();
  }

  remove(id: string): void {
    if (this.#index.has(id)) {
      this.#index.discard(id);
      this.#changed();
    }
  }

  /** Messages matching every word (prefixes, small typos forgiven), best first. */
  search(query: string, limit = 50): IndexedMessage[] {
    if (!query.trim()) return [];
    return this.#index.search(query).slice(0, limit) as unknown as IndexedMessage[];
  }

  get size(): number {
    return this.#index.documentCount;
  }

  /**
   * Indexes a channel's history in the background: the messages newer than those covered, then
   * older ones, a page at a time through `page` (newest first, before a number), opening each
   * with `open` (undefined: not readable here), until the start or `maxPages`.
   */
  async indexChannel(
    channel: string,
    page: (beforeSeq?: number) => Promise<{ messages: WireMessage[]; hasMore: boolean }>,
    open: (message: WireMessage) => Promise<string | undefined>,
    maxPages = 20,
  ): Promise<void> {
    const covered = this.#coverage[channel];
    let before: number | undefined;
    let lowest = Number.POSITIVE_INFINITY;
    let highest = 0;
    for (let pages = 0; pages < maxPages; pages += 1) {
      const { messages, hasMore } = await page(before);
      for (const message of messages) {
        if (covered && message.seq <= covered.highest && message.seq >= covered.lowest) {
          // Reached what was indexed before: the runs join, and the walk goes on below it.
          lowest = Math.min(lowest, covered.lowest);
          highest = Math.max(highest, covered.highest);
          before = covered.lowest;
          break;
        }
        const text = message.deleted ? undefined : await open(message);
        if (text !== undefined) this.put({ id: message.id, channel, seq: message.seq, sender: message.sender, createdAt: message.createdAt, text });
        lowest = Math.min(lowest, message.seq);
        highest = Math.max(highest, message.seq);
        before = message.seq;
      }
      if (highest > 0) this.#coverage[channel] = { lowest, highest };
      if (!hasMore || lowest <= 1) break;
    }
    this.#changed();
  }

  #changed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.save(), SAVE_AFTER_MS);
  }

  /** Seals the index and keeps it on this device (nothing is kept without a device key). */
  async save(): Promise<void> {
    clearTimeout(this.#timer);
    if (!this.key) return;
    const plain = new TextEncoder().encode(JSON.stringify({ index: this.#index.toJSON(), coverage: this.#coverage }));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, this.key, plain);
    await requested((await store('readwrite')).put({ iv, sealed }, this.accountId)).catch(() => undefined);
  }
}
