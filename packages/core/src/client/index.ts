export type { ClientErrorCode, ProberApiErrorOptions, ProberErrorCode } from './prober-api-error.js';
export { CLIENT_ERROR_CODES, ProberApiError } from './prober-api-error.js';
export type {
  CallOptions,
  CreateJobInput,
  CsvSource,
  JobResultsOptions,
  ProberClient,
  ProberClientOptions,
  WaitForJobOptions,
} from './prober-client.js';
export { createProberClient, PROBER_CLIENT_DEFAULTS } from './prober-client.js';
export { backoffDelay, parseRetryAfter } from './retry.js';
