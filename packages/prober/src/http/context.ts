import type { Engine } from '@mailprobe/engine';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ProberConfig } from '../config.js';
import type { JobWorker } from '../jobs/job-worker.js';
import type { WebhookSender } from '../jobs/webhook.js';
import type { ProberMetrics } from '../metrics.js';
import type { SourceDoctor } from '../source-doctor.js';
import type { Stores } from '../stores/create-stores.js';
import type { ApiKeyRecord } from '../stores/types.js';
import type { VerificationService } from '../verification-service.js';
import type { RequestLimiter } from './request-limiter.js';

/** Everything the routes need, built once per server. */
export interface ProberContext {
  config: ProberConfig;
  stores: Stores;
  engine: Engine;
  service: VerificationService;
  metrics: ProberMetrics;
  requestLimiter: RequestLimiter;
  webhooks: WebhookSender;
  worker: JobWorker;
  /** The doctor over the source addresses (its findings in /readyz). */
  doctor: SourceDoctor;
}

export type ProberApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated key of a /v1 request. */
    apiKey: ApiKeyRecord | null;
    /** What a route adds to the request's one log line: its message and fields (hashed or counted, never an address or key). */
    logLine: { message: string; fields: Record<string, unknown> } | null;
  }
}
