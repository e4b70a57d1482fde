import { ApiErrorSchema } from '@mailprobe/core';
import { z } from 'zod';
import { sendApiError, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../api-errors.js';
import type { ProberApp, ProberContext } from '../context.js';
import { hasMetricsToken } from '../metrics-listener.js';

const StatusSchema = z.object({ status: z.string() });
const ReadySchema = StatusSchema.extend({
  /** Only when dedicated source addresses are configured: the doctor's last findings. */
  sources: z
    .object({
      checkedAt: z.string().nullable(),
      benched: z.array(z.string()),
      failing: z.record(z.string(), z.array(z.string())),
    })
    .optional(),
  /** Only when SOCKS5 egresses are configured: each one's state (URLs shown without passwords). */
  proxies: z
    .array(
      z.object({
        name: z.string(),
        url: z.string(),
        benched: z.boolean(),
        benchedUntil: z.string().nullable(),
        lastFailure: z
          .object({ code: z.string(), replyCode: z.number().nullable(), at: z.string() })
          .nullable(),
      }),
    )
    .optional(),
});

/** The metrics text with the values read on demand refreshed first. */
export async function renderMetrics(context: ProberContext): Promise<{ contentType: string; body: string }> {
  try {
    context.metrics.queueDepth.set(await context.stores.queue.depth());
  } catch {
    // The store is away (readyz says so): the other metrics still render, the depth keeps its last value.
  }
  for (const proxy of context.engine.proxyStatus())
    context.metrics.proxyBenched.set({ proxy: proxy.name }, proxy.benched ? 1 : 0);
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
      response: { 200: ReadySchema, 503: ApiErrorSchema },
    },
    handler: async (request, reply) => {
      if (isClosing())
        return sendApiError(reply, 'unavailable', 'shutting down', UNAVAILABLE_RETRY_AFTER_SECONDS);
      try {
        await context.stores.ping();
      } catch (error) {
        request.log.warn({ err: error }, 'store not ready');
        return sendApiError(
          reply,
          'unavailable',
          `store not reachable (${(error as Error).message})`,
          UNAVAILABLE_RETRY_AFTER_SECONDS,
        );
      }
      // A benched address does not make the node unready: the other sources (or the OS's) still probe.
      // A benched proxy does not either: its providers' results are UNKNOWN until it is tried again.
      const sources = context.doctor.status();
      const proxies = context.engine.proxyStatus();
      return {
        status: 'ready',
        ...(sources ? { sources } : {}),
        ...(proxies.length > 0 ? { proxies } : {}),
      };
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
