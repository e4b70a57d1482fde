import { randomUUID } from 'node:crypto';
import type {
  CreateJobResponse,
  CreateWebhookRequest,
  Job,
  JobList,
  JobStatus,
  MeResponse,
  WebhookList,
  WebhookSubscription,
} from '../contract/index.js';
import {
  BatchResponseSchema,
  CreateJobResponseSchema,
  JobListSchema,
  JobSchema,
  MeResponseSchema,
  VerifyResponseSchema,
  WebhookListSchema,
  WebhookSubscriptionSchema,
} from '../contract/index.js';
import { MAX_BATCH_SIZE } from '../contract/limits.js';
import {
  API_HEADERS,
  API_PATHS,
  jobPath,
  jobResultsPath,
  MEDIA_TYPES,
  webhookPath,
} from '../contract/paths.js';
import { type VerificationResult, VerificationResultSchema } from '../vocabulary.js';
import { readLines } from './body-reader.js';
import { ProberApiError } from './prober-api-error.js';
import {
  classifyFailure,
  createTransport,
  parseAnswer,
  type RequestBody,
  type RequestSpec,
  readJson,
} from './transport.js';

/** Defaults of `createProberClient` options. */
export const PROBER_CLIENT_DEFAULTS = {
  /** Per attempt: until the whole JSON answer is read; for streamed results, the longest silence. */
  timeoutMs: 30_000,
  /** Retries after the first attempt, for retryable failures only. */
  maxRetries: 3,
  /** First backoff ceiling; doubles each retry (full jitter picks a wait below it). */
  retryBaseDelayMs: 500,
  /** Largest backoff ceiling. */
  retryMaxDelayMs: 20_000,
  /** A `Retry-After` longer than this is not waited for: the error is raised with `retryAfterMs` set. */
  maxRetryAfterMs: 60_000,
  userAgent: 'mailprobe-core-client',
  /** Longest NDJSON line accepted from `jobResults` (a result is ~1 KB). */
  maxResultLineLength: 1024 * 1024,
} as const;

export interface ProberClientOptions {
  /** Prober root, e.g. `https://prober.example.com` (a path prefix is kept). */
  baseUrl: string | URL;
  apiKey: string;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  maxRetryAfterMs?: number;
  /** Defaults to `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  userAgent?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export type CsvSource = string | AsyncIterable<Uint8Array | string>;

export type CreateJobInput =
  | { emails: readonly string[]; callbackUrl?: string }
  | { csv: CsvSource; callbackUrl?: string };

export interface ProberClient {
  /** `GET /v1/me`. */
  me(options?: CallOptions): Promise<MeResponse>;
  /** `POST /v1/verify`. */
  verify(email: string, options?: CallOptions & { fresh?: boolean }): Promise<VerificationResult>;
  /** `POST /v1/verify/batch`, split into sequential calls of at most `MAX_BATCH_SIZE`; results in input order. */
  verifyBatch(emails: readonly string[], options?: CallOptions): Promise<VerificationResult[]>;
  /** `POST /v1/jobs` with a JSON list or a CSV upload (string or stream), sent with an `Idempotency-Key`. */
  createJob(
    input: CreateJobInput,
    options?: CallOptions & { idempotencyKey?: string },
  ): Promise<CreateJobResponse>;
  /** `GET /v1/jobs/:id`. */
  getJob(id: string, options?: CallOptions): Promise<Job>;
  /** `GET /v1/jobs`, newest first. */
  listJobs(query?: CallOptions & { status?: JobStatus; limit?: number; cursor?: string }): Promise<JobList>;
  /** `GET /v1/jobs/:id/results` as NDJSON, parsed line by line while the body streams in. */
  jobResults(id: string, options?: CallOptions & { format?: 'ndjson' }): AsyncIterable<VerificationResult>;
  /** `DELETE /v1/jobs/:id`; answers the job as it is after cancelling. */
  cancelJob(id: string, options?: CallOptions): Promise<Job>;
  /**
   * `POST /v1/webhooks`: subscribes `targetUrl` to events of the key (signed with the key's webhook secret).
   * Safe to retry: the same URL and events answer the existing subscription.
   */
  createWebhook(input: CreateWebhookRequest, options?: CallOptions): Promise<WebhookSubscription>;
  /** `GET /v1/webhooks`: the key's subscriptions, oldest first. */
  listWebhooks(options?: CallOptions): Promise<WebhookList>;
  /** `DELETE /v1/webhooks/:id`; answers the removed subscription. */
  deleteWebhook(id: string, options?: CallOptions): Promise<WebhookSubscription>;
}

