import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
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
  MAX_FILE_NAME_LENGTH,
  MAX_ID_LENGTH,
  MEDIA_TYPES,
} from '@mailprobe/core';
import type { FastifyRequest } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import Negotiator from 'negotiator';
import { z } from 'zod';
import { ProberError } from '../../errors.js';
import { dryRun } from '../../jobs/dry-run.js';
import { EventLoopTurn } from '../../jobs/event-loop-turn.js';
import { finishJob } from '../../jobs/finish-job.js';
import { ingestJob } from '../../jobs/ingest.js';
import { FINAL_STATES, toApiJob } from '../../jobs/job-view.js';
import { jsonJobBody } from '../../jobs/json-job-body.js';
import { RequestFingerprint } from '../../jobs/request-fingerprint.js';
import { resultChunks, resultsContentDisposition } from '../../jobs/results-download.js';
import { spreadsheetResults, spreadsheetUploadRows } from '../../jobs/spreadsheet.js';
import {
  csvUploadRows,
  listUploadRows,
  ndjsonUploadRows,
  type UploadOptions,
  type UploadRows,
} from '../../jobs/upload-rows.js';
import type { JobRecord } from '../../stores/types.js';
import { sendApiError } from '../api-errors.js';
import { apiKeyOf, requireApiKey } from '../auth.js';
import type { ProberApp, ProberContext } from '../context.js';
import { bodySignal } from '../request-body.js';

const SECURITY = [{ bearerAuth: [] }];
const JOB_ID_BYTES = 12;

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

/** Most multipart fields accepted besides the file (`column`, `callbackUrl`, and room for a form's extras). */
const MAX_MULTIPART_FIELDS = 20;

/** Result formats in the server's order of preference, for content negotiation with q-values (`text/csv;q=0` refuses CSV). */
const RESULT_TYPES = [MEDIA_TYPES.ndjson, MEDIA_TYPES.json, MEDIA_TYPES.csv];

function preferredResultType(accept: string | undefined): 'ndjson' | 'csv' | null {
  if (!accept) return 'ndjson';
  const chosen = new Negotiator({ headers: { accept } }).mediaType(RESULT_TYPES);
  if (chosen === undefined) return null;
  return chosen === MEDIA_TYPES.csv ? 'csv' : 'ndjson';
}

type SourceKind = 'json' | 'csv' | 'ndjson' | 'xlsx';

/** What an upload is made of, by media type; null for a type jobs cannot be made from. */
function uploadKind(type: string | undefined): SourceKind | 'multipart' | null {
  const bare = type?.split(';')[0]?.trim().toLowerCase();
  if (bare === MEDIA_TYPES.json) return 'json';
  if (bare === MEDIA_TYPES.xlsx || bare === MEDIA_TYPES.ods) return 'xlsx';
  if (bare === MEDIA_TYPES.csv) return 'csv';
  if (bare === MEDIA_TYPES.ndjson) return 'ndjson';
  if (bare === MEDIA_TYPES.multipart) return 'multipart';
  return null;
}

/** A multipart file is a spreadsheet or NDJSON by its name or type, CSV otherwise (curl and browsers often say octet-stream). */
function fileKind(filename: string, mimetype: string): 'csv' | 'ndjson' | 'xlsx' {
  const name = filename.toLowerCase();
  const type = mimetype.split(';')[0]?.trim().toLowerCase();
  if (
    name.endsWith('.xlsx') ||
    name.endsWith('.ods') ||
    type === MEDIA_TYPES.xlsx ||
    type === MEDIA_TYPES.ods
  )
    return 'xlsx';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl') || type === MEDIA_TYPES.ndjson) return 'ndjson';
  return 'csv';
}

/** Longest multipart boundary accepted (RFC 2046 allows 70; some clients use more). */
const MAX_MULTIPART_BOUNDARY = 256;
const BOUNDARY = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i;

/** The file and fields of a multipart upload: fields before the file are read, then the file is handed over. */
async function multipartUpload(request: FastifyRequest): Promise<{
  fields: Record<string, string>;
  file: { kind: 'csv' | 'ndjson' | 'xlsx'; stream: Readable; fileName: string } | null;
}> {
  const match = BOUNDARY.exec(request.headers['content-type'] ?? '');
  const boundary = match?.[1] ?? match?.[2] ?? '';
  if (boundary.length === 0 || boundary.length > MAX_MULTIPART_BOUNDARY) {
    throw new ProberError(
      'bad_request',
      `content-type: a multipart upload needs a boundary of 1 to ${MAX_MULTIPART_BOUNDARY} characters`,
      400,
    );
  }
  const fields: Record<string, string> = {};
  // Whatever follows the file (more fields, more files) is never read: the body watch drains or closes it.
  const parts = request.parts()[Symbol.asyncIterator]();
  for (;;) {
    const next = await parts.next();
    if (next.done) return { fields, file: null };
    const part = next.value;
    if (part.type === 'field') {
      if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      continue;
    }
    return {
      fields,
      file: { kind: fileKind(part.filename, part.mimetype), stream: part.file, fileName: part.filename },
    };
  }
}

