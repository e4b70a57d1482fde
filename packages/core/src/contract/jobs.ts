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

/** `POST /v1/jobs` query string; `callbackUrl` and `column` travel here for file uploads (or as multipart fields). */
export const CreateJobQuerySchema = z.object({
  callbackUrl: CallbackUrlSchema.optional(),
  column: AddressColumnSelectorSchema.optional(),
});
export type CreateJobQuery = z.infer<typeof CreateJobQuerySchema>;

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
      .optional()
      .describe(
        'Input rows; the results hold exactly one line per row, in input order (always sent by the prober)',
      ),
    done: z.int().nonnegative().describe('Distinct addresses verified so far'),
    counts: JobCountsSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable().describe('When the job reached a final state'),
    callbackUrl: z.string().nullable(),
    error: z.string().nullable().describe('Why the job failed; null unless status is failed'),
    progress: JobProgressSchema.optional().describe(
      'Waiting re-probes, rate and time left (always sent by the prober)',
    ),
  })
  .describe('A bulk verification job');
export type Job = z.infer<typeof JobSchema>;

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
