import { nowMs } from '../clock.js';

/**
 * Values kept by key for a few seconds, shared by every caller meanwhile (a failed load is
 * forgotten at once): for counts that are scans on the embedded database and are asked for on
 * every page view by every officer of an office.
 */
export class ShortLived<T> {
  readonly #kept = new Map<string, { at: number; value: Promise<T> }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#kept.get(key);
    if (entry && nowMs() - entry.at < this.ttlMs) return entry.value;
    const value = load();
    this.#kept.set(key, { at: nowMs(), value });
    value.catch(() => this.#kept.delete(key));
    return value;
  }

  /** Forgets every kept value (after a change this process made). */
  clear(): void {
    this.#kept.clear();
  }
}