function checkOptions(options: ProberClientOptions): void {
  const url = new URL(options.baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must be an http(s) URL, got ${url.protocol}`);
  }
  // Control bytes would make fetch throw later with a misleading network error; say it now.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control bytes is the point
  if (options.apiKey === '' || /[\u0000-\u001f\u007f\s]/.test(options.apiKey)) {
    throw new TypeError('apiKey must be a non-empty string without whitespace or control characters');
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0))
    throw new TypeError('timeoutMs must be > 0');
  if (
    options.maxRetries !== undefined &&
    !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)
  ) {
    throw new TypeError('maxRetries must be an integer >= 0');
  }
}

function jsonBody(value: unknown): RequestBody {
  const text = JSON.stringify(value);
  return { contentType: MEDIA_TYPES.json, streamed: false, create: () => text };
}

function csvBody(csv: CsvSource): RequestBody {
  const contentType = `${MEDIA_TYPES.csv}; charset=utf-8`;
  if (typeof csv === 'string') return { contentType, streamed: false, create: () => csv };
  return { contentType, streamed: true, create: () => toReadableStream(csv) };
}

/** A pull-based byte stream over an async iterable: nothing is read ahead of what fetch sends. */
function toReadableStream(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** A client for prober API v1 (see docs/api-v1.md). Uses only `fetch`, so it runs in Node 20+ and bundles. */
export function createProberClient(options: ProberClientOptions): ProberClient {
  checkOptions(options);
  const defaults = PROBER_CLIENT_DEFAULTS;
  const settings = {
    baseUrl: String(options.baseUrl),
    apiKey: options.apiKey,
    userAgent: options.userAgent ?? defaults.userAgent,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    maxRetries: options.maxRetries ?? defaults.maxRetries,
    retryBaseDelayMs: options.retryBaseDelayMs ?? defaults.retryBaseDelayMs,
    retryMaxDelayMs: options.retryMaxDelayMs ?? defaults.retryMaxDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? defaults.maxRetryAfterMs,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
  };
  const transport = createTransport(settings);
  const json = MEDIA_TYPES.json;

  async function verifyChunk(emails: readonly string[], signal?: AbortSignal): Promise<VerificationResult[]> {
    const spec: RequestSpec = {
      method: 'POST',
      path: API_PATHS.verifyBatch,
      accept: json,
      body: jsonBody({ emails }),
      signal,
    };
    return transport.execute(spec, async (response) => {
      const { results } = await readJson(response, BatchResponseSchema, 'batch response');
      if (results.length !== emails.length) {
        throw new ProberApiError({
          code: 'invalid_response',
          status: response.status,
          message: `The prober answered ${results.length} results for ${emails.length} addresses`,
        });
      }
      return results;
    });
  }

  async function* streamResults(id: string, signal?: AbortSignal): AsyncGenerator<VerificationResult> {
    const spec = { method: 'GET', path: jobResultsPath(id), accept: MEDIA_TYPES.ndjson, signal } as const;
    const { response, timer } = await transport.execute(
      spec,
      async (answer, attemptTimer) => {
        const contentType = answer.headers.get('content-type') ?? '';
        if (!contentType.startsWith(MEDIA_TYPES.ndjson) || answer.body === null) {
          throw new ProberApiError({
            code: 'invalid_response',
            status: answer.status,
            message: `Expected ${MEDIA_TYPES.ndjson} results, got ${JSON.stringify(contentType)}`,
          });
        }
        return { response: answer, timer: attemptTimer };
      },
      { keepTimer: true },
    );
    let lineNumber = 0;
    try {
      const lines = readLines(response.body as ReadableStream<Uint8Array>, {
        maxLineLength: defaults.maxResultLineLength,
        status: response.status,
        onChunk: () => timer.restart(),
      });
      for await (const line of lines) {
        lineNumber += 1;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (cause) {
          throw new ProberApiError({
            code: 'invalid_response',
            status: response.status,
            message: `Results line ${lineNumber} is not JSON`,
            cause,
          });
        }
        yield parseAnswer(VerificationResultSchema, value, response.status, `result on line ${lineNumber}`);
      }
    } catch (cause) {
      throw classifyFailure(cause, timer, signal);
    } finally {
      timer.clear();
    }
  }

  return {
    me: ({ signal } = {}) =>
      transport.execute({ method: 'GET', path: API_PATHS.me, accept: json, signal }, (response) =>
        readJson(response, MeResponseSchema, 'account'),
      ),

    verify: (email, { fresh, signal } = {}) =>
      transport.execute(
        { method: 'POST', path: API_PATHS.verify, accept: json, body: jsonBody({ email, fresh }), signal },
        (response) => readJson(response, VerifyResponseSchema, 'verification result'),
      ),

    async verifyBatch(emails, { signal } = {}) {
      const results: VerificationResult[] = [];
      for (let start = 0; start < emails.length; start += MAX_BATCH_SIZE) {
        results.push(...(await verifyChunk(emails.slice(start, start + MAX_BATCH_SIZE), signal)));
      }
      return results;
    },

    createJob(input, { signal, idempotencyKey = randomUUID() } = {}) {
      const isCsv = 'csv' in input;
      return transport.execute(
        {
          method: 'POST',
          path: API_PATHS.jobs,
          accept: json,
          // The same key on every attempt lets the server answer a retried POST with the job it already made.
          headers: { [API_HEADERS.idempotencyKey]: idempotencyKey },
          query: isCsv ? { callbackUrl: input.callbackUrl } : undefined,
          body: isCsv
            ? csvBody(input.csv)
            : jsonBody({ emails: input.emails, callbackUrl: input.callbackUrl }),
          signal,
        },
        (response) => readJson(response, CreateJobResponseSchema, 'job creation answer'),
      );
    },

    getJob: (id, { signal } = {}) =>
      transport.execute({ method: 'GET', path: jobPath(id), accept: json, signal }, (response) =>
        readJson(response, JobSchema, 'job'),
      ),

    listJobs: ({ status, limit, cursor, signal } = {}) =>
      transport.execute(
        { method: 'GET', path: API_PATHS.jobs, query: { status, limit, cursor }, accept: json, signal },
        (response) => readJson(response, JobListSchema, 'job list'),
      ),

    jobResults: (id, { signal } = {}) => streamResults(id, signal),

    cancelJob: (id, { signal } = {}) =>
      transport.execute({ method: 'DELETE', path: jobPath(id), accept: json, signal }, (response) =>
        readJson(response, JobSchema, 'job'),
      ),
    createWebhook: (input, { signal } = {}) =>
      transport.execute(
        {
          method: 'POST',
          path: API_PATHS.webhooks,
          accept: json,
          body: jsonBody({ targetUrl: input.targetUrl, events: input.events }),
          signal,
        },
        (response) => readJson(response, WebhookSubscriptionSchema, 'webhook subscription'),
      ),
    listWebhooks: ({ signal } = {}) =>
      transport.execute({ method: 'GET', path: API_PATHS.webhooks, accept: json, signal }, (response) =>
        readJson(response, WebhookListSchema, 'webhook list'),
      ),
    deleteWebhook: (id, { signal } = {}) =>
      transport.execute({ method: 'DELETE', path: webhookPath(id), accept: json, signal }, (response) =>
        readJson(response, WebhookSubscriptionSchema, 'webhook subscription'),
      ),
  };
}
