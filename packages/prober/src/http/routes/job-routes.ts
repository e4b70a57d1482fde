import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  API_HEADERS,
  API_PATHS,
  ApiErrorSchema,
  CallbackUrlSchema,
  CreateJobQuerySchema,
  CreateJobRequestSchema,
  CreateJobResponseSchema,
  JobListSchema,
  JobParamsSchema,
  JobSchema,
  ListJobsQuerySchema,
  MAX_ID_LENGTH,
  MEDIA_TYPES,
  resultCsvHeader,
  resultToCsvRow,
  type VerificationResult,
} from '@mailprobe/core';
import type { FastifyRequest } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import Negotiator from 'negotiator';
import { z } from 'zod';
import { ProberError } from '../../errors.js';
import { csvAddresses } from '../../jobs/csv-addresses.js';
import { ingestJob } from '../../jobs/ingest.js';
import { FINAL_STATES, toApiJob } from '../../jobs/job-view.js';
import { jsonJobBody } from '../../jobs/json-job-body.js';
import { fingerprintBody, RequestFingerprint } from '../../jobs/request-fingerprint.js';
import type { JobRecord } from '../../stores/types.js';
import { sendApiError } from '../api-errors.js';
import { apiKeyOf, requireApiKey } from '../auth.js';
import type { ProberApp, ProberContext } from '../context.js';

const SECURITY = [{ bearerAuth: [] }];
const JOB_ID_BYTES = 12;
/** Results read from the store per page while streaming them out. */
const RESULTS_PAGE_SIZE = 1000;

/** Retry-After of a repeated Idempotency-Key whose first upload is still being stored. */
const IDEMPOTENT_UPLOAD_RETRY_AFTER_SECONDS = 1;

const ERRORS = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 429: ApiErrorSchema };

/** The job of the requesting key, or 404 (another key's job is indistinguishable from a missing one). */
async function ownJob(context: ProberContext, request: FastifyRequest, id: string): Promise<JobRecord> {
  const job = await context.stores.jobs.getJob(id);
  if (!job || job.keyId !== apiKeyOf(request).id || job.state === 'ingesting') {
    throw new ProberError('not_found', `no job ${id}`, 404);
  }
  return job;
}

async function* resultLines(
  context: ProberContext,
  jobId: string,
  total: number,
  format: (result: VerificationResult) => string,
  header: string | null,
): AsyncGenerator<string> {
  if (header !== null) yield header;
  for (let from = 0; from < total; from += RESULTS_PAGE_SIZE) {
    const page = await context.stores.jobs.readResults(jobId, from, RESULTS_PAGE_SIZE);
    let text = '';
    for (const result of page) if (result) text += format(result);
    if (text) yield text;
  }
}

/** Result formats in the server's order of preference, for content negotiation with q-values (`text/csv;q=0` refuses CSV). */
const RESULT_TYPES = [MEDIA_TYPES.ndjson, MEDIA_TYPES.json, MEDIA_TYPES.csv];

function preferredResultType(accept: string | undefined): 'ndjson' | 'csv' | null {
  if (!accept) return 'ndjson';
  const chosen = new Negotiator({ headers: { accept } }).mediaType(RESULT_TYPES);
  if (chosen === undefined) return null;
  return chosen === MEDIA_TYPES.csv ? 'csv' : 'ndjson';
}

