export type { AddressColumnChoice } from './address-column.js';
export {
  ADDRESS_COLUMN_NAMES,
  detectAddressColumn,
  isAddressColumnName,
  looksLikeAddress,
  normalizeColumnName,
} from './address-column.js';
export type { ResultCsvColumn } from './csv.js';
export {
  CSV_DELIMITERS,
  detectCsvDelimiter,
  detectCsvLineEnding,
  EMAIL_COLUMN_NAMES,
  emailColumn,
  escapeCsvField,
  neutralizeCsvFormula,
  RESULT_CSV_COLUMNS,
  resultCsvHeader,
  resultToCsvRow,
  resultToCsvValues,
} from './csv.js';
export type { ApiError, ApiErrorCode } from './errors.js';
export {
  API_ERROR_CODES,
  API_ERRORS,
  ApiErrorCodeSchema,
  ApiErrorSchema,
  apiErrorCodeForStatus,
  isApiErrorCode,
  RETRY_AFTER_STATUSES,
} from './errors.js';
export type {
  JobResultCsvOptions,
  JobResultRow,
  JobResultSet,
  JobResultsQuery,
  JobRowMarks,
  JobRowSkip,
  JobSkippedRow,
  JobVerifiedRow,
} from './job-results.js';
export {
  escapeCsvCell,
  inJobResultSet,
  isVerifiedJobRow,
  JOB_RESULT_CSV_COLUMNS,
  JOB_RESULT_SETS,
  JOB_ROW_SKIPS,
  JobResultRowSchema,
  JobResultSetSchema,
  JobResultsQuerySchema,
  JobRowSkipSchema,
  JobSkippedRowSchema,
  JobVerifiedRowSchema,
  jobResultCsvHeader,
  jobResultCsvHeaderTail,
  jobResultCsvTail,
  jobResultCsvValues,
  jobResultToCsvRow,
  jobRowBucket,
} from './job-results.js';
export type {
  CreateJobQuery,
  CreateJobRequest,
  CreateJobResponse,
  DryRunResponse,
  Job,
  JobAddressCounts,
  JobCounts,
  JobList,
  JobParams,
  JobProgress,
  JobRowCounts,
  JobStatus,
  ListJobsQuery,
} from './jobs.js';
export {
  AddressColumnSelectorSchema,
  CallbackUrlSchema,
  CreateJobQuerySchema,
  CreateJobRequestSchema,
  CreateJobResponseSchema,
  DryRunResponseSchema,
  FINAL_JOB_STATUSES,
  JOB_STATUSES,
  JobAddressCountsSchema,
  JobCountsSchema,
  JobIdSchema,
  JobListSchema,
  JobParamsSchema,
  JobProgressSchema,
  JobRowCountsSchema,
  JobSchema,
  JobStatusSchema,
  LenientJobListSchema,
  LenientJobSchema,
  ListJobsQuerySchema,
  MAX_FILE_NAME_LENGTH,
  UNKNOWN_JOB_PROGRESS,
} from './jobs.js';
export {
  DEFAULT_JOB_LIST_LIMIT,
  DEFAULT_VERIFY_TIMEOUT_MS,
  IDEMPOTENCY_KEY_TTL_SECONDS,
  MAX_BATCH_SIZE,
  MAX_EMAIL_LENGTH,
  MAX_ID_LENGTH,
  MAX_JOB_ADDRESSES,
  MAX_JOB_LIST_LIMIT,
  MAX_TIMEOUT_MS,
  MIN_TIMEOUT_MS,
} from './limits.js';
export type { Limits, MeResponse } from './me.js';
export { LimitsSchema, MeResponseSchema } from './me.js';
export {
  API_HEADERS,
  API_PATHS,
  jobCancelPath,
  jobFinishPath,
  jobPath,
  jobResultsPath,
  MEDIA_TYPES,
  webhookPath,
} from './paths.js';
export type { BatchRequest, BatchResponse, VerifyRequest, VerifyResponse } from './verify.js';
export {
  BatchRequestSchema,
  BatchResponseSchema,
  EmailInputSchema,
  TimeoutMsSchema,
  VerifyRequestSchema,
  VerifyResponseSchema,
} from './verify.js';
export type { JobCompletedEvent, WebhookVerification } from './webhook.js';
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  JobCompletedEventSchema,
  LenientJobCompletedEventSchema,
  signWebhook,
  verifyWebhookSignature,
} from './webhook.js';
export type {
  CreateWebhookRequest,
  WebhookEventType,
  WebhookList,
  WebhookParams,
  WebhookSubscription,
} from './webhooks.js';
export {
  CreateWebhookRequestSchema,
  DEFAULT_MAX_WEBHOOKS_PER_KEY,
  WEBHOOK_EVENTS,
  WebhookEventTypeSchema,
  WebhookIdSchema,
  WebhookListSchema,
  WebhookParamsSchema,
  WebhookSubscriptionSchema,
} from './webhooks.js';
