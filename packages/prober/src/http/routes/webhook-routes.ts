import { randomBytes } from 'node:crypto';
import {
  API_PATHS,
  ApiErrorSchema,
  CreateWebhookRequestSchema,
  WebhookListSchema,
  WebhookParamsSchema,
  type WebhookSubscription,
  WebhookSubscriptionSchema,
} from '@mailprobe/core';
import { ProberError } from '../../errors.js';
import type { WebhookSubscriptionRecord } from '../../stores/webhook-types.js';
import { sendApiError } from '../api-errors.js';
import { apiKeyOf, requireApiKey } from '../auth.js';
import type { ProberApp, ProberContext } from '../context.js';

const SECURITY = [{ bearerAuth: [] }];
const WEBHOOK_ID_BYTES = 12;
const ERRORS = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 429: ApiErrorSchema };

function toApi(record: WebhookSubscriptionRecord): WebhookSubscription {
  return {
    id: record.id,
    targetUrl: record.targetUrl,
    events: record.events as WebhookSubscription['events'],
    createdAt: record.createdAt,
  };
}

function sameEvents(left: readonly string[], right: readonly string[]): boolean {
  const sorted = (events: readonly string[]) => [...new Set(events)].sort().join(',');
  return sorted(left) === sorted(right);
}

/** `POST/GET /v1/webhooks`, `DELETE /v1/webhooks/:id`: REST-hook subscriptions of the requesting key. */
export function registerWebhookRoutes(app: ProberApp, context: ProberContext): void {
  const preHandler = requireApiKey(context);
  const store = context.stores.webhookStore;

  app.post(API_PATHS.webhooks, {
    preHandler,
    schema: {
      summary: 'Subscribe a URL to events of the key (REST hooks)',
      description:
        "Deliveries are signed with the key's webhook secret (`Mailprobe-Signature`), retried with backoff, and " +
        'go only to public addresses (the same guard as job callbacks). The same URL and events again answer ' +
        'the existing subscription (200).',
      tags: ['webhooks'],
      security: SECURITY,
      body: CreateWebhookRequestSchema,
      response: {
        200: WebhookSubscriptionSchema,
        201: WebhookSubscriptionSchema,
        ...ERRORS,
        409: ApiErrorSchema,
      },
    },
    handler: async (request, reply) => {
      const key = apiKeyOf(request);
      const { targetUrl, events } = request.body;
      await context.webhooks.checkCallbackUrl(targetUrl, 'body.targetUrl');
      const existing = (await store.listSubscriptions(key.id)).find(
        (subscription) => subscription.targetUrl === targetUrl && sameEvents(subscription.events, events),
      );
      if (existing) return reply.code(200).send(toApi(existing));
      const record: WebhookSubscriptionRecord = {
        id: `whk_${randomBytes(WEBHOOK_ID_BYTES).toString('hex')}`,
        keyId: key.id,
        targetUrl,
        events: [...new Set(events)],
        createdAt: new Date().toISOString(),
      };
      const limit = context.config.webhook.maxSubscriptionsPerKey;
      if (!(await store.addSubscription(record, limit))) {
        return sendApiError(reply, 'conflict', `this key already has ${limit} webhook subscriptions`);
      }
      return reply.code(201).send(toApi(record));
    },
  });

  app.get(API_PATHS.webhooks, {
    preHandler,
    schema: {
      summary: "The key's webhook subscriptions, oldest first",
      tags: ['webhooks'],
      security: SECURITY,
      response: { 200: WebhookListSchema, ...ERRORS },
    },
    handler: async (request) => ({
      webhooks: (await store.listSubscriptions(apiKeyOf(request).id)).map(toApi),
    }),
  });

  app.delete(API_PATHS.webhook, {
    preHandler,
    schema: {
      summary: 'Remove a webhook subscription',
      description:
        'Its deliveries not yet sent are cancelled at once; an attempt already in flight is aborted.',
      tags: ['webhooks'],
      security: SECURITY,
      params: WebhookParamsSchema,
      response: { 200: WebhookSubscriptionSchema, ...ERRORS, 404: ApiErrorSchema },
    },
    handler: async (request) => {
      const keyId = apiKeyOf(request).id;
      const { id } = request.params;
      const found = (await store.listSubscriptions(keyId)).find((subscription) => subscription.id === id);
      // Another key's subscription is indistinguishable from a missing one.
      if (!found || !(await store.deleteSubscription(keyId, id))) {
        throw new ProberError('not_found', `no webhook subscription ${id}`, 404);
      }
      // Its waiting deliveries went with it; an attempt in flight here is aborted (other nodes see it gone).
      context.webhooks.cancelSubscription(id);
      return toApi(found);
    },
  });
}
