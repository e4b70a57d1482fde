import { API_ERRORS, API_HEADERS, type ApiError, type ApiErrorCode, isApiErrorCode } from '@mailprobe/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ProberError } from '../errors.js';
import { isStoreUnavailableError } from '../stores/redis/redis-connection.js';

/** Retry-After (seconds) sent with 503 while the node is not ready. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * Sends an error in the contract's shape: `{ error: { code, message } }` with the code's status. `Retry-After`
 * goes with the retryable 429 and 503 only: quotas never reset, so `quota_exceeded` carries none.
 */
export function sendApiError(
  reply: FastifyReply,
  code: ApiErrorCode,
  message: string,
  retryAfterSeconds?: number,
): FastifyReply {
  const status = API_ERRORS[code].status;
  if (code === 'rate_limited' || code === 'unavailable') {
    const seconds = retryAfterSeconds ?? 1;
    reply.header(API_HEADERS.retryAfter, String(Math.max(1, Math.ceil(seconds))));
  }
  const body: ApiError = { error: { code, message } };
  return reply.code(status).type('application/json').send(body);
}

/** Fastify error codes that mean the client sent something unusable, mapped onto the contract's codes. */
const FASTIFY_ERROR_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

function validationMessage(error: FastifyError): string {
  if (!hasZodFastifySchemaValidationErrors(error)) return error.message;
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  return error.validation
    .slice(0, 5)
    .map((issue) => {
      const field = [context, ...issue.instancePath.split('/').filter(Boolean)].join('.');
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

/** Turns every thrown error into the contract's error shape; unexpected ones are logged and hidden. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (ProberError.isInstance(error) && isApiErrorCode(error.code)) {
    return sendApiError(reply, error.code, error.message);
  }
  if (error.validation) return sendApiError(reply, 'bad_request', validationMessage(error));
  if (isStoreUnavailableError(error)) {
    request.log.warn({ err: error }, 'store unavailable');
    return sendApiError(
      reply,
      'unavailable',
      'the store is unreachable for now; try again shortly',
      UNAVAILABLE_RETRY_AFTER_SECONDS,
    );
  }
  const mapped = error.code ? FASTIFY_ERROR_CODES[error.code] : undefined;
  if (mapped) return sendApiError(reply, mapped, error.message);
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return sendApiError(reply, 'bad_request', `malformed JSON: ${error.message}`);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendApiError(reply, 'bad_request', error.message);
  }
  request.log.error({ err: error }, 'unexpected error');
  return sendApiError(reply, 'internal', 'unexpected server error');
}
