/**
 * A value read from the database and kept for a while: once it is older than `maxAgeMs` the next
 * caller starts a refresh but is answered with the value it has (so a busy path never waits for
 * a slow read), and the value is replaced when the refresh lands. Callers wait only when there is
 * no value yet, or after `forget()` (a change made in this process must show at once).
 * A failed read is not kept: the next caller tries again.
 */
export class RefreshingValue<T> {
  #value: { at: number; data: T } | undefined;
  #loading: Promise<T> | undefined;
  #generation = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly maxAgeMs: number,
  ) {}

  get(): Promise<T> {
    const value = this.#value;
    if (value && Date.now() - value.at < this.maxAgeMs) return Promise.resolve(value.data);
    const loading = this.#refresh();
    return value ? Promise.resolve(value.data) : loading;
  }

  /** Drops the value: the next caller waits for a fresh read. */
  forget(): void {
    this.#value = undefined;
    this.#loading = undefined;
    this.#generation += 1;
  }

  #refresh(): Promise<T> {
    if (this.#loading) return this.#loading;
    const generation = this.#generation;
    const startedAt = Date.now();
    const loading = this.load().then(
      (data) => {
        // A read started before forget() may not hold the change that caused it: not kept.
        if (generation === this.#generation) {
          this.#value = { at: startedAt, data };
          this.#loading = undefined;
        }
        return data;
      },
      (error: unknown) => {
        if (generation === this.#generation) this.#loading = undefined;
        throw error;
      },
    );
    // A background refresh's failure reaches no caller; the next get() retries.
    loading.catch(() => undefined);
    this.#loading = loading;
    return loading;
  }
}
