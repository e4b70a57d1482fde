import { z } from 'zod';
import { STATUSES } from '../vocabulary.js';
import { DEFAULT_JOB_LIST_LIMIT, MAX_ID_LENGTH, MAX_JOB_ADDRESSES, MAX_JOB_LIST_LIMIT } from './limits.js';
import { EmailInputSchema } from './verify.js';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES).describe('Lifecycle state of a job');
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** Job states that never change again. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** Callback URLs must be absolute http(s) URLs. */
export const CallbackUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe('URL that receives a signed `job.completed` POST when the job ends');

export const JobIdSchema = z.string().min(1).max(MAX_ID_LENGTH).describe('Opaque job id');

/** Path parameters of `/v1/jobs/:id` and `/v1/jobs/:id/results`. */
export const JobParamsSchema = z.object({ id: JobIdSchema });
export type JobParams = z.infer<typeof JobParamsSchema>;

/** `POST /v1/jobs` JSON body. (A `text/csv` body is accepted too, see `emailColumn`.) */
export const CreateJobRequestSchema = z
  .object({
    emails: z.array(EmailInputSchema).min(1).max(MAX_JOB_ADDRESSES),
    callbackUrl: CallbackUrlSchema.optional(),
  })
  .describe('Create a bulk verification job');
export type CreateJobRequest = z.infer<typeof CreateJobRequestSchema>;

/** Longest `column` selector accepted. */
const MAX_COLUMN_SELECTOR_LENGTH = 256;

/** The address column of an upload: a header name or a 1-based column number. */
export const AddressColumnSelectorSchema = z
  .string()
  .min(1)
  .max(MAX_COLUMN_SELECTOR_LENGTH)
  .describe(
    'Address column of a CSV/NDJSON upload: a header name (case- and punctuation-insensitive) or a 1-based number. ' +
      'Default: a header such as email, e-mail, email address, work email, mail; else the one column holding addresses.',
  );

/** Longest upload file name kept (`fileName`); a longer one is cut. */
export const MAX_FILE_NAME_LENGTH = 255;

/** A query flag: `true`/`1` or `false`/`0`. */
const QueryFlagSchema = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/**
 * `POST /v1/jobs` query string; `callbackUrl`, `column` and `sheet` travel here for file uploads (or as multipart
 * fields). `fileName` names a raw (non-multipart) upload; a multipart file part brings its own.
 */
export const CreateJobQuerySchema = z.object({
  callbackUrl: CallbackUrlSchema.optional(),
  column: AddressColumnSelectorSchema.optional(),
  fileName: z
    .string()
    .min(1)
    .max(MAX_FILE_NAME_LENGTH)
    .optional()
    .describe(
      'Name of the uploaded file (for a raw body), remembered on the job and used for download names',
    ),
  sheet: z
    .string()
    .min(1)
    .max(MAX_COLUMN_SELECTOR_LENGTH)
    .optional()
    .describe('Spreadsheet uploads: the sheet to read, by name or 1-based number (default: the first)'),
  dryRun: QueryFlagSchema.optional().describe(
    'true: read the upload and answer what a job would hold (rows, distinct addresses, quota); nothing is created or charged',
  ),
});
export type CreateJobQuery = z.infer<typeof CreateJobQuerySchema>;

/** `POST /v1/jobs?dryRun=true` answer (HTTP 200): what the upload holds; no job was created, nothing charged. */
export const DryRunResponseSchema = z
  .object({
    rows: z.int().nonnegative().describe('Data rows (header and blank lines not counted)'),
    withAddress: z.int().nonnegative().describe('Rows whose address cell is not blank'),
    blank: z.int().nonnegative().describe('Rows whose address cell is blank (skipped, not charged)'),
    distinct: z.int().nonnegative().describe('Distinct addresses: what the job would verify and charge'),
    duplicate: z
      .int()
      .nonnegative()
      .describe('Rows repeating an address of an earlier row (not charged again)'),
    column: z
      .string()
      .nullable()
      .describe('The address column chosen (header name or `column_N`); null for a plain list'),
    columns: z.array(z.string()).nullable().describe("The upload's column names; null for a plain list"),
    quotaRemaining: z
      .int()
      .nonnegative()
      .nullable()
      .describe('Verifications left on the key; null when unlimited'),
    fileName: z.string().nullable(),
  })
  .describe('What a job from this upload would hold (dry run)');
