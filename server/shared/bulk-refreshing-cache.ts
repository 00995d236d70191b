import { BatchLoader } from './batch-loader.js';

interface Entry<V> {
  readonly value: V | undefined;
  /** When it was read. */
  readonly at: number;
}

/**
 * Values by key, kept for `maxAgeMs`, read in bulk. Keys missing from the cache and asked for
 * in the same turn are read together (BatchLoader); once a value is past its age, its caller is
 * answered with it, and every value due within half that age is read again, in the background,
 * in one read for all of them.
 *
 * One refresh for all: values kept one by one were first read together (the senders of a busy
 * minute) and so fell due together, and were read again in hundreds of small reads, each a scan
 * of its collection on the embedded database; those scans held read snapshots for seconds, and
 * the write-ahead log could not be checkpointed meanwhile (measured: officer keys read in 2.3-3.3 s
 * every minute, and Connect's step at 2,000 messages/s running then had p99 1.8-2.9 s).
 *
 * `forget(key)` drops a value that a change made here has made stale: the next caller waits for
 * a fresh read, and no read that started before it is kept.
 */
export class BulkRefreshingCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #loader: BatchLoader<V>;
  /** Moves on at every forget(): a read that started before one is not kept. */
  #generation = 0;
  #refreshing = false;

  constructor(
    private readonly loadMany: (keys: string[]) => Promise<Map<string, V>>,
    private readonly maxAgeMs: number,
    private readonly maxEntries = 100_000,
  ) {
    this.#loader = new BatchLoader(loadMany);
  }

  async get(key: string): Promise<V | undefined> {
    const entry = this.#entries.get(key);
    if (entry) {
      if (Date.now() - entry.at >= this.maxAgeMs) this.#refreshDue();
      return entry.value;
    }
    const generation = this.#generation;
    const at = Date.now();
    const value = await this.#loader.load(key);
    if (generation === this.#generation) this.#keep(key, { value, at });
    return value;
  }

  forget(key: string): void {
    this.#entries.delete(key);
    this.#generation += 1;
  }

  #keep(key: string, entry: Entry<V>): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(key, entry);
  }

  #refreshDue(): void {
    if (this.#refreshing) return;
    this.#refreshing = true;
    const generation = this.#generation;
    const at = Date.now();
    const due = [...this.#entries].filter(([, entry]) => at - entry.at >= this.maxAgeMs / 2).map(([key]) => key);
    this.loadMany(due)
      .then(
        (found) => {
          if (generation !== this.#generation) return;
          for (const key of due) if (this.#entries.has(key)) this.#entries.set(key, { value: found.get(key), at });
        },
        // Kept as they are: the next caller past their age tries again.
        () => undefined,
      )
      .finally(() => {
        this.#refreshing = false;
      });
  }
}
