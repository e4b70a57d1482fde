import type { Redis } from 'ioredis';

/**
 * Hands every message published on `channel` to `onMessage`, over a connection of its own (a subscribed connection
 * takes no other command), re-subscribed by ioredis after a reconnect. It waits for Redis rather than failing, and
 * leaves reporting an outage to the main connection. Returns the way to stop listening (and close that connection).
 */
export function subscribe(redis: Redis, channel: string, onMessage: (message: string) => void): () => void {
  const subscriber = redis.duplicate({
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
  });
  subscriber.on('error', () => {});
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) onMessage(message);
  });
  subscriber.subscribe(channel).catch(() => {});
  return () => subscriber.disconnect();
}
