import { API_HEADERS } from '@mailprobe/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiKey } from '../keys/key-admin.js';
import type { ApiKeyRecord } from '../stores/types.js';
import { sendApiError } from './api-errors.js';
import type { ProberContext } from './context.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** Every route under this prefix needs a key. */
const KEYED_PREFIX = '/v1/';

/**
 * Checks the key of every /v1 route in `onRequest`, before a byte of the body is read: a request without a valid
 * key is answered 401/403/429 at once and its body is never parsed (the body watch drains or closes the rest).
 */
export function authenticateApiRequests(app: FastifyInstance, context: ProberContext): void {
  const check = requireApiKey(context);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url?.startsWith(KEYED_PREFIX)) return check(request, reply);
    return undefined;
  });
}

/** A valid, unrevoked key (Bearer) within its request rate; a request already authenticated passes. */
export function requireApiKey(context: ProberContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.apiKey) return undefined;
    const header = request.headers[API_HEADERS.authorization];
    const presented = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!presented)
      return sendApiError(reply, 'unauthorized', 'send the API key as "Authorization: Bearer <key>"');
    const outcome = await authenticateApiKey(context.stores.keys, presented);
    if (!outcome.ok) {
      if (outcome.reason === 'revoked') return sendApiError(reply, 'forbidden', 'this API key was revoked');
      return sendApiError(reply, 'unauthorized', 'unknown API key');
    }
    const limit = outcome.record.limits.requestsPerMinute;
    if (limit !== null) {
      const waitSeconds = await context.requestLimiter.take(outcome.record.id, limit);
      if (waitSeconds !== null) {
        return sendApiError(reply, 'rate_limited', `more than ${limit} requests per minute`, waitSeconds);
      }
    }
    request.apiKey = outcome.record;
    return undefined;
  };
}

/** The key of an authenticated request (the onRequest check guarantees it). */
export function apiKeyOf(request: FastifyRequest): ApiKeyRecord {
  if (!request.apiKey) throw new Error('route registered without requireApiKey');
  return request.apiKey;
}
