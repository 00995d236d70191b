/**
 * Runs tasks one at a time per key within this process (different keys run concurrently).
 *
 * Used around read-modify-write changes that are also compare-and-set in the database: on MongoDB
 * the conditional update alone is atomic, but FerretDB v1 (the embedded database) answers it with a
 * separate read and write, so two requests in one process could both "win" (measured: a
 * two-seat session took three enrolments). The embedded database serves one process, so a
 * per-process lock closes that gap; across processes MongoDB's conditional update does.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
