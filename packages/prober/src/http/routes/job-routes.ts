import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  API_HEADERS,
  API_PATHS,
  ApiErrorSchema,
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
import { z } from 'zod';
import { ProberError } from '../../errors.js';
import { csvAddresses } from '../../jobs/csv-addresses.js';
import { ingestJob } from '../../jobs/ingest.js';
import { FINAL_STATES, toApiJob } from '../../jobs/job-view.js';
import type { JobRecord } from '../../stores/types.js';
import { sendApiError } from '../api-errors.js';
import { apiKeyOf, requireApiKey } from '../auth.js';
import type { ProberApp, ProberContext } from '../context.js';

const SECURITY = [{ bearerAuth: [] }];
const JOB_ID_BYTES = 12;
/** Results read from the store per page while streaming them out. */
const RESULTS_PAGE_SIZE = 1000;

const ERRORS = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 429: ApiErrorSchema };

async function* jsonAddresses(emails: string[]): AsyncGenerator<string> {
  yield* emails;
}

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

function preferredResultType(accept: string | undefined): 'ndjson' | 'csv' | null {
  if (!accept) return 'ndjson';
  const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
  for (const type of types) {
    if (
      type === MEDIA_TYPES.ndjson ||
      type === MEDIA_TYPES.json ||
      type === '*/*' ||
      type === 'application/*'
    ) {
      return 'ndjson';
    }
    if (type === MEDIA_TYPES.csv || type === 'text/*') return 'csv';
  }
  return null;
}

/** `POST/GET /v1/jobs`, `GET/DELETE /v1/jobs/:id`, `GET /v1/jobs/:id/results`. */
export function registerJobRoutes(app: ProberApp, context: ProberContext): void {
  const preHandler = requireApiKey(context);
  const { config } = context;

  // A CSV upload reaches the handler as the raw stream, so it is parsed while it arrives.
  app.addContentTypeParser(MEDIA_TYPES.csv, (_request, payload, done) => done(null, payload));

  app.post(API_PATHS.jobs, {
    preHandler,
    bodyLimit: config.jobs.bodyLimitBytes,
    // JSON bodies are checked against the contract; a CSV body is a stream, validated while it is read.
    validatorCompiler: (route) => {
      const validate = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
      return (data: unknown) =>
        route.httpPart === 'body' && isStream(data) ? { value: data } : validate(data);
    },
    schema: {
      summary: 'Create a bulk job from a JSON list or a CSV upload (text/csv, streamed)',
      description:
        'JSON: `{ "emails": [...], "callbackUrl"? }`. CSV: the address column is found from the first row; ' +
        '`callbackUrl` then goes in the query string. Addresses are de-duplicated; answers 202 at once.',
      tags: ['jobs'],
      security: SECURITY,
      querystring: CreateJobQuerySchema,
      headers: z.object({ [API_HEADERS.idempotencyKey]: z.string().min(1).max(MAX_ID_LENGTH).optional() }),
      body: CreateJobRequestSchema,
      response: { 202: CreateJobResponseSchema, ...ERRORS, 413: ApiErrorSchema, 415: ApiErrorSchema },
    },
    handler: async (request, reply) => {
      const key = apiKeyOf(request);
      const body = request.body as z.infer<typeof CreateJobRequestSchema> | Readable;
      const streamed = isStream(body);
      const callbackUrl =
        (streamed ? request.query.callbackUrl : body.callbackUrl) ?? request.query.callbackUrl ?? null;
      const { created, job } = await context.stores.jobs.createJob({
        id: `job_${randomBytes(JOB_ID_BYTES).toString('hex')}`,
        keyId: key.id,
        callbackUrl,
        idempotencyKey: request.headers[API_HEADERS.idempotencyKey] ?? null,
        createdAt: new Date().toISOString(),
      });
      if (!created) {
        if (streamed) body.resume();
        return reply.code(202).send({ id: job.id, status: toApiJob(job).status, total: job.total });
      }
      const addresses = streamed
        ? csvAddresses(body, { maxBytes: config.jobs.bodyLimitBytes })
        : jsonAddresses(body.emails);
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
        },
        addresses,
      );
      if (FINAL_STATES.includes(sealed.state)) context.webhooks.deliver(sealed.id);
      request.log.info({ jobId: sealed.id, total: sealed.total }, 'job created');
      return reply.code(202).send({ id: sealed.id, status: toApiJob(sealed).status, total: sealed.total });
    },
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