/** A multipart field checked like the query parameter of the same name. */
function formField<T>(
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } };
  },
  name: string,
  value: string | undefined,
): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ProberError('bad_request', `body.${name}: ${parsed.error.issues[0]?.message}`, 400);
  return parsed.data;
}

/** `POST /v1/jobs`: a streamed JSON, CSV, NDJSON or multipart upload, ingested in batches; the callback URL is checked first. */
function registerCreateJob(app: ProberApp, context: ProberContext): void {
  const { config } = context;
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
      const key = apiKeyOf(request);
      const kind = uploadKind(request.headers['content-type']);
      const body = kind === 'multipart' ? null : (request.body as unknown as Readable);
      // What is left unread on any early answer (an error, a repeated Idempotency-Key) is the body watch's to
      // drain or close; an upload whose body does not arrive whole is never sealed.
      const signal = bodySignal(request);
      try {
        let callbackUrl = request.query.callbackUrl ?? null;
        let callbackField = 'querystring.callbackUrl';
        let column = request.query.column;
        let sheet = request.query.sheet;
        let fileName = request.query.fileName ?? null;
        let source: { kind: SourceKind; stream: Readable };
        if (kind === 'multipart') {
          const upload = await multipartUpload(request);
          const fieldUrl = formField(CallbackUrlSchema, 'callbackUrl', upload.fields.callbackUrl);
          if (fieldUrl !== undefined) {
            callbackUrl = fieldUrl;
            callbackField = 'body.callbackUrl';
          }
          column = formField(AddressColumnSelectorSchema, 'column', upload.fields.column) ?? column;
          sheet = formField(AddressColumnSelectorSchema, 'sheet', upload.fields.sheet) ?? sheet;
          if (!upload.file)
            throw new ProberError('bad_request', 'body: a multipart upload needs a file field', 400);
          source = upload.file;
          if (upload.file.fileName) fileName = upload.file.fileName.slice(0, MAX_FILE_NAME_LENGTH);
        } else {
          source = { kind: kind ?? 'json', stream: body as Readable };
        }
        const options: UploadOptions = { maxBytes: config.jobs.bodyLimitBytes, column, sheet };
        if (request.query.dryRun) {
          const answer = await dryRun(
            context,
            key.id,
            uploadRowsOf(context, source, options, async () => {}),
          );
          return reply.code(200).send({ ...answer, fileName });
        }
        if (callbackUrl !== null) await context.webhooks.checkCallbackUrl(callbackUrl, callbackField);
        const { created, job } = await context.stores.jobs.createJob({
          id: `job_${randomBytes(JOB_ID_BYTES).toString('hex')}`,
          keyId: key.id,
          callbackUrl,
          idempotencyKey: request.headers[API_HEADERS.idempotencyKey] ?? null,
          createdAt: new Date().toISOString(),
          ingestLeaseUntil: Date.now() + config.jobs.ingestLeaseMs,
          fileName,
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
        if (!created) {
          // A reused Idempotency-Key must come with the same request; another one is refused (422), not
          // silently answered with the first job. A job stored before fingerprints existed has none to compare.
          const first = await context.stores.jobs.getRequestFingerprint(job.id);
          if (!first) {
            return reply.code(202).send(createdAnswer(job));
          }
          let repeatCallbackUrl = callbackUrl;
          const repeat = new RequestFingerprint(source.kind, column);
          const repeatRows = uploadRowsOf(context, source, options, async (url) => {
            repeatCallbackUrl = url;
          });
          const turn = new EventLoopTurn();
          for await (const row of repeatRows.rows) {
            repeat.row(row);
            await turn.yieldIfDue();
          }
          if (repeat.digest(repeatCallbackUrl) !== first) {
            return sendApiError(
              reply,
              'idempotency_conflict',
              'this Idempotency-Key was used with a different request; use a new key for a new job',
            );
          }
          return reply.code(202).send(createdAnswer(job));
        }
        const fingerprint = new RequestFingerprint(source.kind, column);
        const parsed = uploadRowsOf(context, source, options, async (url) => {
          const form = CallbackUrlSchema.safeParse(url);
          if (!form.success)
            throw new ProberError('bad_request', `body.callbackUrl: ${form.error.issues[0]?.message}`, 400);
          await context.webhooks.checkCallbackUrl(url, 'body.callbackUrl');
          await context.stores.jobs.setCallbackUrl(job.id, url);
        });
        const rows: UploadRows = {
          rows: fingerprint.rows(parsed.rows),
          columns: () => parsed.columns(),
          details: () => parsed.details(),
        };
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
            signal,
          },
          rows,
        );
        if (request.headers[API_HEADERS.idempotencyKey]) {
          await context.stores.jobs.setRequestFingerprint(sealed.id, fingerprint.digest(sealed.callbackUrl));
        }
        if (FINAL_STATES.includes(sealed.state)) context.webhooks.deliver(sealed.id);
        request.log.info({ jobId: sealed.id, total: sealed.total, rows: sealed.rows }, 'job created');
        return reply.code(202).send(createdAnswer(sealed));
      } catch (error) {
        // Answered already (the body timed out): the job failed with it, and there is nobody left to tell.
        if (reply.sent) return reply;
        throw error;
      }
    },
  });
}

