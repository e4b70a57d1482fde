/** The hosted Mailprobe endpoint, used when a connection leaves "Mailprobe endpoint URL" empty. */
export const DEFAULT_API_URL = 'https://api.mailprobe.dev';

/**
 * Seconds Zapier waits before retrying after a 5xx, a network failure, or a 429 without a readable
 * Retry-After. Zapier retries a ThrottledError on its own schedule; a minute rides out a deploy or a blip.
 */
export const DEFAULT_RETRY_DELAY_SECONDS = 60;
