import { API_ERRORS, type ApiErrorCode } from '../contract/errors.js';

/** Codes the client raises itself, when no usable answer came from the server. */
export const CLIENT_ERROR_CODES = {
  network_error: {
    retryable: true,
    description: 'The connection failed or broke before a complete answer arrived.',
  },
  timeout: { retryable: true, description: 'No (complete) answer within `timeoutMs`.' },
  aborted: { retryable: false, description: "The caller's AbortSignal fired." },
  invalid_response: {
    retryable: false,
    description: 'The server answered something that does not follow API v1.',
  },
  http_error: {
    retryable: false,
    description: 'An HTTP status API v1 does not define, without a known error code.',
  },
} as const satisfies Record<string, { retryable: boolean; description: string }>;
export type ClientErrorCode = keyof typeof CLIENT_ERROR_CODES;

export type ProberErrorCode = ApiErrorCode | ClientErrorCode;

const MARKER = Symbol.for('@mailprobe/core.ProberApiError');

export interface ProberApiErrorOptions {
  code: ProberErrorCode;
  message: string;
  /** HTTP status; 0 when no response arrived (network, timeout, abort). */
  status: number;
  retryAfterMs?: number | null;
  requestId?: string | null;
  cause?: unknown;
}

/** Every failure of the prober client: an HTTP error answer, a broken connection, a timeout, an abort, or a bad answer. */
export class ProberApiError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'ProberApiError';
  readonly code: ProberErrorCode;
  readonly status: number;
  /** Whether sending the same request again may succeed. */
  readonly isRetryable: boolean;
  /** The server's `Retry-After`, in milliseconds; null when it sent none. */
  readonly retryAfterMs: number | null;
  /** The server's `X-Request-Id`, for support requests. */
  readonly requestId: string | null;

  constructor(options: ProberApiErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.requestId = options.requestId ?? null;
    this.isRetryable = isRetryableCode(options.code);
  }

  /** True for a ProberApiError, even one created by another copy of this package (bundles). */
  static isInstance(value: unknown): value is ProberApiError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

function isRetryableCode(code: ProberErrorCode): boolean {
  if (Object.hasOwn(API_ERRORS, code)) return API_ERRORS[code as ApiErrorCode].retryable;
  return CLIENT_ERROR_CODES[code as ClientErrorCode].retryable;
}
