import { createClient } from 'redis';
import type { Logger } from '../logger.js';

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
