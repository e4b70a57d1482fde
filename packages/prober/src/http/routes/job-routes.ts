import type { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import {
  AddressColumnSelectorSchema,
  API_HEADERS,
  API_PATHS,
  ApiErrorSchema,
  CallbackUrlSchema,
  CreateJobQuerySchema,
  CreateJobRequestSchema,
  CreateJobResponseSchema,
  DryRunResponseSchema,
  JOB_RESULT_CSV_COLUMNS,
  JobListSchema,
  JobParamsSchema,
  JobResultsQuerySchema,
  JobSchema,
  ListJobsQuerySchema,
  MAX_ID_LENGTH,
  MEDIA_TYPES,
} from '@mailprobe/core';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cancelJob } from '../../jobs/cancel-job.js';
import { createJob } from '../../jobs/create-job.js';
import { deleteJob } from '../../jobs/delete-job.js';
import { finishJob } from '../../jobs/finish-job.js';
import { jobResults } from '../../jobs/job-results.js';
import { toApiJob, toCreatedJob } from '../../jobs/job-view.js';
import { ownJob } from '../../jobs/own-job.js';
import { sendApiError } from '../api-errors.js';
import { apiKeyOf, requireApiKey } from '../auth.js';
import type { ProberApp, ProberContext } from '../context.js';
import { MAX_MULTIPART_FIELDS, readJobUpload } from '../job-upload.js';
import { bodySignal } from '../request-body.js';

const SECURITY = [{ bearerAuth: [] }];

/** Retry-After of a repeated Idempotency-Key whose first upload is still being stored. */
const IDEMPOTENT_UPLOAD_RETRY_AFTER_SECONDS = 1;

const ERRORS = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 429: ApiErrorSchema };

/** `POST /v1/jobs`: a streamed JSON, CSV, NDJSON or multipart upload, ingested in batches; the callback URL is checked first. */
function registerCreateJob(app: ProberApp, context: ProberContext): void {
  app.post(API_PATHS.jobs, {
    preHandler: requireApiKey(context),
    // The body schema documents the JSON upload; the body itself is a stream, validated while it is read
    // (multipart bodies are read by the handler, so there is no body here at all).
    validatorCompiler: (route) => {
      const validate = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
      return (data: unknown) =>
        route.httpPart === 'body' && (isStream(data) || data === undefined || data === null)
          ? { value: data }
          : validate(data);
    },
    schema: {
      summary: 'Create a bulk job from a JSON list or a CSV, NDJSON or multipart file upload (all streamed)',
      description:
        'JSON: `{ "emails": [...], "callbackUrl"? }`. `text/csv` (UTF-8 with or without BOM; `,` `;` or tab; ' +
        'quoted fields may hold commas and newlines), `application/x-ndjson` (one address string or one flat object ' +
        'per line), or `multipart/form-data` with one file field (fields `column` and `callbackUrl` before it). ' +
        'The address column is `column` (header name or 1-based number), else a header such as email, e-mail, ' +
        'email address, work email, mail (case and punctuation ignored), else the single column holding addresses; ' +
        'none or several → 400 naming the columns found. Every row gets exactly one result, in upload order, with ' +
        'its own columns; each distinct address is verified (and charged) once. Answers 202 once stored. A ' +
        'rejected upload is not charged. Callback URLs must be http(s), without credentials, on a public address.',
      tags: ['jobs'],
      security: SECURITY,
      querystring: CreateJobQuerySchema,
      headers: z.object({ [API_HEADERS.idempotencyKey]: z.string().min(1).max(MAX_ID_LENGTH).optional() }),
      body: CreateJobRequestSchema,
      response: {
        200: DryRunResponseSchema,
        202: CreateJobResponseSchema,
        ...ERRORS,
        413: ApiErrorSchema,
        415: ApiErrorSchema,
        503: ApiErrorSchema,
      },
    },
    handler: async (request, reply) => {
      // What is left unread on any early answer (an error, a repeated Idempotency-Key) is the body watch's to
      // drain or close; an upload whose body does not arrive whole is never sealed.
      const signal = bodySignal(request);
      try {
        const outcome = await createJob(context, {
          ...(await readJobUpload(request, request.query)),
          keyId: apiKeyOf(request).id,
          idempotencyKey: request.headers[API_HEADERS.idempotencyKey] ?? null,
          dryRun: request.query.dryRun ?? false,
          signal,
        });
        switch (outcome.kind) {
          case 'dry_run':
            return reply.code(200).send(outcome.answer);
          case 'still_uploading':
            return sendApiError(
              reply,
              'unavailable',
              'an upload with this Idempotency-Key is still being stored; retry',
              IDEMPOTENT_UPLOAD_RETRY_AFTER_SECONDS,
            );
          case 'idempotency_conflict':
            return sendApiError(
              reply,
              'idempotency_conflict',
              'this Idempotency-Key was used with a different request; use a new key for a new job',
            );
          case 'repeated':
            return reply.code(202).send(toCreatedJob(outcome.job));
          case 'created': {
            const { id, total, rows } = outcome.job;
            request.log.info({ jobId: id, total, rows }, 'job created');
            return reply.code(202).send(toCreatedJob(outcome.job));
          }
        }
      } catch (error) {
        // Answered already (the body timed out): the job failed with it, and there is nobody left to tell.
        if (reply.sent) return reply;
        throw error;
      }
    },
  });
}

