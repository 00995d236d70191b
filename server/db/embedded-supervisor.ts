import type { Logger } from '../logger.js';
import { markDatabaseDown, markDatabaseUp } from './availability.js';
import { startEmbeddedDatabase, type EmbeddedDatabase, type EmbeddedDatabaseOptions } from './embedded.js';

/** Back-off between attempts to restart the embedded database. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/**
 * Keeps the embedded database running for the life of the portal: when it exits unexpectedly
 * (killed, crashed), it is started again on the same port and data (so the driver's connection
 * pool reconnects by itself), with back-off while starts fail. Meanwhile the database is marked
 * down, so writes are refused at once with a retryable error.
 */
export class EmbeddedSupervisor {
  #current: EmbeddedDatabase;
  #stopping = false;
  /** Resolves once the current child has been restarted (or stopping). */
  #watching: Promise<void>;

  constructor(
    first: EmbeddedDatabase,
    private readonly options: EmbeddedDatabaseOptions,
    private readonly logger: Logger,
  ) {
    this.#current = first;
    this.#watching = this.#watch();
  }

  /** The connection string: the same for every restart. */
  get uri(): string {
    return this.#current.uri;
  }

  /** The running child's process id. */
  get pid(): number {
    return this.#current.pid;
  }

  /** Stops the child for good (the portal is stopping). */
  async stop(timeoutMs?: number): Promise<void> {
    this.#stopping = true;
    await this.#current.stop(timeoutMs);
    await this.#watching;
  }

  async #watch(): Promise<void> {
    for (;;) {
      const code = await this.#current.exited;
      if (this.#stopping) return;
      markDatabaseDown();
      this.logger.error({ code }, 'embedded database exited unexpectedly; restarting it');
      const restarted = await this.#restart();
      if (!restarted) return;
      this.#current = restarted;
      this.logger.warn({ pid: restarted.pid, downMs: Math.round(markDatabaseUp()) }, 'embedded database restarted');
    }
  }

  async #restart(): Promise<EmbeddedDatabase | undefined> {
    const listen = new URL(this.#current.uri).host;
    for (let delay = FIRST_RETRY_MS; !this.#stopping; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        const started = await startEmbeddedDatabase({ ...this.options, listen });
        if (this.#stopping) await started.stop();
        else return started;
      } catch (error) {
        this.logger.error({ err: error, retryInMs: delay }, 'embedded database did not restart');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    return undefined;
  }
}
