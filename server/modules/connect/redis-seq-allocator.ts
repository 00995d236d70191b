import { AppError } from '../../errors.js';
import type { RedisClient } from '../../realtime/redis.js';
import { Message } from './channel.model.js';
import type { SeqAllocator } from './seq-allocator.js';

/** The answer to a send while Redis cannot be reached. */
const realtimeUnavailable = (): AppError =>
  new AppError(503, 'realtime-unavailable', 'The message service is reconnecting. Nothing was stored; it is sent again in a moment.');

/**
 * Sequence numbers shared by every server process through Redis: INCRBY hands out blocks
 * atomically. A channel's counter starts from the highest number stored (SET NX, so two
 * processes starting it at once agree).
 */
export class RedisSeqAllocator implements SeqAllocator {
  constructor(private readonly redis: RedisClient) {}

  async reserve(channelId: string, count: number): Promise<number> {
    const key = `bharatpol:seq:${channelId}`;
    if (!(await this.#command(() => this.redis.exists(key)))) {
      const last = await Message.findOne({ channel: channelId }, { seq: 1 }).sort({ seq: -1 }).lean();
      await this.#command(() => this.redis.set(key, String(last?.seq ?? 0), { condition: 'NX' }));
    }
    const end = await this.#command(() => this.redis.incrBy(key, count));
    return end - count + 1;
  }

  /** Runs a command, failing at once with `realtime-unavailable` when Redis is not there. */
  async #command<T>(run: () => Promise<T>): Promise<T> {
    if (!this.redis.isReady) throw realtimeUnavailable();
    try {
      return await run();
    } catch {
      throw realtimeUnavailable();
    }
  }

  resync(channelId: string): void {
    // The counter in Redis is authoritative; after a collision it is re-seeded from the database.
    void this.redis.del(`bharatpol:seq:${channelId}`);
  }

  flush(): Promise<void> {
    return Promise.resolve(); // Redis holds the counters
  }
}
