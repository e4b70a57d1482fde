/** What a failed HubSpot call means for whoever retries it. */
export type HubspotFailure =
  | { kind: 'rate_limited'; policy: string | null; retryAfterMs: number | null; intervalMs: number | null }
  | { kind: 'daily_limit' }
  | { kind: 'server'; statusCode: number }
  | { kind: 'network'; code: string }
  | { kind: 'client'; statusCode: number; body: HubspotErrorBody | null };

/** HubSpot's error body (components.schemas.Error) plus the rate-limit fields its 429s carry. */
export interface HubspotErrorBody {
  status?: string;
  message?: string;
  correlationId?: string;
  category?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: Array<{ message: string; code?: string; context?: Record<string, string[]> }>;
  policyName?: string;
  errorType?: string;
}

const TOO_MANY_REQUESTS = 429;

/**
 * How long each of HubSpot's rate-limit policies takes to free a request. A 429's interval headers
 * describe the account's ten-secondly burst policy whatever policy was hit, so a secondly (search)
 * 429 must not be made to wait their 10 s.
 */
export const POLICY_INTERVAL_MS: Readonly<Record<string, number>> = {
  SECONDLY: 1000,
  TEN_SECONDLY_ROLLING: 10_000,
};
const SECONDLY_LIMIT_MESSAGE = 'You have reached your secondly limit.';
const NETWORK_ERROR_TYPES = new Set(['system', 'request-timeout', 'body-timeout']);

/** The shape @hubspot/api-client throws: ApiException for HTTP errors, node-fetch's FetchError for the network. */
interface ThrownByClient {
  code?: unknown;
  body?: unknown;
  headers?: Record<string, string>;
  type?: unknown;
  errno?: unknown;
}

/** Classifies anything @hubspot/api-client threw. */
export function classifyHubspotFailure(error: unknown): HubspotFailure {
  const thrown = (typeof error === 'object' && error !== null ? error : {}) as ThrownByClient;
  if (typeof thrown.code === 'number') {
    const statusCode = thrown.code;
    const body = asErrorBody(thrown.body);
    const headers = lowerCaseKeys(thrown.headers ?? {});
    if (statusCode === TOO_MANY_REQUESTS) {
      if (body?.policyName === 'DAILY') return { kind: 'daily_limit' };
      const policy = body?.policyName ?? (body?.message === SECONDLY_LIMIT_MESSAGE ? 'SECONDLY' : null);
      return {
        kind: 'rate_limited',
        policy,
        retryAfterMs: parseRetryAfter(headers['retry-after']),
        intervalMs: parsePositiveInteger(headers['x-hubspot-ratelimit-interval-milliseconds']),
      };
    }
    if (statusCode >= 500) return { kind: 'server', statusCode };
    return { kind: 'client', statusCode, body };
  }
  if (
    typeof thrown.code === 'string' ||
    (typeof thrown.type === 'string' && NETWORK_ERROR_TYPES.has(thrown.type))
  ) {
    return { kind: 'network', code: typeof thrown.code === 'string' ? thrown.code : String(thrown.type) };
  }
  if (error instanceof TypeError || (error instanceof Error && error.name === 'FetchError')) {
    return { kind: 'network', code: error.name };
  }
  return { kind: 'client', statusCode: 0, body: null };
}

/** `Retry-After` as delta-seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function parsePositiveInteger(value: string | undefined): number | null {
  if (value === undefined) return null;
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : null;
}

function asErrorBody(body: unknown): HubspotErrorBody | null {
  if (typeof body === 'object' && body !== null) return body as HubspotErrorBody;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? (parsed as HubspotErrorBody) : null;
    } catch {
      return { message: body };
    }
  }
  return null;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
