import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { API_ERRORS, API_HEADERS, type ApiError, type ApiErrorCode, MEDIA_TYPES } from '@mailprobe/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProberError } from '../errors.js';
import { sendApiError } from './api-errors.js';
import { isJobUpload } from './request-body.js';

/**
 * The errors Fastify and Node's HTTP parser raise before a route runs, answered in the contract's shape with
 * `X-Request-Id` like every other answer. Without these hooks a bad `%` escape, an over-long parameter or a
 * malformed request line answered in Fastify's own `{ error, code, message, statusCode }` shape.
 */

/** Fastify's `frameworkErrors`: the router refused the URL (bad `%` escape, parameter over `maxParamLength`). */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.header(API_HEADERS.requestId, request.id);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    sendApiError(reply, 'uri_too_long', 'a path parameter is longer than allowed');
    return;
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    sendApiError(reply, 'bad_request', 'the path holds an invalid percent-encoding');
    return;
  }
  sendApiError(reply, 'bad_request', 'the request could not be routed');
}

/** Node's HTTP parser errors that have a status of their own; the rest are 400. */
const CLIENT_ERROR_CODES: Record<string, ApiErrorCode> = {
  HPE_HEADER_OVERFLOW: 'headers_too_large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Fastify's `clientErrorHandler`: the bytes were not an HTTP request Node could parse (or took too long). There is
 * no request object, so the answer is written to the socket, which is then closed, as Node does by default.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = (error.code && CLIENT_ERROR_CODES[error.code]) || 'bad_request';
  const status = API_ERRORS[code].status;
  const message =
    code === 'headers_too_large'
      ? 'the request headers are larger than allowed'
      : code === 'request_timeout'
        ? 'the request did not arrive in time'
        : 'malformed HTTP request';
  const body: ApiError = { error: { code, message } };
  const text = JSON.stringify(body);
  // A response already under way (a request answered before its body timed out) gets no second one.
  const underway = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
    ?.headersSent;
  if (socket.writable && !underway) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\n` +
        `Content-Type: ${MEDIA_TYPES.json}\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        `X-Request-Id: ${randomUUID()}\r\n` +
        'Connection: close\r\n\r\n' +
        text,
    );
  }
  socket.destroy();
}

/**
 * Media types with a parser: JSON (strict UTF-8) everywhere, CSV on job uploads. Fastify's default `text/plain`
 * parser is removed, so a text body gets 415 `unsupported_media_type` instead of a confusing 400 from validation.
 */
export function useStrictBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(MEDIA_TYPES.json);
  // Read as bytes and decoded strictly: the default parser decodes with U+FFFD for invalid bytes and verifies a
  // different address than the one sent; the streamed job upload already refuses such bodies.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  app.addContentTypeParser(MEDIA_TYPES.json, { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = decoder.decode(body as Buffer);
    } catch {
      done(new ProberError('bad_request', 'malformed JSON: the body is not valid UTF-8', 400), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

/**
 * onRequest hook: a body whose `Content-Length` already says it is over the route's limit is refused before a
 * byte of it is read, and the connection is closed so the rest is not read either.
 */
export function refuseDeclaredOversize(limits: { bodyLimitBytes: number; jobBodyLimitBytes: number }) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const declared = request.headers['content-length'];
    if (declared === undefined) return undefined;
    const length = Number(declared);
    const limit = isJobUpload(request) ? limits.jobBodyLimitBytes : limits.bodyLimitBytes;
    if (!Number.isFinite(length) || length <= limit) return undefined;
    reply.header('connection', 'close');
    return sendApiError(reply, 'payload_too_large', `the body is larger than ${limit} bytes`);
  };
}