/** `POST /v1/jobs`: a streamed JSON or CSV upload, ingested in batches; the callback URL is checked first. */
function registerCreateJob(app: ProberApp, context: ProberContext): void {
  const { config } = context;
  app.post(API_PATHS.jobs, {
    preHandler: requireApiKey(context),
    // The body schema documents the JSON upload; the body itself is a stream, validated while it is read.
    validatorCompiler: (route) => {
      const validate = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
      return (data: unknown) =>
        route.httpPart === 'body' && isStream(data) ? { value: data } : validate(data);
    },
    schema: {
      summary: 'Create a bulk job from a JSON list or a CSV upload (both streamed)',
      description:
        'JSON: `{ "emails": [...], "callbackUrl"? }`. CSV: the address column is found from the first row; ' +
        '`callbackUrl` then goes in the query string. Addresses are de-duplicated; answers 202 once stored. ' +
        'Callback URLs must be http(s), without credentials, on a public address.',
      tags: ['jobs'],
      security: SECURITY,
      querystring: CreateJobQuerySchema,
      headers: z.object({ [API_HEADERS.idempotencyKey]: z.string().min(1).max(MAX_ID_LENGTH).optional() }),
      body: CreateJobRequestSchema,
      response: {
        202: CreateJobResponseSchema,
        ...ERRORS,
        413: ApiErrorSchema,
        415: ApiErrorSchema,
        503: ApiErrorSchema,
      },
    },
    handler: async (request, reply) => {
      const key = apiKeyOf(request);
      const body = request.body as unknown as Readable;
      try {
        const queryCallbackUrl = request.query.callbackUrl ?? null;
        if (queryCallbackUrl !== null) {
          await context.webhooks.checkCallbackUrl(queryCallbackUrl, 'querystring.callbackUrl');
        }
        const { created, job } = await context.stores.jobs.createJob({
          id: `job_${randomBytes(JOB_ID_BYTES).toString('hex')}`,
          keyId: key.id,
          callbackUrl: queryCallbackUrl,
          idempotencyKey: request.headers[API_HEADERS.idempotencyKey] ?? null,
          createdAt: new Date().toISOString(),
          ingestLeaseUntil: Date.now() + config.jobs.ingestLeaseMs,
        });
        if (!created && job.state === 'ingesting') {
          // The first upload under this key is still being stored; when a client retries, that upload is
          // usually the broken one and about to fail, which frees the key. Ask for the retry a little later.
          return sendApiError(
            reply,
            'unavailable',
            'an upload with this Idempotency-Key is still being stored; retry',
            IDEMPOTENT_UPLOAD_RETRY_AFTER_SECONDS,
          );
        }
        const format = isCsvRequest(request) ? 'csv' : 'json';
        if (!created) {
          // A reused Idempotency-Key must come with the same request; another one is refused (422), not
          // silently answered with the first job. A job stored before fingerprints existed has none to compare.
          const first = await context.stores.webhookStore.getRequestFingerprint(job.id);
          const repeat = first
            ? await fingerprintBody(body, format, queryCallbackUrl, config.jobs.bodyLimitBytes)
            : null;
          if (first && repeat !== first) {
            return sendApiError(
              reply,
              'idempotency_conflict',
              'this Idempotency-Key was used with a different request; use a new key for a new job',
            );
          }
          return reply.code(202).send({ id: job.id, status: toApiJob(job).status, total: job.total });
        }
        const fingerprint = new RequestFingerprint(format);
        const addresses = fingerprint.addresses(
          format === 'csv'
            ? csvAddresses(body, { maxBytes: config.jobs.bodyLimitBytes })
            : jsonAddresses(context, job.id, body),
        );
        const sealed = await ingestJob(
          {
            jobs: context.stores.jobs,
            queue: context.stores.queue,
            keys: context.stores.keys,
            jobId: job.id,
            keyId: key.id,
            chunkSize: config.jobs.chunkSize,
            batchSize: config.jobs.ingestBatchSize,
            maxAddresses: config.jobs.maxAddresses,
            leaseMs: config.jobs.ingestLeaseMs,
          },
          addresses,
        );
        if (request.headers[API_HEADERS.idempotencyKey]) {
          await context.stores.webhookStore.setRequestFingerprint(
            sealed.id,
            fingerprint.digest(sealed.callbackUrl),
          );
        }
        if (FINAL_STATES.includes(sealed.state)) context.webhooks.deliver(sealed.id);
        request.log.info({ jobId: sealed.id, total: sealed.total }, 'job created');
        return reply.code(202).send({ id: sealed.id, status: toApiJob(sealed).status, total: sealed.total });
      } finally {
        // Whatever was not read (an error, a repeated Idempotency-Key) is drained so the answer can be sent.
        if (!body.readableEnded) body.resume();
      }
    },
  });
}

/** The addresses of a streamed JSON body; a `callbackUrl` met on the way is checked and set on the job. */
async function* jsonAddresses(context: ProberContext, jobId: string, body: Readable): AsyncGenerator<string> {
  const field = 'body.callbackUrl';
  for await (const event of jsonJobBody(body, { maxBytes: context.config.jobs.bodyLimitBytes })) {
    if (event.kind === 'email') {
      yield event.address;
      continue;
    }
    const form = CallbackUrlSchema.safeParse(event.url);
    if (!form.success)
      throw new ProberError('bad_request', `${field}: ${form.error.issues[0]?.message}`, 400);
    await context.webhooks.checkCallbackUrl(event.url, field);
    await context.stores.jobs.setCallbackUrl(jobId, event.url);
  }
}

