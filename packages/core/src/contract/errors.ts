import { z } from 'zod';

/**
 * Every error code API v1 may answer with, its HTTP status, and whether a client may retry the same request.
 * The one table: the server picks status codes from here and clients decide retries from here.
 */
export const API_ERRORS = {
  bad_request: {
    status: 400,
    retryable: false,
    description: 'The request body, query or parameters are invalid.',
  },
  unauthorized: { status: 401, retryable: false, description: 'Missing, malformed or unknown API key.' },
  forbidden: {
    status: 403,
    retryable: false,
    description: 'The key is valid but may not do this (revoked, disabled).',
  },
  not_found: {
    status: 404,
    retryable: false,
    description: 'No such route or job (jobs of other keys are not visible).',
  },
  not_acceptable: {
    status: 406,
    retryable: false,
    description: 'The Accept header asks for a format the route cannot produce.',
  },
  conflict: {
    status: 409,
    retryable: false,
    description: 'The resource is in a state that forbids this (e.g. cancelling a completed job).',
  },
  request_timeout: {
    status: 408,
    retryable: false,
    description: 'The request (headers or body) did not arrive in time; send it faster.',
  },
  payload_too_large: {
    status: 413,
    retryable: false,
    description: 'The body is larger than allowed, or has too many addresses.',
  },
  uri_too_long: {
    status: 414,
    retryable: false,
    description: 'The path (or one of its parameters) is longer than allowed.',
  },
  unsupported_media_type: {
    status: 415,
    retryable: false,
    description: 'The Content-Type is not accepted by this route.',
  },
  idempotency_conflict: {
    status: 422,
    retryable: false,
    description: 'The Idempotency-Key was used before with a different request.',
  },
  headers_too_large: {
    status: 431,
    retryable: false,
    description: 'The request headers are larger than allowed.',
  },
  rate_limited: {
    status: 429,
    retryable: true,
    description: 'Too many requests per minute for this key; see Retry-After.',
  },
  quota_exceeded: {
    status: 429,
    retryable: false,
    description: 'The key has used its whole verification quota; retrying will not help.',
  },
  internal: { status: 500, retryable: true, description: 'An unexpected server error.' },
  unavailable: {
    status: 503,
    retryable: true,
    description: 'The service is overloaded or shutting down; see Retry-After.',
  },
} as const satisfies Record<string, { status: number; retryable: boolean; description: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;
export const API_ERROR_CODES = Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]];
export const ApiErrorCodeSchema = z.enum(API_ERROR_CODES).describe('Machine-readable error code');

/** Error body of every non-2xx answer: `{ "error": { "code", "message" } }`. */
export const ApiErrorSchema = z
  .object({
    error: z.object({
      code: ApiErrorCodeSchema,
      message: z.string().describe('Human-readable explanation; never contains the API key'),
    }),
  })
  .describe('Error response');
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** HTTP statuses whose responses must carry a `Retry-After` header (seconds). */
export const RETRY_AFTER_STATUSES: readonly number[] = [429, 503];

/** Whether `value` is one of the API v1 error codes. */
export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && Object.hasOwn(API_ERRORS, value);
}

/** The error code a status implies when a response carries no (known) code, e.g. from a proxy in between. */
export function apiErrorCodeForStatus(status: number): ApiErrorCode | null {
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  if (status >= 500) return 'internal';
  for (const code of API_ERROR_CODES) {
    if (API_ERRORS[code].status === status) return code;
  }
  return null;
}
