import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { JobSchema, LenientJobSchema } from './jobs.js';

/** Body of the POST sent to a job's `callbackUrl` when it reaches a final state. */
export const JobCompletedEventSchema = z
  .object({
    type: z.literal('job.completed'),
    id: z.string().describe('Unique event id; the same on redelivery, so receivers can drop duplicates'),
    createdAt: z.iso.datetime(),
    job: JobSchema,
    resultsUrl: z
      .url()
      .optional()
      .describe(
        'Absolute URL of `GET /v1/jobs/:id/results` (NDJSON, or CSV with `Accept: text/csv`); fetch it with the API key',
      ),
  })
  .describe('Webhook: a job finished (completed, failed or cancelled)');
export type JobCompletedEvent = z.infer<typeof JobCompletedEventSchema>;

/**
 * A `job.completed` event as a receiver reads it: its job through `LenientJobSchema`, so an event from an older
 * prober (0.1.0) parses with the documented defaults. The prober's own events are held to `JobCompletedEventSchema`.
 */
export const LenientJobCompletedEventSchema = JobCompletedEventSchema.extend({ job: LenientJobSchema });

/** Signatures older or newer than this are refused, to stop replays. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const SIGNATURE_SCHEME = 'v1';
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

function hmacHex(secret: string, body: string | Uint8Array, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * The `Mailprobe-Signature` header value for a raw body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 * With several secrets (a rotation's overlap) one `v1=` per secret, so a receiver holding either one verifies.
 */
export function signWebhook(
  secret: string | readonly string[],
  body: string | Uint8Array,
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new TypeError('signWebhook needs at least one secret');
  const signatures = secrets.map((one) => `${SIGNATURE_SCHEME}=${hmacHex(one, body, timestamp)}`);
  return [`t=${timestamp}`, ...signatures].join(',');
}

/**
 * Checks a `Mailprobe-Signature` header against the raw body exactly as received (before any JSON parsing).
 * Accepts several `v1=` entries (secret rotation); compares in constant time; refuses timestamps more than
 * `toleranceSeconds` away from `now`.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Uint8Array,
  options: { toleranceSeconds?: number; now?: Date } = {},
): WebhookVerification {
  const { toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS, now = new Date() } = options;
  if (!header) return { ok: false, reason: 'malformed' };
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) return { ok: false, reason: 'malformed' };
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !UNIX_SECONDS.test(value)) return { ok: false, reason: 'malformed' };
      timestamp = Number(value);
    } else if (key === SIGNATURE_SCHEME) {
      if (!HEX_SHA256.test(value)) return { ok: false, reason: 'malformed' };
      signatures.push(value);
    }
    // Unknown schemes are ignored so a later v2 can be added beside v1.
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hmacHex(secret, body, timestamp), 'hex');
  let matched = false;
  for (const signature of signatures) {
    // Both sides are 32 bytes (checked by HEX_SHA256), as timingSafeEqual requires; no early exit.
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
  }
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