function createdAnswer(job: JobRecord) {
  return { id: job.id, status: toApiJob(job).status, total: job.total, rows: job.rows };
}

/** The rows of an upload in its format; a JSON body's `callbackUrl` goes to `onCallbackUrl` as it is met. */
function uploadRowsOf(
  context: ProberContext,
  source: { kind: SourceKind; stream: Readable },
  options: UploadOptions,
  onCallbackUrl: (url: string) => Promise<void>,
): UploadRows {
  if (source.kind === 'csv') return csvUploadRows(source.stream, options);
  if (source.kind === 'xlsx') return spreadsheetUploadRows(source.stream, options);
  if (source.kind === 'ndjson') return ndjsonUploadRows(source.stream, options);
  return listUploadRows(jsonAddresses(context, source.stream, onCallbackUrl));
}

/** The addresses of a streamed JSON body; a `callbackUrl` met on the way goes to `onCallbackUrl`. */
async function* jsonAddresses(
  context: ProberContext,
  body: Readable,
  onCallbackUrl: (url: string) => Promise<void>,
): AsyncGenerator<string> {
  for await (const event of jsonJobBody(body, { maxBytes: context.config.jobs.bodyLimitBytes })) {
    if (event.kind === 'email') yield event.address;
    else await onCallbackUrl(event.url);
  }
}

/** `POST/GET /v1/jobs`, `GET/DELETE /v1/jobs/:id`, `GET /v1/jobs/:id/results`. */
export function registerJobRoutes(app: ProberApp, context: ProberContext): void {
  const preHandler = requireApiKey(context);

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
      const page = await context.stores.jobs.listJobs(apiKeyOf(request).id, {
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
    handler: async (request) => toApiJob(await ownJob(context, request, request.params.id)),
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
      const job = await ownJob(context, request, request.params.id);
      if (job.state !== 'cancelled' && !(await cancel(context, job))) {
        return sendApiError(reply, 'conflict', `job ${job.id} already ended (${job.state})`);
      }
      return toApiJob(await ownJob(context, request, job.id));
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
      const job = await ownJob(context, request, request.params.id);
      if ((await finishJob(context, job)) === 'ended') {
        return sendApiError(reply, 'conflict', `job ${job.id} already ended (${job.state})`);
      }
      request.log.info({ jobId: job.id }, 'job finished now');
      return toApiJob(await ownJob(context, request, job.id));
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
      const job = await ownJob(context, request, request.params.id);
      if (!FINAL_STATES.includes(job.state)) await cancel(context, job);
      const last = (await context.stores.jobs.getJob(job.id)) ?? job;
      await context.stores.jobs.deleteJob(job.id);
      request.log.info({ jobId: job.id }, 'job deleted');
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
      const job = await ownJob(context, request, request.params.id);
      const type = request.query.format ?? preferredResultType(request.headers.accept);
      if (type === null)
        return sendApiError(
          reply,
          'not_acceptable',
          'results are served as application/x-ndjson or text/csv',
        );
      if (type === 'xlsx') {
        if (job.format?.kind !== 'xlsx') {
          return sendApiError(
            reply,
            'bad_request',
            'format=xlsx is for a spreadsheet upload; use csv or ndjson',
          );
        }
        reply.type(MEDIA_TYPES.xlsx);
        reply.header('content-disposition', resultsContentDisposition(job, 'xlsx'));
        return reply.send(spreadsheetResults(context.stores.jobs, job, request.query) as unknown as string);
      }
      const chunks = resultChunks(context.stores.jobs, job, {
        type,
        status: request.query.status,
        set: request.query.set,
        excelSafe: request.query.excelSafe,
      });
      reply.type(type === 'csv' ? `${MEDIA_TYPES.csv}; charset=utf-8` : MEDIA_TYPES.ndjson);
      reply.header('content-disposition', resultsContentDisposition(job, type));
      // Streams bypass the serializer; the 200 schema only documents the body. Readable.from pulls one chunk at a
      // time, as fast as the socket drains.
      return reply.send(Readable.from(chunks, { objectMode: false, highWaterMark: 1 }) as unknown as string);
    },
  });
}

/**
 * Cancels a queued or running job and gives back to its key's quota what was never verified; false when the job
 * had already ended.
 */
async function cancel(context: ProberContext, job: JobRecord): Promise<boolean> {
  if (!(await context.stores.jobs.setState(job.id, 'cancelled', ['queued', 'running']))) return false;
  context.metrics.jobsFinished.inc({ state: 'cancelled' });
  context.webhooks.deliver(job.id);
  const latest = (await context.stores.jobs.getJob(job.id)) ?? job;
  // Addresses a racing "finish now" already closed as not_checked were never verified either.
  const unverified = latest.total - latest.done + latest.notChecked;
  if (unverified > 0) await context.stores.keys.refund(job.keyId, unverified);
  return true;
}

function isStream(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function';
}
