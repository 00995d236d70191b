interface Waiting<V> {
  readonly resolve: (value: V | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers lookups by key made in the same turn of the event loop into one query for all of them
 * (as DataLoader does, without its cache): a burst of requests that each need, say, a channel's
 * epoch key costs one read instead of hundreds. (On FerretDB v1 each read that is not by _id
 * scans its collection.)
 */
export class BatchLoader<V> {
  #waiting = new Map<string, Waiting<V>[]>();
  #scheduled = false;

  /** `loadMany` answers the keys it found; the others resolve to undefined. */
  constructor(private readonly loadMany: (keys: string[]) => Promise<Map<string, V>>) {}

  load(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.#waiting.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.#waiting.set(key, [{ resolve, reject }]);
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#waiting;
    this.#waiting = new Map();
    this.#scheduled = false;
    this.loadMany([...batch.keys()]).then(
      (found) => {
        for (const [key, waiting] of batch) for (const { resolve } of waiting) resolve(found.get(key));
      },
      (error: unknown) => {
        for (const waiting of batch.values()) for (const { reject } of waiting) reject(error);
      },
    );
  }
}
