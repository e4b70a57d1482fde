import type { IncomingMessage } from 'node:http';
import { API_PATHS } from '@mailprobe/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProberError } from '../errors.js';
import { sendApiError } from './api-errors.js';

/**
 * The one place that watches, drains and closes request bodies. Every body has a deadline (job uploads a longer
 * one) and an idle timeout; a request answered before its body was read (a refused upload, a bad key) has the rest
 * read and discarded within bounds, then its connection closed. Nothing else in the API reads a body to its end
 * for cleanup or decides when a socket goes.
 */
export interface BodyTimeouts {
  /** Deadline of a request other than a job upload, from its first hook. */
  requestTimeoutMs: number;
  /** Deadline of a job upload. */
  uploadTimeoutMs: number;
  /** Longest silence of a body. */
  bodyIdleTimeoutMs: number;
  /** After an early answer, the rest of the body is discarded for at most this long… */
  drainTimeoutMs: number;
  /** …and at most this many bytes. */
  drainLimitBytes: number;
}

/** How often a draining body's byte count is looked at. */
const DRAIN_CHECK_MS = 100;

interface BodyWatch {
  /** Aborted when the body will not arrive whole (timed out, connection gone, or answered early). */
  controller: AbortController;
  timers: Array<NodeJS.Timeout>;
  stop(): void;
}

const watches = new WeakMap<IncomingMessage, BodyWatch>();

/** Whether the request announced a body (Content-Length above 0, or chunked). */
function announcesBody(raw: IncomingMessage): boolean {
  if (raw.headers['transfer-encoding'] !== undefined) return true;
  const length = raw.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** Whether the request is a streamed job upload (deadline `uploadTimeoutMs`). */
export function isJobUpload(request: FastifyRequest): boolean {
  return request.method === 'POST' && request.routeOptions.url === API_PATHS.jobs;
}

/**
 * Aborted once the request's body cannot arrive whole: it timed out, its connection closed, or the request was
 * answered before the body ended. A reader that stops early (an upload being stored) checks it before it commits.
 */
export function bodySignal(request: FastifyRequest): AbortSignal {
  return watches.get(request.raw)?.controller.signal ?? AbortSignal.abort();
}

function timedOut(): ProberError {
  return new ProberError('request_timeout', 'the request body did not arrive in time', 408);
}

/** Ends a body that took too long: 408 if nothing was answered yet (the connection closes after it), else close. */
function expire(request: FastifyRequest, reply: FastifyReply, watch: BodyWatch, why: string): void {
  if (request.raw.complete) return;
  request.log.info({ why }, 'request body timed out');
  watch.controller.abort(timedOut());
  if (!reply.sent && !reply.raw.headersSent) {
    reply.header('connection', 'close');
    sendApiError(reply, 'request_timeout', `the request body did not arrive in time (${why})`);
    return;
  }
  request.raw.socket.destroy();
}

/**
 * The request was answered while its body was still arriving: its readers are detached, the rest is read and
 * discarded for at most `drainTimeoutMs` and `drainLimitBytes` (clients that send on until the end then see the
 * answer), and past that the connection is closed.
 */
function drainAfterAnswer(request: FastifyRequest, watch: BodyWatch, timeouts: BodyTimeouts): void {
  const raw = request.raw;
  if (raw.complete || raw.socket.destroyed) return;
  watch.controller.abort(
    new ProberError('bad_request', 'the request was answered before its body ended', 400),
  );
  // A multipart parser or CSV reader that stopped reading would otherwise hold the body (and socket) paused.
  raw.unpipe();
  raw.resume();
  const socket = raw.socket;
  const startBytes = socket.bytesRead;
  const close = () => {
    if (!raw.complete) socket.destroy();
  };
  watch.timers.push(setTimeout(close, timeouts.drainTimeoutMs));
  watch.timers.push(
    setInterval(() => {
      if (raw.complete) watch.stop();
      else if (socket.bytesRead - startBytes > timeouts.drainLimitBytes) close();
    }, DRAIN_CHECK_MS),
  );
}

/**
 * Installs the body watch on every request of `app`: the deadline and idle timeout while a body arrives, and the
 * bounded drain when a request is answered before its body ended.
 */
export function watchRequestBodies(app: FastifyInstance, timeouts: BodyTimeouts): void {
  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    if (!announcesBody(raw) || raw.complete) return;
    const socket = raw.socket;
    const controller = new AbortController();
    const onIdle = () => expire(request, reply, watch, `no byte for ${timeouts.bodyIdleTimeoutMs} ms`);
    const onClose = () => {
      watch.stop();
      if (raw.complete) return;
      // Node no longer errors a request it has answered; its reader (an upload still being stored) must hear of it.
      const reason = controller.signal.aborted
        ? (controller.signal.reason as Error)
        : new ProberError('bad_request', 'the connection closed before the body ended', 400);
      controller.abort(reason);
      raw.destroy(reason);
    };
    const watch: BodyWatch = {
      controller,
      timers: [],
      stop() {
        for (const timer of watch.timers) clearTimeout(timer);
        watch.timers = [];
        raw.off('timeout', onIdle);
        // A keep-alive connection carries many requests: each one's listener goes with it.
        socket.off('close', onClose);
        // Once answered, the socket's timeout is Node's keep-alive timeout: leave it.
        if (!socket.destroyed && !reply.raw.writableFinished) socket.setTimeout(0);
      },
    };
    watches.set(raw, watch);
    const deadlineMs = isJobUpload(request) ? timeouts.uploadTimeoutMs : timeouts.requestTimeoutMs;
    watch.timers.push(
      setTimeout(() => expire(request, reply, watch, `not whole within ${deadlineMs} ms`), deadlineMs),
    );
    // Node emits 'timeout' on an incomplete request whose socket was silent this long (refreshed per byte read).
    socket.setTimeout(timeouts.bodyIdleTimeoutMs);
    raw.on('timeout', onIdle);
    raw.once('end', () => watch.stop());
    socket.once('close', onClose);
    reply.raw.once('finish', () => {
      if (raw.complete) watch.stop();
      else drainAfterAnswer(request, watch, timeouts);
    });
  });
}
