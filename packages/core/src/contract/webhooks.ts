import { z } from 'zod';
import { MAX_ID_LENGTH } from './limits.js';

/** Events a webhook subscription may ask for. `job.completed`: a job of the key reached a final state. */
export const WEBHOOK_EVENTS = ['job.completed'] as const;
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENTS).describe('Webhook event type');
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** Most webhook subscriptions a key may hold by default (the server's `webhook.maxSubscriptionsPerKey`). */
export const DEFAULT_MAX_WEBHOOKS_PER_KEY = 25;

const TargetUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe('http(s) URL on a public address, without credentials, that receives the signed events');

/** `POST /v1/webhooks` body. */
export const CreateWebhookRequestSchema = z
  .object({
    targetUrl: TargetUrlSchema,
    events: z.array(WebhookEventTypeSchema).min(1).max(WEBHOOK_EVENTS.length),
  })
  .describe('Subscribe a URL to events of the key');
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;

export const WebhookIdSchema = z.string().min(1).max(MAX_ID_LENGTH).describe('Opaque subscription id');

/** A webhook subscription (`POST`/`DELETE /v1/webhooks…` answer, and each item of the list). */
export const WebhookSubscriptionSchema = z
  .object({
    id: WebhookIdSchema,
    targetUrl: z.string(),
    events: z.array(WebhookEventTypeSchema),
    createdAt: z.iso.datetime(),
  })
  .describe('A webhook subscription');
export type WebhookSubscription = z.infer<typeof WebhookSubscriptionSchema>;

/** `GET /v1/webhooks` answer, oldest first. */
export const WebhookListSchema = z
  .object({ webhooks: z.array(WebhookSubscriptionSchema) })
  .describe("The key's webhook subscriptions, oldest first");
export type WebhookList = z.infer<typeof WebhookListSchema>;

/** Path parameters of `/v1/webhooks/:id`. */
export const WebhookParamsSchema = z.object({ id: WebhookIdSchema });
export type WebhookParams = z.infer<typeof WebhookParamsSchema>;
