import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { type Logger, silentLogger } from '../logger.js';
import type { EventQueue } from '../store/event-queue.js';
import type { ReplayGuard } from '../store/replay-guard.js';
import { contactEventsOf, WebhookBodySchema } from './events.js';
import {
  DEFAULT_SIGNATURE_VERSIONS,
  legacySignatureOf,
  MAX_SIGNATURE_AGE_MS,
  type SignatureVersion,
  verifyHubspotSignature,
} from './signature.js';

/** A delivery of 100 events is a few tens of kilobytes; anything far larger is not HubSpot. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface WebhookReceiverSettings {
  clientSecret: string;
  /** Path HubSpot posts to. */
  path: string;
  /** The public URL HubSpot calls (its origin is used to rebuild the signed URI behind proxies). */
  publicUrl: string | null;
  /** Default v3 only; listing v1/v2 opts in to HubSpot's legacy, untimestamped signatures. */
  acceptedSignatureVersions: readonly SignatureVersion[];
  maxSignatureAgeMs: number;
  /** v1/v2 signatures carry no timestamp: how long to remember them to refuse replays. */
  legacyReplayWindowMs: number;
  /** A delivery (headers and body) must have arrived whole within this; a slower one is answered 408 and closed. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

/** How often Node checks requests against their deadline: at most this late, and never coarser than a quarter. */
const TIMEOUT_CHECK_MS = 1000;

export const WEBHOOK_RECEIVER_DEFAULTS: Omit<WebhookReceiverSettings, 'clientSecret'> = {
  path: '/hubspot/webhooks',
  publicUrl: null,
  acceptedSignatureVersions: DEFAULT_SIGNATURE_VERSIONS,
  maxSignatureAgeMs: MAX_SIGNATURE_AGE_MS,
  legacyReplayWindowMs: 24 * 60 * 60 * 1000,
  // HubSpot itself gives up on a delivery after 5 s; a body still trickling in after 10 s is not HubSpot.
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5000,
};

const UNAUTHORIZED = {
  error: { code: 'unauthorized', message: 'Missing, invalid or replayed HubSpot signature.' },
};

/** Replay-guard key of a legacy (v1/v2) signature, the same whether it was checked or only carried along. */
const legacyReplayKey = (version: string, signatureHex: string) => `${version}:-:${signatureHex}`;
/** Replay-guard key saying a v3-signed delivery carried this event: its legacy signatures are never enough. */
const v3EventKey = (eventId: string) => `v3-event:${eventId}`;

/** The Fastify app that checks signatures and stores events durably before answering 200. */
export function createWebhookReceiver(options: {
  settings: WebhookReceiverSettings;
  queue: EventQueue;
  replayGuard: ReplayGuard;
  /** Called after events were stored, so the worker can start at once. */
  onQueued?: () => void;
  logger?: Logger;
  now?: () => number;
}): FastifyInstance {
  const { settings, queue, replayGuard } = options;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger: false,
    bodyLimit: MAX_WEBHOOK_BODY_BYTES,
    // The signature covers the body, so nothing can be refused before it is read: slow bodies are timed out
    // instead (Node answers 408 and closes), as are headers and idle connections.
    requestTimeout: settings.requestTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    http: {
      headersTimeout: settings.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MS, Math.ceil(settings.requestTimeoutMs / 4)),
    },
    trustProxy: settings.publicUrl === null,
  });

  // The signature covers the raw body, so it is kept as received and parsed only after checking.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const signedUri = (request: FastifyRequest): string => {
    const origin =
      settings.publicUrl !== null
        ? new URL(settings.publicUrl).origin
        : `${request.protocol}://${request.host}`;
    return `${origin}${request.url}`;
  };

  app.post(settings.path, async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : '';
    const time = now();
    const verdict = verifyHubspotSignature(
      { method: request.method, uri: signedUri(request), body, headers: request.headers },
      {
        clientSecret: settings.clientSecret,
        now: time,
        maxAgeMs: settings.maxSignatureAgeMs,
        acceptedVersions: settings.acceptedSignatureVersions,
      },
    );
    if (!verdict.ok) {
      logger.warn('webhook rejected', { reason: verdict.reason, ip: request.ip });
      return reply.code(401).send(UNAUTHORIZED);
    }
    const expiresAt =
      verdict.timestamp !== null
        ? verdict.timestamp + settings.maxSignatureAgeMs
        : time + settings.legacyReplayWindowMs;
    // Keyed on (timestamp, decoded signature bytes): the same request with its base64 re-padded or its
    // hex re-cased is the same request.
    const replayKey =
      verdict.version === 'v3'
        ? `v3:${verdict.timestamp}:${verdict.signature}`
        : legacyReplayKey(verdict.version, verdict.signature);
    if (!replayGuard.firstSighting(replayKey, expiresAt)) {
      logger.warn('webhook rejected', { reason: 'replayed', version: verdict.version, ip: request.ip });
      return reply.code(401).send(UNAUTHORIZED);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return reply.code(400).send({ error: { code: 'invalid_json', message: 'The body is not JSON.' } });
    }
    const events = WebhookBodySchema.safeParse(parsed);
    if (!events.success) {
      return reply
        .code(400)
        .send({ error: { code: 'invalid_events', message: events.error.issues[0]?.message ?? 'invalid' } });
    }
    const legacyAccepted = settings.acceptedSignatureVersions.some((version) => version !== 'v3');
    if (legacyAccepted && verdict.version === 'v3') {
      // The same delivery replayed with its v3 header stripped must not pass on the legacy signature it also
      // carried: that signature is spent now, and every event it held asks for v3 from now on.
      const legacyExpiry = time + settings.legacyReplayWindowMs;
      const carried = legacySignatureOf(request.headers);
      if (carried) replayGuard.remember(legacyReplayKey(carried.version, carried.signature), legacyExpiry);
      for (const event of events.data) replayGuard.remember(v3EventKey(event.eventId), legacyExpiry);
    } else if (verdict.version !== 'v3') {
      if (events.data.some((event) => replayGuard.seen(v3EventKey(event.eventId), time))) {
        logger.warn('webhook rejected', {
          reason: 'v3_seen_for_event',
          version: verdict.version,
          ip: request.ip,
        });
        return reply.code(401).send(UNAUTHORIZED);
      }
    }
    const relevant = contactEventsOf(events.data);
    // Stored (and synced) before the 200 goes out: a crash after this point loses nothing.
    const queued = relevant.length > 0 ? queue.enqueue(relevant, time) : 0;
    logger.info('webhook accepted', { version: verdict.version, events: events.data.length, queued });
    if (queued > 0) options.onQueued?.();
    return reply.code(200).send({ received: events.data.length, queued });
  });

  // Fastify's own refusals (a body over the limit, a bad Content-Length) in the project's error shape.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply.code(413).send({
        error: {
          code: 'payload_too_large',
          message: `The body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes.`,
        },
      });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: 'bad_request', message: error.message } });
    }
    logger.error('webhook receiver failed', { error: error.message });
    return reply.code(500).send({ error: { code: 'internal', message: 'Internal error.' } });
  });

  app.get('/healthz', async () => ({ ok: true, queue: queue.counts() }));

  return app;
}
