import { randomUUID } from 'node:crypto';
import type {
  CreateJobResponse,
  CreateWebhookRequest,
  Job,
  JobList,
  JobResultRow,
  JobStatus,
  MeResponse,
  WebhookList,
  WebhookSubscription,
} from '../contract/index.js';
import {
  BatchResponseSchema,
  CreateJobResponseSchema,
  FINAL_JOB_STATUSES,
  JobResultRowSchema,
  LenientJobListSchema,
  LenientJobSchema,
  MeResponseSchema,
  VerifyResponseSchema,
  WebhookListSchema,
  WebhookSubscriptionSchema,
} from '../contract/index.js';
import { MAX_BATCH_SIZE } from '../contract/limits.js';
import {
  API_HEADERS,
  API_PATHS,
  jobCancelPath,
  jobFinishPath,
  jobPath,
  jobResultsPath,
  MEDIA_TYPES,
  webhookPath,
} from '../contract/paths.js';
import type { Status, VerificationResult } from '../vocabulary.js';
import { readLines } from './body-reader.js';
import { ProberApiError } from './prober-api-error.js';
import { sleep } from './retry.js';
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
  /** Longest NDJSON line accepted from `jobResults` (a result is ~1 KB, plus the row's own columns). */
  maxResultLineLength: 1024 * 1024,
  /** `waitForJob`: time between two `GET /v1/jobs/:id`. */
  pollIntervalMs: 1000,
  /**
   * Added to a call's own `timeoutMs` budget for the attempt timeout, so the server's UNKNOWN `timeout` answer
   * arrives before the client gives up.
   */
  budgetHeadroomMs: 5000,
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

/**
 * What a job is made from: a JSON list of addresses, a CSV file, or NDJSON (one address string or one flat object
 * per line). `column` picks the address column of a CSV/NDJSON upload (header name or 1-based number); without it
 * the server finds it (see `detectAddressColumn`).
 */
export type CreateJobInput =
  | { emails: readonly string[]; callbackUrl?: string }
  | { csv: CsvSource; column?: string | number; callbackUrl?: string }
  | { ndjson: CsvSource; column?: string | number; callbackUrl?: string };

export interface JobResultsOptions extends CallOptions {
  /** Only rows with this verdict. */
  status?: Status;
}

export interface WaitForJobOptions extends CallOptions {
  /** Time between polls (default `PROBER_CLIENT_DEFAULTS.pollIntervalMs`). */
  intervalMs?: number;
  /** Called with every state seen, the final one included (e.g. to draw a progress bar). */
  onProgress?: (job: Job) => void;
}

