import { z } from 'zod';
import { apiErrorCodeForStatus, isApiErrorCode } from '../contract/errors.js';
import { API_HEADERS } from '../contract/paths.js';
import { readBoundedText } from './body-reader.js';
import { ProberApiError } from './prober-api-error.js';
import { abortedError, backoffDelay, parseRetryAfter, sleep } from './retry.js';

/** Largest JSON answer read (a full batch of 100 results is a few hundred KB). */
export const MAX_JSON_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Largest error body read; the rest is discarded. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Longest `message` kept from a validation failure of a server answer. */
const MAX_DETAIL_LENGTH = 500;

export interface TransportSettings {
  baseUrl: string;
  apiKey: string;
  userAgent: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  maxRetryAfterMs: number;
  fetch: typeof globalThis.fetch;
}

export interface RequestBody {
  contentType: string;
  /** Called once per attempt so every attempt sends a fresh body. */
  create(): NonNullable<RequestInit['body']>;
  /** Whether the body is a one-shot stream (then the request is never sent twice). */
  streamed: boolean;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  accept: string;
  body?: RequestBody;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/**
 * The per-attempt timeout. It is restartable so a streamed answer can be held to an idle timeout
 * (no bytes for `timeoutMs`) instead of a total one.
 */
export class AttemptTimer {
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly signal: AbortSignal;

  constructor(timeoutMs: number, callerSignal: AbortSignal | undefined) {
    this.#timeoutMs = timeoutMs;
    this.signal = callerSignal
      ? AbortSignal.any([callerSignal, this.#controller.signal])
      : this.#controller.signal;
    this.restart();
  }

  get timedOut(): boolean {
    return this.#controller.signal.aborted;
  }

  restart(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => this.#controller.abort(new DOMException('Prober request timed out', 'TimeoutError')),
      this.#timeoutMs,
    );
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}

/** Turns whatever a fetch or body read threw into a ProberApiError. */
export function classifyFailure(
  cause: unknown,
  timer: AttemptTimer,
  callerSignal?: AbortSignal,
): ProberApiError {
  if (ProberApiError.isInstance(cause)) return cause;
  if (callerSignal?.aborted) return abortedError(callerSignal);
  if (timer.timedOut) {
    return new ProberApiError({
      code: 'timeout',
      status: 0,
      message: 'The prober did not answer in time',
      cause,
    });
  }
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ProberApiError({ code: 'network_error', status: 0, message: `Network error: ${detail}`, cause });
}

const LenientErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Builds the error for a non-2xx answer, reading (a bounded part of) its body. */
export async function errorFromResponse(response: Response): Promise<ProberApiError> {
  let text = '';
  try {
    text = await readBoundedText(response.body, MAX_ERROR_BODY_BYTES, response.status);
  } catch {
    // A broken or huge error body still leaves the status to go on.
  }
  let parsed: z.infer<typeof LenientErrorBodySchema> | null = null;
  try {
    const result = LenientErrorBodySchema.safeParse(JSON.parse(text));
    if (result.success) parsed = result.data;
  } catch {
    // Not JSON: e.g. an HTML page from a proxy.
  }
  const bodyCode = parsed?.error.code;
  const code = isApiErrorCode(bodyCode) ? bodyCode : (apiErrorCodeForStatus(response.status) ?? 'http_error');
  return new ProberApiError({
    code,
    status: response.status,
    message: parsed?.error.message ?? `HTTP ${response.status} ${response.statusText}`.trim(),
    retryAfterMs: parseRetryAfter(response.headers.get(API_HEADERS.retryAfter)),
    requestId: response.headers.get(API_HEADERS.requestId),
  });
}

/** Raises `invalid_response` unless `value` fits `schema`. */
export function parseAnswer<T>(schema: z.ZodType<T>, value: unknown, status: number, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ProberApiError({
    code: 'invalid_response',
    status,
    message: `The prober answered an invalid ${what}: ${z.prettifyError(result.error).slice(0, MAX_DETAIL_LENGTH)}`,
    cause: result.error,
  });
}

/** Reads a JSON answer (bounded) and checks it against `schema`. */
export async function readJson<T>(response: Response, schema: z.ZodType<T>, what: string): Promise<T> {
  const text = await readBoundedText(response.body, MAX_JSON_RESPONSE_BYTES, response.status);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ProberApiError({
      code: 'invalid_response',
      status: response.status,
      message: `The prober answered a ${what} that is not JSON: ${JSON.stringify(text.slice(0, 80))}`,
      cause,
    });
  }
  return parseAnswer(schema, value, response.status, what);
}

export interface Transport {
  /**
   * Sends `spec`, retrying retryable failures, and hands each 2xx answer to `consume`; a failure inside
   * `consume` (a broken body) is retried too. With `keepTimer`, the attempt timer stays running after
   * `consume` returns and the caller must clear it.
   */
  execute<T>(
    spec: RequestSpec,
    consume: (response: Response, timer: AttemptTimer) => Promise<T>,
    options?: { keepTimer?: boolean },
  ): Promise<T>;
}

export function createTransport(settings: TransportSettings): Transport {
  const baseUrl = settings.baseUrl.replace(/\/+$/, '');

  function urlFor(spec: RequestSpec): string {
    const url = new URL(baseUrl + spec.path);
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  function headersFor(spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${settings.apiKey}`,
      accept: spec.accept,
      'user-agent': settings.userAgent,
      ...spec.headers,
    };
    if (spec.body) headers['content-type'] = spec.body.contentType;
    return headers;
  }

  async function execute<T>(
    spec: RequestSpec,
    consume: (response: Response, timer: AttemptTimer) => Promise<T>,
    options: { keepTimer?: boolean } = {},
  ): Promise<T> {
    const url = urlFor(spec);
    const headers = headersFor(spec);
    // A one-shot stream cannot be sent again, so such a request gets exactly one attempt.
    const maxRetries = spec.body?.streamed ? 0 : settings.maxRetries;
    for (let attempt = 0; ; attempt++) {
      if (spec.signal?.aborted) throw abortedError(spec.signal);
      const timer = new AttemptTimer(settings.timeoutMs, spec.signal);
      let keepTimer = false;
      let error: ProberApiError;
      try {
        const init: RequestInit & { duplex?: 'half' } = {
          method: spec.method,
          headers,
          signal: timer.signal,
        };
        if (spec.body) {
          init.body = spec.body.create();
          if (spec.body.streamed) init.duplex = 'half';
        }
        const response = await settings.fetch(url, init);
        if (response.ok) {
          const value = await consume(response, timer);
          keepTimer = options.keepTimer === true;
          return value;
        }
        error = await errorFromResponse(response);
      } catch (cause) {
        error = classifyFailure(cause, timer, spec.signal);
      } finally {
        if (!keepTimer) timer.clear();
      }
      if (!error.isRetryable || attempt >= maxRetries) throw error;
      if (error.retryAfterMs !== null && error.retryAfterMs > settings.maxRetryAfterMs) {
        // Retrying earlier than the server asked would only be refused again; let the caller decide.
        throw error;
      }
      const delay =
        error.retryAfterMs ?? backoffDelay(attempt, settings.retryBaseDelayMs, settings.retryMaxDelayMs);
      await sleep(delay, spec.signal);
    }
  }

  return { execute };
}
