import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CallbackUrlSchema, type DryRunResponse } from '@mailprobe/core';
import { ProberError } from '../errors.js';
import type { ProberContext } from '../http/context.js';
import type { JobRecord } from '../stores/types.js';
import { dryRun } from './dry-run.js';
import { EventLoopTurn } from './event-loop-turn.js';
import { ingestJob } from './ingest.js';
import { FINAL_STATES } from './job-view.js';
import { jsonJobBody } from './json-job-body.js';
import { RequestFingerprint } from './request-fingerprint.js';
import { spreadsheetUploadRows } from './spreadsheet.js';
import {
  csvUploadRows,
  listUploadRows,
  ndjsonUploadRows,
  type UploadOptions,
  type UploadRows,
} from './upload-rows.js';

const JOB_ID_BYTES = 12;

/** What an upload is made of. */
export type UploadKind = 'json' | 'csv' | 'ndjson' | 'xlsx';

/** An upload's body, still streaming in, and what it is made of. */
export interface JobUpload {
  kind: UploadKind;
  stream: Readable;
}

/** A job request as the API took it in (core's `CreateJobRequest` is only its JSON body): the upload and the request's options (query string or form fields). */
export interface CreateJobInput {
  keyId: string;
  upload: JobUpload;
  /** Address column asked for: a header name or a 1-based number. */
  column: string | undefined;
  /** Sheet of a spreadsheet upload asked for. */
  sheet: string | undefined;
  fileName: string | null;
  /** Callback URL of the query string or a form field (a JSON body may still bring one), and where it came from. */
  callbackUrl: string | null;
  callbackField: string;
  idempotencyKey: string | null;
  /** Read the upload and tell what a job would hold, storing and charging nothing. */
  dryRun: boolean;
  /** Aborted when the body will not arrive whole: the job fails, never sealed. */
  signal: AbortSignal;
}

export type CreateJobOutcome =
  | { kind: 'dry_run'; answer: DryRunResponse }
  /** Stored and accepted (queued, or already final when every row was answered at upload). */
  | { kind: 'created'; job: JobRecord }
  /** The same request again under its Idempotency-Key: the first job. */
  | { kind: 'repeated'; job: JobRecord }
  /** The first upload under this Idempotency-Key is still being stored. */
  | { kind: 'still_uploading' }
  /** This Idempotency-Key came with another request. */
  | { kind: 'idempotency_conflict' };

/**
 * Creates a bulk job from an upload: the callback URL is checked first, then the rows are stored in batches as they
 * stream in and the job is sealed, charged and queued (jobs/ingest.ts). An Idempotency-Key already used answers its
 * job, if the request is the same one (compared by fingerprint, jobs/request-fingerprint.ts).
 */
export async function createJob(context: ProberContext, request: CreateJobInput): Promise<CreateJobOutcome> {
  const { config, stores } = context;
  const options: UploadOptions = {
    maxBytes: config.jobs.bodyLimitBytes,
    column: request.column,
    sheet: request.sheet,
  };
  if (request.dryRun) {
    const rows = uploadRows(request.upload, options, async () => {});
    const answer = await dryRun(context, request.keyId, rows);
    return { kind: 'dry_run', answer: { ...answer, fileName: request.fileName } };
  }
  if (request.callbackUrl !== null) {
    await context.webhooks.checkCallbackUrl(request.callbackUrl, request.callbackField);
  }
  const { created, job } = await stores.jobs.createJob({
    id: `job_${randomBytes(JOB_ID_BYTES).toString('hex')}`,
    keyId: request.keyId,
    callbackUrl: request.callbackUrl,
    idempotencyKey: request.idempotencyKey,
    createdAt: new Date().toISOString(),
    ingestLeaseUntil: Date.now() + config.jobs.ingestLeaseMs,
    fileName: request.fileName,
  });
  if (!created) return repeatedRequest(context, request, options, job);

  // Only a request under an Idempotency-Key is ever compared with another: the others are not hashed.
  const fingerprint = request.idempotencyKey
    ? new RequestFingerprint(request.upload.kind, request.column)
    : null;
  const parsed = uploadRows(request.upload, options, async (url) => {
    const form = CallbackUrlSchema.safeParse(url);
    if (!form.success)
      throw new ProberError('bad_request', `body.callbackUrl: ${form.error.issues[0]?.message}`, 400);
    await context.webhooks.checkCallbackUrl(url, 'body.callbackUrl');
    await stores.jobs.setCallbackUrl(job.id, url);
  });
  const sealed = await ingestJob(
    {
      jobs: stores.jobs,
      queue: stores.queue,
      keys: stores.keys,
      jobId: job.id,
      keyId: request.keyId,
      chunkSize: config.jobs.chunkSize,
      batchSize: config.jobs.ingestBatchSize,
      maxAddresses: config.jobs.maxAddresses,
      leaseMs: config.jobs.ingestLeaseMs,
      signal: request.signal,
    },
    {
      rows: fingerprint ? fingerprint.rows(parsed.rows) : parsed.rows,
      columns: () => parsed.columns(),
      details: () => parsed.details(),
    },
  );
  if (fingerprint) await stores.jobs.setRequestFingerprint(sealed.id, fingerprint.digest(sealed.callbackUrl));
  if (FINAL_STATES.includes(sealed.state)) context.webhooks.deliver(sealed.id);
  return { kind: 'created', job: sealed };
}

/**
 * A reused Idempotency-Key must come with the same request; another one is refused, not silently answered with the
 * first job. The upload is read through to compare it, and stored nowhere.
 */
async function repeatedRequest(
  context: ProberContext,
  request: CreateJobInput,
  options: UploadOptions,
  job: JobRecord,
): Promise<CreateJobOutcome> {
  // When a client retries, the first upload is usually the broken one and about to fail, which frees the key.
  if (job.state === 'ingesting') return { kind: 'still_uploading' };
  const first = await context.stores.jobs.getRequestFingerprint(job.id);
  // A job stored before fingerprints existed has none to compare.
  if (!first) return { kind: 'repeated', job };
  let callbackUrl = request.callbackUrl;
  const repeat = new RequestFingerprint(request.upload.kind, request.column);
  const rows = uploadRows(request.upload, options, async (url) => {
    callbackUrl = url;
  });
  const turn = new EventLoopTurn();
  for await (const row of rows.rows) {
    repeat.row(row);
    await turn.yieldIfDue();
  }
  if (repeat.digest(callbackUrl) !== first) return { kind: 'idempotency_conflict' };
  return { kind: 'repeated', job };
}

/** The rows of an upload in its format; a JSON body's `callbackUrl` goes to `onCallbackUrl` as it is met. */
function uploadRows(
  upload: JobUpload,
  options: UploadOptions,
  onCallbackUrl: (url: string) => Promise<void>,
): UploadRows {
  if (upload.kind === 'csv') return csvUploadRows(upload.stream, options);
  if (upload.kind === 'xlsx') return spreadsheetUploadRows(upload.stream, options);
  if (upload.kind === 'ndjson') return ndjsonUploadRows(upload.stream, options);
  return listUploadRows(jsonAddresses(upload.stream, options.maxBytes, onCallbackUrl));
}

/** The addresses of a streamed JSON body; a `callbackUrl` met on the way goes to `onCallbackUrl`. */
async function* jsonAddresses(
  body: Readable,
  maxBytes: number,
  onCallbackUrl: (url: string) => Promise<void>,
): AsyncGenerator<string> {
  for await (const event of jsonJobBody(body, { maxBytes })) {
    if (event.kind === 'email') yield event.address;
    else await onCallbackUrl(event.url);
  }
}
