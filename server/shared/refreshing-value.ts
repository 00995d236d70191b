/** How a refresh finds out whether the value changed before it reads it all again. */
export interface RefreshVersion {
  /** A cheap read that moves on whenever the value changes (a `SharedRevision`). */
  read(): Promise<number>;
  /**
   * Past this age the value is read again even if the version did not move (so a change made
   * without moving it, by hand in the database, say, shows within this).
   */
  readonly reloadAfterMs: number;
}

interface Held<T> {
  /** When the value was last known current (loaded, or its version found unchanged). */
  readonly at: number;
  /** When it was loaded, and the version read just before. */
  readonly loadedAt: number;
  readonly version: number | undefined;
  readonly data: T;
}

/**
 * A value read from the database and kept for a while: once it is older than `maxAgeMs` the next
 * caller starts a refresh but is answered with the value it has (so a busy path never waits for
 * a slow read), and the value is replaced when the refresh lands. Callers wait only when there is
 * no value yet, or after `forget()` (a change made in this process must show at once).
 * With a `version`, a refresh reads that first and keeps the value if it has not moved.
 * A failed read is not kept: the next caller tries again.
 */
export class RefreshingValue<T> {
  #value: Held<T> | undefined;
  #loading: Promise<T> | undefined;
  #generation = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly versioned?: RefreshVersion,
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
    const loading = this.#read(startedAt).then(
      (held) => {
        // A read started before forget() may not hold the change that caused it: not kept.
        if (generation === this.#generation) {
          this.#value = held;
          this.#loading = undefined;
        }
        return held.data;
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

  /** The value as of `startedAt`: the one held if its version has not moved, else a new read. */
  async #read(startedAt: number): Promise<Held<T>> {
    // Read before the data, so that a change landing during the load moves it past what is kept.
    const { versioned } = this;
    const version = await versioned?.read();
    const held = this.#value;
    if (versioned && held && version === held.version && startedAt - held.loadedAt < versioned.reloadAfterMs) {
      return { ...held, at: startedAt };
    }
    return { at: startedAt, loadedAt: startedAt, version, data: await this.load() };
  }
}