function isCsvRequest(request: FastifyRequest): boolean {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return type === MEDIA_TYPES.csv;
}

/** `POST/GET /v1/jobs`, `GET/DELETE /v1/jobs/:id`, `GET /v1/jobs/:id/results`. */
export function registerJobRoutes(app: ProberApp, context: ProberContext): void {
  const preHandler = requireApiKey(context);

  // Uploads reach the handler as the raw stream (JSON and CSV alike), so they are parsed while they arrive. The
  // parsers are swapped in a child scope, so every other route keeps Fastify's whole-body JSON parser.
  void app.register(async (scope) => {
    scope.removeContentTypeParser(MEDIA_TYPES.json);
    for (const type of [MEDIA_TYPES.json, MEDIA_TYPES.csv]) {
      scope.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    }
    registerCreateJob(scope as unknown as ProberApp, context);
  });

  app.get(API_PATHS.jobs, {
    preHandler,
    schema: {
      summary: "List the key's jobs, newest first",
      tags: ['jobs'],
      security: SECURITY,
      querystring: ListJobsQuerySchema,
      response: { 200: JobListSchema, ...ERRORS },
    },
    handler: async (request) => {
      const { status, limit, cursor } = request.query;
      const page = await context.stores.jobs.listJobs(apiKeyOf(request).id, {
        ...(status ? { state: status } : {}),
        limit,
        ...(cursor ? { cursor } : {}),
      });
      return { jobs: page.jobs.map(toApiJob), nextCursor: page.nextCursor };
    },
  });

  app.get(API_PATHS.job, {
    preHandler,
    schema: {
      summary: 'Progress and counts of a job',
      tags: ['jobs'],
      security: SECURITY,
      params: JobParamsSchema,
      response: { 200: JobSchema, ...ERRORS, 404: ApiErrorSchema },
    },
    handler: async (request) => toApiJob(await ownJob(context, request, request.params.id)),
  });

  app.delete(API_PATHS.job, {
    preHandler,
    schema: {
      summary: 'Cancel a job (results so far stay readable)',
      tags: ['jobs'],
      security: SECURITY,
      params: JobParamsSchema,
      response: { 200: JobSchema, ...ERRORS, 404: ApiErrorSchema, 409: ApiErrorSchema },
    },
    handler: async (request, reply) => {
      const job = await ownJob(context, request, request.params.id);
      const cancelled = await context.stores.jobs.setState(job.id, 'cancelled', ['queued', 'running']);
      if (!cancelled) return sendApiError(reply, 'conflict', `job ${job.id} already ended (${job.state})`);
      context.metrics.jobsFinished.inc({ state: 'cancelled' });
      context.webhooks.deliver(job.id);
      return toApiJob(await ownJob(context, request, job.id));
    },
  });

  app.get(API_PATHS.jobResults, {
    preHandler,
    schema: {
      summary: 'Results so far, streamed: NDJSON (default) or CSV (Accept: text/csv)',
      tags: ['jobs'],
      security: SECURITY,
      params: JobParamsSchema,
      response: {
        200: z.string().describe('NDJSON (one VerificationResult per line) or CSV with RESULT_CSV_COLUMNS'),
        ...ERRORS,
        404: ApiErrorSchema,
        406: ApiErrorSchema,
      },
    },
    handler: async (request, reply) => {
      const job = await ownJob(context, request, request.params.id);
      const type = preferredResultType(request.headers.accept);
      if (type === null)
        return sendApiError(
          reply,
          'not_acceptable',
          'results are served as application/x-ndjson or text/csv',
        );
      const lines =
        type === 'csv'
          ? resultLines(
              context,
              job.id,
              job.total,
              (result) => `${resultToCsvRow(result)}\r\n`,
              `${resultCsvHeader()}\r\n`,
            )
          : resultLines(context, job.id, job.total, (result) => `${JSON.stringify(result)}\n`, null);
      reply.type(type === 'csv' ? `${MEDIA_TYPES.csv}; charset=utf-8` : MEDIA_TYPES.ndjson);
      // Streams bypass the serializer; the 200 schema only documents the body.
      return reply.send(Readable.from(lines) as unknown as string);
    },
  });
}

function isStream(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function';
}
