/** Route paths of API v1, in the `:param` form Fastify understands. */
export const API_PATHS = {
  me: '/v1/me',
  verify: '/v1/verify',
  verifyBatch: '/v1/verify/batch',
  jobs: '/v1/jobs',
  job: '/v1/jobs/:id',
  jobCancel: '/v1/jobs/:id/cancel',
  jobFinish: '/v1/jobs/:id/finish',
  jobResults: '/v1/jobs/:id/results',
  webhooks: '/v1/webhooks',
  webhook: '/v1/webhooks/:id',
} as const;

/** Header names and media types shared by server and clients. */
export const API_HEADERS = {
  authorization: 'authorization',
  retryAfter: 'retry-after',
  idempotencyKey: 'idempotency-key',
  requestId: 'x-request-id',
  signature: 'mailprobe-signature',
  event: 'mailprobe-event',
} as const;

export const MEDIA_TYPES = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
  multipart: 'multipart/form-data',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
} as const;

/** Concrete path of one job, with the id escaped. */
export function jobPath(id: string): string {
  return API_PATHS.job.replace(':id', encodeURIComponent(id));
}

/** Concrete path that cancels one job, with the id escaped. */
export function jobCancelPath(id: string): string {
  return API_PATHS.jobCancel.replace(':id', encodeURIComponent(id));
}

/** Concrete path that finishes one job now ("finish now"), with the id escaped. */
export function jobFinishPath(id: string): string {
  return API_PATHS.jobFinish.replace(':id', encodeURIComponent(id));
}

/** Concrete path of one job's results, with the id escaped. */
export function jobResultsPath(id: string): string {
  return API_PATHS.jobResults.replace(':id', encodeURIComponent(id));
}

/** Concrete path of one webhook subscription, with the id escaped. */
export function webhookPath(id: string): string {
  return API_PATHS.webhook.replace(':id', encodeURIComponent(id));
}