export type DryRunResponse = z.infer<typeof DryRunResponseSchema>;

/** `POST /v1/jobs` answer (HTTP 202). */
export const CreateJobResponseSchema = z
  .object({
    id: JobIdSchema,
    status: JobStatusSchema,
    total: z.int().nonnegative().describe('Distinct addresses accepted into the job'),
    rows: z
      .int()
      .nonnegative()
      .optional()
      .describe('Input rows accepted, one result each (always sent by the prober)'),
  })
  .describe('The job was accepted');
export type CreateJobResponse = z.infer<typeof CreateJobResponseSchema>;

export const JobCountsSchema = z
  .object(
    Object.fromEntries(STATUSES.map((status) => [status, z.int().nonnegative()])) as Record<
      (typeof STATUSES)[number],
      z.ZodInt
    >,
  )
  .describe('Finished results so far, by verdict');
export type JobCounts = z.infer<typeof JobCountsSchema>;

/**
 * A job's input rows by outcome; every row is in exactly one bucket, so they sum to `rows`. A row's address is
 * counted on the first row that holds it; later rows with the same address are `duplicate`, rows with a blank
 * address cell `skipped`, rows whose address has no final result yet `pending`.
 */
export const JobRowCountsSchema = z
  .object({
    deliverable: z.int().nonnegative().describe('VALID'),
    undeliverable: z.int().nonnegative().describe('INVALID'),
    risky: z.int().nonnegative().describe('UNKNOWN catch_all (the domain accepts any address)'),
    unknown: z.int().nonnegative().describe('UNKNOWN for any other reason'),
    skipped: z.int().nonnegative().describe('Blank address cell: not verified, not charged'),
    duplicate: z.int().nonnegative().describe('The address repeats an earlier row'),
    pending: z.int().nonnegative().describe('No final result yet'),
  })
  .describe('Input rows by outcome (they sum to rows)');
export type JobRowCounts = z.infer<typeof JobRowCountsSchema>;

/** A job's distinct addresses with a final result, by outcome. */
export const JobAddressCountsSchema = z
  .object({
    deliverable: z.int().nonnegative(),
    undeliverable: z.int().nonnegative(),
    risky: z.int().nonnegative(),
    unknown: z.int().nonnegative(),
  })
  .describe('Distinct addresses with a final result, by outcome');
export type JobAddressCounts = z.infer<typeof JobAddressCountsSchema>;
/** Honest progress of a job: what waits for a scheduled re-probe, and how fast the rest goes. */
export const JobProgressSchema = z
  .object({
    waiting: z
      .int()
      .nonnegative()
      .describe('Addresses waiting for a scheduled re-probe (the mail server greylisted them)'),
    nextRetryAt: z.iso
      .datetime()
      .nullable()
      .describe('When the first of them is probed again; null when none waits'),
    etaSeconds: z
      .int()
      .nonnegative()
      .nullable()
      .describe(
        'Seconds until the addresses that can run now are done (scheduled re-probes are not counted as work); ' +
          'null while nothing can run or the rate is not known yet',
      ),
    ratePerSecond: z
      .number()
      .nonnegative()
      .nullable()
      .describe('Addresses verified per second since the job started; null while nothing can run'),
  })
  .describe('Progress of a queued or running job (all zero and null once it ended)');
export type JobProgress = z.infer<typeof JobProgressSchema>;

