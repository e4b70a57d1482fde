import { ApiErrorSchema } from '@mailprobe/core';
import { z } from 'zod';
import { sendApiError, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../api-errors.js';
import type { ProberApp, ProberContext } from '../context.js';
import { hasMetricsToken } from '../metrics-listener.js';

const StatusSchema = z.object({ status: z.string() });

/** The metrics text with the values read on demand refreshed first. */
export async function renderMetrics(context: ProberContext): Promise<{ contentType: string; body: string }> {
  context.metrics.queueDepth.set(await context.stores.queue.depth());
  return context.metrics.render();
}

/**
 * `/healthz` (the process answers), `/readyz` (its stores answer), and `/metrics` (Prometheus) only when a
 * metrics token is configured and presented: metrics live on the ops listener (`metricsListen`).
 */
export function registerOpsRoutes(app: ProberApp, context: ProberContext, isClosing: () => boolean): void {
  app.get('/healthz', {
    schema: { summary: 'Liveness', tags: ['operations'], response: { 200: StatusSchema } },
    handler: async () => ({ status: 'ok' }),
  });

  app.get('/readyz', {
    schema: {
      summary: 'Readiness: the stores answer and the node is not shutting down',
      tags: ['operations'],
      response: { 200: StatusSchema, 503: ApiErrorSchema },
    },
    handler: async (request, reply) => {
      if (isClosing())
        return sendApiError(reply, 'unavailable', 'shutting down', UNAVAILABLE_RETRY_AFTER_SECONDS);
      try {
        await context.stores.ping();
      } catch (error) {
        request.log.warn({ err: error }, 'store not ready');
        return sendApiError(reply, 'unavailable', 'store not reachable', UNAVAILABLE_RETRY_AFTER_SECONDS);
      }
      return { status: 'ready' };
    },
  });

  const token = context.config.metricsToken;
  if (token === null) return;
  app.get('/metrics', {
    schema: {
      summary: 'Prometheus metrics (Authorization: Bearer <metrics token>)',
      tags: ['operations'],
      response: { 200: z.string(), 401: ApiErrorSchema },
    },
    handler: async (request, reply) => {
      if (!hasMetricsToken(request.headers.authorization, token)) {
        return sendApiError(
          reply,
          'unauthorized',
          'send the metrics token as "Authorization: Bearer <token>"',
        );
      }
      const { contentType, body } = await renderMetrics(context);
      return reply.type(contentType).send(body);
    },
  });
}