/** `POST/GET /v1/jobs`, `GET/DELETE /v1/jobs/:id`, `GET /v1/jobs/:id/results`. */
export function registerJobRoutes(app: ProberApp, context: ProberContext): void {
  const preHandler = requireApiKey(context);
  const { jobs } = context.stores;

  // Uploads reach the handler as the raw stream (JSON and CSV alike), so they are parsed while they arrive. The
  // parsers are swapped in a child scope, so every other route keeps Fastify's whole-body JSON parser.
  void app.register(async (scope) => {
    scope.removeContentTypeParser(MEDIA_TYPES.json);
    for (const type of [
      MEDIA_TYPES.json,
      MEDIA_TYPES.csv,
      MEDIA_TYPES.ndjson,
      MEDIA_TYPES.xlsx,
      MEDIA_TYPES.ods,
    ]) {
      scope.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    }
    // Multipart bodies stay unread until the handler walks their parts; the file streams like a CSV body does.
    await scope.register(fastifyMultipart, {
      limits: {
        files: 1,
        fields: MAX_MULTIPART_FIELDS,
        // One character over the longest field read, so an over-long value is refused by its schema (as the same
        // query parameter is) instead of being cut to fit.
        fieldSize: Math.max(CallbackUrlSchema.maxLength ?? 0, AddressColumnSelectorSchema.maxLength ?? 0) + 1,
        // The upload's own reader answers 413 at exactly the limit; this is only the backstop.
        fileSize: context.config.jobs.bodyLimitBytes + 1,
      },
    });
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
      const page = await jobs.listJobs(apiKeyOf(request).id, {
        ...(status ? { state: status } : {}),
        limit,
        ...(cursor ? { cursor } : {}),
      });
      return { jobs: page.jobs.map((job) => toApiJob(job)), nextCursor: page.nextCursor };
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
    handler: async (request) => toApiJob(await ownJob(jobs, apiKeyOf(request).id, request.params.id)),
  });

  app.post(API_PATHS.jobCancel, {
    preHandler,
    schema: {
      summary: 'Cancel a job (its results so far stay readable)',
      description: 'A queued or running job → cancelled; what was not verified is given back to the quota.',
      tags: ['jobs'],
      security: SECURITY,
      params: JobParamsSchema,
      response: { 200: JobSchema, ...ERRORS, 404: ApiErrorSchema, 409: ApiErrorSchema },
    },
    handler: async (request, reply) => {
      const keyId = apiKeyOf(request).id;
      const job = await ownJob(jobs, keyId, request.params.id);
      if ((await cancelJob(context, job)) === 'ended') {
        return sendApiError(reply, 'conflict', `job ${job.id} already ended (${job.state})`);
      }
      return toApiJob(await ownJob(jobs, keyId, job.id));
    },
  });

  app.post(API_PATHS.jobFinish, {
    preHandler,
    schema: {
      summary: 'Finish a job now with what it has',
      description:
        'A queued or running job → completed at once: addresses waiting for a re-probe (greylisting) keep their ' +
        'latest result, such as UNKNOWN `greylisted`; addresses never probed get UNKNOWN `not_checked` and are given ' +
        'back to the quota. A completed job is answered as it is; a cancelled or failed one is 409.',
      tags: ['jobs'],
      security: SECURITY,
      params: JobParamsSchema,
      response: { 200: JobSchema, ...ERRORS, 404: ApiErrorSchema, 409: ApiErrorSchema },
    },
    handler: async (request, reply) => {
      const keyId = apiKeyOf(request).id;
      const job = await ownJob(jobs, keyId, request.params.id);
      if ((await finishJob(context, job)) === 'ended') {
        return sendApiError(reply, 'conflict', `job ${job.id} already ended (${job.state})`);
      }
      request.log.info({ jobId: job.id }, 'job finished now');
      return toApiJob(await ownJob(jobs, keyId, job.id));
    },
  });

  app.delete(API_PATHS.job, {
    preHandler,
    schema: {
      summary: 'Delete a job with its addresses and results (a running job is cancelled first)',
      description:
        'Uploaded lists are personal data: this removes the job, its rows, addresses and results at once, in any ' +
        'state (finished jobs are also deleted by themselves after the retention period, 30 days by default). ' +
        'Answers the job as it was last; afterwards it is 404.',
      tags: ['jobs'],
      security: SECURITY,
      params: JobParamsSchema,
      response: { 200: JobSchema, ...ERRORS, 404: ApiErrorSchema },
    },
    handler: async (request) => {
      const last = await deleteJob(context, await ownJob(jobs, apiKeyOf(request).id, request.params.id));
      request.log.info({ jobId: last.id }, 'job deleted');
      return toApiJob(last);
    },
  });

  app.get(API_PATHS.jobResults, {
    preHandler,
    schema: {
      summary: 'Results so far, one per input row in upload order, streamed: NDJSON (default) or CSV',
      description:
        'NDJSON: one `JobResultRow` per line (`VerificationResult` + `row`, `input`, `columns`, `skipped`, ' +
        '`duplicateOf`; a row with a blank address cell has `status: null` and `skipped: "blank"`). CSV (`Accept: ' +
        "text/csv` or `?format=csv`): the upload's own rows byte for byte — same delimiter, byte-order mark, line " +
        `ending and quoting — then ${JOB_RESULT_CSV_COLUMNS.join(', ')}. The cells Mailprobe writes from ` +
        "third-party text (reply texts, suggestions, hosts) get a leading `'` when a spreadsheet would run them " +
        "as a formula (OWASP CSV injection); the upload's own cells are the user's data and come back untouched, " +
        'unless `excelSafe=true` asks to neutralise them too (for a file opened in Excel from an untrusted source). ' +
        '`?set=valid|valid_risky|invalid` keeps the rows of that `rowCounts` bucket (duplicates and blanks only in ' +
        '`all`); `?status=INVALID` keeps rows with that verdict. `format=xlsx` answers a spreadsheet for a ' +
        'spreadsheet upload. Downloads are named after the upload (`leads.csv` → `leads-mailprobe.csv`).',
      tags: ['jobs'],
      security: SECURITY,
      params: JobParamsSchema,
      querystring: JobResultsQuerySchema,
      response: {
        200: z.string().describe('NDJSON (one JobResultRow per line) or CSV'),
        ...ERRORS,
        404: ApiErrorSchema,
        406: ApiErrorSchema,
      },
    },
    handler: async (request, reply) => {
      const job = await ownJob(jobs, apiKeyOf(request).id, request.params.id);
      const results = jobResults(jobs, job, { ...request.query, accept: request.headers.accept });
      if (!results.ok) return sendApiError(reply, results.code, results.message);
      reply.type(results.contentType);
      reply.header('content-disposition', results.contentDisposition);
      // Streams bypass the serializer; the 200 schema only documents the body.
      return reply.send(results.body as unknown as string);
    },
  });
}

function isStream(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function';
}
