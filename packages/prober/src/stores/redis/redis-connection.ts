import { Redis } from 'ioredis';

/** First wait before reconnecting to a lost Redis; grows by this much per try up to the maximum. */
const RECONNECT_STEP_MS = 200;
const RECONNECT_MAX_MS = 2000;
/** A connect attempt that gets no answer within this is given up and tried again. */
const CONNECT_TIMEOUT_MS = 5000;
/** A command with no reply within this fails (a stalled Redis must not hang requests and loops for ever). */
const COMMAND_TIMEOUT_MS = 10_000;

/** What the fleet's connection reports: lost (with the error, once per outage) and back. */
export interface RedisConnectionLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

/**
 * Opens the fleet's Redis connection so that losing Redis never ends the process: an `error` listener is always
 * attached (ioredis re-emits socket errors such as EPIPE as events), it reconnects for ever with a capped backoff,
 * and commands fail at once while it is away (no offline queue, one retry of a command caught by a reconnect)
 * instead of piling up: callers answer 503 or back off and try again.
 */
export async function connectRedis(url: string, log: () => RedisConnectionLog | null): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * RECONNECT_STEP_MS, RECONNECT_MAX_MS),
  });
  let lostSince: number | null = null;
  let reported = false;
  redis.on('error', (error: Error) => {
    // Every reconnect attempt of an outage fails the same way: said once.
    lostSince ??= Date.now();
    if (reported) return;
    reported = true;
    log()?.warn({ err: error }, 'redis connection lost; reconnecting');
  });
  redis.on('close', () => {
    lostSince ??= Date.now();
  });
  redis.on('ready', () => {
    if (lostSince !== null && reported)
      log()?.info({ downMs: Date.now() - lostSince }, 'redis connection back');
    lostSince = null;
    reported = false;
  });
  try {
    await redis.connect();
  } catch (error) {
    // A node does not start without its store (its supervisor starts it again); no reconnecting left behind.
    redis.disconnect();
    throw error;
  }
  return redis;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
]);
const UNAVAILABLE_MESSAGES = [
  "Stream isn't writeable",
  'Connection is closed',
  'Command timed out',
  'Reached the max retries per request limit',
  'LOADING',
  'MASTERDOWN',
];

/** Whether `error` means the store is unreachable for now (worth a 503 and a retry), not that the request is wrong. */
export function isStoreUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((text) => message.includes(text));
}
