import { createClient } from 'redis';
import type { Logger } from '../logger.js';
import { Message } from '../modules/connect/channel.model.js';
import type { SeqAllocator } from '../modules/connect/seq-allocator.js';

/** The Redis client type the portal uses. */
export type RedisClient = ReturnType<typeof createClient>;

/** Connects to Redis (REDIS_URL) for the Socket.IO adapter and shared sequence numbers. */
export async function connectRedis(url: string, logger: Logger): Promise<RedisClient> {
  const client = createClient({ url });
  client.on('error', (error: unknown) => logger.error({ err: error }, 'redis error'));
  await client.connect();
  logger.info('redis connected');
  return client;
}

/**
 * Sequence numbers shared by every server process through Redis: INCRBY hands out blocks
 * atomically. A channel's counter starts from the highest number stored (SET NX, so two
 * processes starting it at once agree).
 */
export class RedisSeqAllocator implements SeqAllocator {
  constructor(private readonly redis: RedisClient) {}

  async reserve(channelId: string, count: number): Promise<number> {
    const key = `bharatpol:seq:${channelId}`;
    if (!(await this.redis.exists(key))) {
      const last = await Message.findOne({ channel: channelId }, { seq: 1 }).sort({ seq: -1 }).lean();
      await this.redis.set(key, String(last?.seq ?? 0), { condition: 'NX' });
    }
    const end = await this.redis.incrBy(key, count);
    return end - count + 1;
  }

  resync(channelId: string): void {
    // The counter in Redis is authoritative; after a collision it is re-seeded from the database.
    void this.redis.del(`bharatpol:seq:${channelId}`);
  }

  flush(): Promise<void> {
    return Promise.resolve(); // Redis holds the counters
  }
}