/** `GET /v1/jobs/:id` and `DELETE /v1/jobs/:id` answer. */
export const JobSchema = z
  .object({
    id: JobIdSchema,
    status: JobStatusSchema,
    total: z
      .int()
      .nonnegative()
      .describe('Distinct addresses to verify (each verified once, however often listed)'),
    rows: z
      .int()
      .nonnegative()
      .describe('Input rows; the results hold exactly one line per row, in input order'),
    done: z.int().nonnegative().describe('Distinct addresses verified so far'),
    counts: JobCountsSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable().describe('When the job reached a final state'),
    callbackUrl: z.string().nullable(),
    error: z.string().nullable().describe('Why the job failed; null unless status is failed'),
    fileName: z.string().nullable().describe('Name of the uploaded file; null when none was given'),
    column: z
      .string()
      .nullable()
      .describe('Header of the address column (`column_N` without a header); null for a plain list'),
    rowCounts: JobRowCountsSchema,
    addressCounts: JobAddressCountsSchema,
    progress: JobProgressSchema.describe('Waiting re-probes, rate and time left'),
  })
  .describe('A bulk verification job');
export type Job = z.infer<typeof JobSchema>;

/** `progress` of a job read from a prober that does not send it: nothing known to wait, rate and time left unknown. */
export const UNKNOWN_JOB_PROGRESS: JobProgress = {
  waiting: 0,
  nextRetryAt: null,
  etaSeconds: null,
  ratePerSecond: null,
};

/**
 * A job as a client reads it: `JobSchema` (what the prober promises, and checks its own answers against), tolerant
 * of the fields an older prober (0.1.0) does not send, each read as a documented default so the answer is a whole
 * `Job`:
 * - `rows`: `total` (one row per address);
 * - `fileName`, `column`: null;
 * - `addressCounts`: from `counts`, `risky` 0 (an older prober does not tell catch-all domains apart: every UNKNOWN
 *   is `unknown`);
 * - `rowCounts`: from those, as the prober counts rows (`duplicate` = rows − total, `skipped` 0, the rest `pending`);
 * - `progress`: `UNKNOWN_JOB_PROGRESS`.
 * Fields the client does not know (a newer prober's) are dropped, as `JobSchema` drops them.
 */
export const LenientJobSchema = JobSchema.extend({
  rows: JobSchema.shape.rows.optional(),
  fileName: JobSchema.shape.fileName.default(null),
  column: JobSchema.shape.column.default(null),
  rowCounts: JobRowCountsSchema.optional(),
  addressCounts: JobAddressCountsSchema.optional(),
  progress: JobProgressSchema.optional(),
}).transform((answer): Job => {
  const rows = answer.rows ?? answer.total;
  const addressCounts = answer.addressCounts ?? {
    deliverable: answer.counts.VALID,
    undeliverable: answer.counts.INVALID,
    risky: 0,
    unknown: answer.counts.UNKNOWN,
  };
  const duplicate = Math.max(0, rows - answer.total);
  const finished =
    addressCounts.deliverable + addressCounts.undeliverable + addressCounts.risky + addressCounts.unknown;
  return {
    ...answer,
    rows,
    addressCounts,
    rowCounts: answer.rowCounts ?? {
      ...addressCounts,
      skipped: 0,
      duplicate,
      pending: Math.max(0, rows - finished - duplicate),
    },
    progress: answer.progress ?? UNKNOWN_JOB_PROGRESS,
  };
});

/** `GET /v1/jobs` query string. */
export const ListJobsQuerySchema = z.object({
  status: JobStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_JOB_LIST_LIMIT).default(DEFAULT_JOB_LIST_LIMIT),
  cursor: z.string().min(1).max(MAX_ID_LENGTH).optional().describe('`nextCursor` of the previous page'),
});
export type ListJobsQuery = z.input<typeof ListJobsQuerySchema>;

/** `GET /v1/jobs` answer: newest first. */
export const JobListSchema = z
  .object({
    jobs: z.array(JobSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .describe('A page of jobs, newest first');
export type JobList = z.infer<typeof JobListSchema>;

/** A page of jobs as a client reads it: each job through `LenientJobSchema`. */
export const LenientJobListSchema = JobListSchema.extend({ jobs: z.array(LenientJobSchema) });
