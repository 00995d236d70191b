import { createClient } from 'redis';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { Message } from '../modules/connect/channel.model.js';
import type { SeqAllocator } from '../modules/connect/seq-allocator.js';

/** The Redis client type the portal uses. */
export type RedisClient = ReturnType<typeof createClient>;

/** What is told to those watching Redis: it went away, or it is back. */
export interface RedisWatcher {
  down(): void;
  up(): void;
}

/**
 * Connects to Redis (REDIS_URL) for the Socket.IO adapter and shared sequence numbers. Commands
 * are not queued while it is unreachable: they fail at once (a send answers a retryable
 * `realtime-unavailable` instead of hanging until Redis returns). `watcher` is told when the
 * connection is lost and when it is ready again.
 */
export async function connectRedis(url: string, logger: Logger, watcher?: RedisWatcher): Promise<RedisClient> {
  // Reconnect quickly (50 ms, doubling, at most a second apart): sends are refused meanwhile.
  const client = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1_000) } });
  let lost = false;
  const lose = (): void => {
    if (lost) return;
    lost = true;
    logger.error('redis connection lost: sends are refused until it is back');
    watcher?.down();
  };
  client.on('error', (error: unknown) => {
    // Once lost, each failed reconnection is only a detail: the loss itself was logged.
    if (lost) logger.debug({ err: error }, 'redis still unreachable');
    else logger.error({ err: error }, 'redis error');
    if (client.isOpen && !client.isReady) lose();
  });
  client.on('reconnecting', lose);
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger.warn('redis connection back');
    watcher?.up();
  });
  await client.connect();
  logger.info('redis connected');
  return client;
}

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
