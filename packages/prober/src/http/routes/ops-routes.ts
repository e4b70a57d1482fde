import { ApiErrorSchema } from '@mailprobe/core';
import { z } from 'zod';
import { sendApiError, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../api-errors.js';
import type { ProberApp, ProberContext } from '../context.js';

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
});

/** `/healthz` (the process answers), `/readyz` (its stores answer), `/metrics` (Prometheus). */
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
        return sendApiError(reply, 'unavailable', 'store not reachable', UNAVAILABLE_RETRY_AFTER_SECONDS);
      }
      // A benched address does not make the node unready: the other sources (or the OS's) still probe.
      const sources = context.doctor.status();
      return sources ? { status: 'ready', sources } : { status: 'ready' };
    },
  });

  app.get('/metrics', {
    schema: { summary: 'Prometheus metrics', tags: ['operations'], response: { 200: z.string() } },
    handler: async (_request, reply) => {
      context.metrics.queueDepth.set(await context.stores.queue.depth());
      const { contentType, body } = await context.metrics.render();
      return reply.type(contentType).send(body);
    },
  });
}