export interface ProberClient {
  /** `GET /v1/me`. */
  me(options?: CallOptions): Promise<MeResponse>;
  /** `POST /v1/verify`. */
  verify(
    email: string,
    options?: CallOptions & { fresh?: boolean; timeoutMs?: number },
  ): Promise<VerificationResult>;
  /**
   * `POST /v1/verify/batch`, split into sequential calls of at most `MAX_BATCH_SIZE`; results in input order.
   * `timeoutMs` is the server-side budget of each call; `fresh` skips the results cache.
   */
  verifyBatch(
    emails: readonly string[],
    options?: CallOptions & { fresh?: boolean; timeoutMs?: number },
  ): Promise<VerificationResult[]>;
  /** `POST /v1/jobs` with a JSON list or a CSV/NDJSON upload (string or stream), sent with an `Idempotency-Key`. */
  createJob(
    input: CreateJobInput,
    options?: CallOptions & { idempotencyKey?: string },
  ): Promise<CreateJobResponse>;
  /** `GET /v1/jobs/:id`. */
  getJob(id: string, options?: CallOptions): Promise<Job>;
  /** `GET /v1/jobs`, newest first. */
  listJobs(query?: CallOptions & { status?: JobStatus; limit?: number; cursor?: string }): Promise<JobList>;
  /** Polls `GET /v1/jobs/:id` until the job reaches a final state, and answers that state. */
  waitForJob(id: string, options?: WaitForJobOptions): Promise<Job>;
  /**
   * `GET /v1/jobs/:id/results` as NDJSON, parsed line by line while the body streams in: one row per input row, in
   * input order, with `row`, `input` and the original `columns`.
   */
  jobResults(id: string, options?: JobResultsOptions & { format?: 'ndjson' }): AsyncIterable<JobResultRow>;
  /**
   * `GET /v1/jobs/:id/results` as CSV text, streamed as it arrives: the upload's own columns untouched, then the
   * `mailprobe_*` result columns (`JOB_RESULT_CSV_COLUMNS`).
   */
  jobResultsCsv(id: string, options?: JobResultsOptions): AsyncIterable<string>;
  /** `POST /v1/jobs/:id/cancel`; answers the job as it is after cancelling (its results so far stay). */
  cancelJob(id: string, options?: CallOptions): Promise<Job>;
  /**
   * `POST /v1/jobs/:id/finish` ("finish now"): the job completes at once with what it has; addresses waiting for a
   * re-probe keep their latest result, those never probed get UNKNOWN `not_checked` and are not charged.
   */
  finishJob(id: string, options?: CallOptions): Promise<Job>;
  /** `DELETE /v1/jobs/:id`: removes the job and its addresses (a running job is cancelled first); answers its last state. */
  deleteJob(id: string, options?: CallOptions): Promise<Job>;
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

function fileBody(source: CsvSource, mediaType: string): RequestBody {
  const contentType = `${mediaType}; charset=utf-8`;
  if (typeof source === 'string') return { contentType, streamed: false, create: () => source };
  return { contentType, streamed: true, create: () => toReadableStream(source) };
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

  /** The transport, or one whose attempt timeout leaves room for a server-side budget longer than it. */
  function budgeted(timeoutMs: number | undefined) {
    if (timeoutMs === undefined || timeoutMs + defaults.budgetHeadroomMs <= settings.timeoutMs)
      return transport;
    return createTransport({ ...settings, timeoutMs: timeoutMs + defaults.budgetHeadroomMs });
  }

  async function verifyChunk(
    emails: readonly string[],
    { fresh, timeoutMs }: { fresh: boolean | undefined; timeoutMs: number | undefined },
    signal?: AbortSignal,
  ): Promise<VerificationResult[]> {
    const spec: RequestSpec = {
      method: 'POST',
      path: API_PATHS.verifyBatch,
      accept: json,
      body: jsonBody({ emails, fresh, timeoutMs }),
      signal,
    };
    return budgeted(timeoutMs).execute(spec, async (response) => {
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

  /** Opens a streamed results answer of the wanted media type; the attempt timer then guards idle time. */
  function openResults(id: string, type: string, status: Status | undefined, signal?: AbortSignal) {
    const spec = {
      method: 'GET',
      path: jobResultsPath(id),
      query: { status },
      accept: type,
      signal,
    } as const;
    return transport.execute(
      spec,
      async (answer, attemptTimer) => {
        const contentType = answer.headers.get('content-type') ?? '';
        if (!contentType.startsWith(type) || answer.body === null) {
          throw new ProberApiError({
            code: 'invalid_response',
            status: answer.status,
            message: `Expected ${type} results, got ${JSON.stringify(contentType)}`,
          });
        }
        return { response: answer, timer: attemptTimer };
      },
      { keepTimer: true },
    );
  }

  async function* streamCsv(
    id: string,
    status: Status | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<string> {
    const { response, timer } = await openResults(id, MEDIA_TYPES.csv, status, signal);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        timer.restart();
        const text = decoder.decode(value, { stream: true });
        if (text) yield text;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    } catch (cause) {
      throw classifyFailure(cause, timer, signal);
    } finally {
      timer.clear();
      await reader.cancel().catch(() => {});
    }
  }

  async function* streamResults(
    id: string,
    status: Status | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<JobResultRow> {
    const { response, timer } = await openResults(id, MEDIA_TYPES.ndjson, status, signal);
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
        yield parseAnswer(JobResultRowSchema, value, response.status, `result on line ${lineNumber}`);
      }
    } catch (cause) {
      throw classifyFailure(cause, timer, signal);
    } finally {
      timer.clear();
    }
  }

  const getJob = (id: string, { signal }: CallOptions = {}): Promise<Job> =>
    transport.execute({ method: 'GET', path: jobPath(id), accept: json, signal }, (response) =>
      readJson(response, LenientJobSchema, 'job'),
    );

  return {
    me: ({ signal } = {}) =>
      transport.execute({ method: 'GET', path: API_PATHS.me, accept: json, signal }, (response) =>
        readJson(response, MeResponseSchema, 'account'),
      ),

    verify: (email, { fresh, timeoutMs, signal } = {}) =>
      budgeted(timeoutMs).execute(
        {
          method: 'POST',
          path: API_PATHS.verify,
          accept: json,
          body: jsonBody({ email, fresh, timeoutMs }),
          signal,
        },
        (response) => readJson(response, VerifyResponseSchema, 'verification result'),
      ),

    async verifyBatch(emails, { fresh, timeoutMs, signal } = {}) {
      const results: VerificationResult[] = [];
      for (let start = 0; start < emails.length; start += MAX_BATCH_SIZE) {
        const chunk = emails.slice(start, start + MAX_BATCH_SIZE);
        results.push(...(await verifyChunk(chunk, { fresh, timeoutMs }, signal)));
      }
      return results;
    },

    createJob(input, { signal, idempotencyKey = randomUUID() } = {}) {
      const file =
        'csv' in input
          ? fileBody(input.csv, MEDIA_TYPES.csv)
          : 'ndjson' in input
            ? fileBody(input.ndjson, MEDIA_TYPES.ndjson)
            : null;
      const column = 'column' in input && input.column !== undefined ? String(input.column) : undefined;
      return transport.execute(
        {
          method: 'POST',
          path: API_PATHS.jobs,
          accept: json,
          // The same key on every attempt lets the server answer a retried POST with the job it already made.
          headers: { [API_HEADERS.idempotencyKey]: idempotencyKey },
          query: file ? { callbackUrl: input.callbackUrl, column } : undefined,
          body:
            file ??
            jsonBody({ emails: 'emails' in input ? input.emails : [], callbackUrl: input.callbackUrl }),
          signal,
        },
        (response) => readJson(response, CreateJobResponseSchema, 'job creation answer'),
      );
    },

    getJob,

    listJobs: ({ status, limit, cursor, signal } = {}) =>
      transport.execute(
        { method: 'GET', path: API_PATHS.jobs, query: { status, limit, cursor }, accept: json, signal },
        (response) => readJson(response, LenientJobListSchema, 'job list'),
      ),

    async waitForJob(id, { intervalMs = defaults.pollIntervalMs, onProgress, signal } = {}) {
      for (;;) {
        const job = await getJob(id, { signal });
        onProgress?.(job);
        if (FINAL_JOB_STATUSES.includes(job.status)) return job;
        await sleep(intervalMs, signal);
      }
    },

    jobResults: (id, { status, signal } = {}) => streamResults(id, status, signal),

    jobResultsCsv: (id, { status, signal } = {}) => streamCsv(id, status, signal),

    cancelJob: (id, { signal } = {}) =>
      transport.execute({ method: 'POST', path: jobCancelPath(id), accept: json, signal }, (response) =>
        readJson(response, LenientJobSchema, 'job'),
      ),

    finishJob: (id, { signal } = {}) =>
      transport.execute({ method: 'POST', path: jobFinishPath(id), accept: json, signal }, (response) =>
        readJson(response, LenientJobSchema, 'job'),
      ),

    deleteJob: (id, { signal } = {}) =>
      transport.execute({ method: 'DELETE', path: jobPath(id), accept: json, signal }, (response) =>
        readJson(response, LenientJobSchema, 'job'),
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
