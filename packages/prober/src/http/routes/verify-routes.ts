import {
  API_PATHS,
  ApiErrorSchema,
  BatchRequestSchema,
  BatchResponseSchema,
  DEFAULT_VERIFY_TIMEOUT_MS,
  MeResponseSchema,
  VerifyRequestSchema,
  VerifyResponseSchema,
} from '@mailprobe/core';
import type { FastifyReply } from 'fastify';
import { ProberError } from '../../errors.js';
import { hashAddress } from '../../verification-service.js';
import { apiKeyOf, requireApiKey } from '../auth.js';
import type { ProberApp, ProberContext } from '../context.js';

const SECURITY = [{ bearerAuth: [] }];
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
/** Logger levels at which info lines are written (the address hash is only computed for them). */
const LEVELS_WITH_INFO = new Set(['trace', 'debug', 'info']);

/** Sends JSON text as it is: Fastify skips the route's serializer for a string with a JSON content type. */
function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type(JSON_CONTENT_TYPE).send(json);
}
const ERRORS = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  413: ApiErrorSchema,
  429: ApiErrorSchema,
};

async function consumeQuota(context: ProberContext, keyId: string, amount: number): Promise<void> {
  if (!(await context.stores.keys.consume(keyId, amount))) {
    throw new ProberError('quota_exceeded', 'the key has used its whole verification quota', 429);
  }
}

/** `GET /v1/me`, `POST /v1/verify`, `POST /v1/verify/batch`. */
export function registerVerifyRoutes(app: ProberApp, context: ProberContext): void {
  const preHandler = requireApiKey(context);

  app.get(API_PATHS.me, {
    preHandler,
    schema: {
      summary: 'The account behind the API key',
      tags: ['account'],
      security: SECURITY,
      response: { 200: MeResponseSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 429: ApiErrorSchema },
    },
    handler: async (request) => {
      const key = (await context.stores.keys.get(apiKeyOf(request).id)) ?? apiKeyOf(request);
      return {
        accountName: key.name,
        keyId: key.id,
        limits: { requestsPerMinute: key.limits.requestsPerMinute, quota: key.limits.quota, used: key.used },
      };
    },
  });

  app.post(API_PATHS.verify, {
    preHandler,
    schema: {
      summary: 'Verify one address',
      description:
        `Answers within \`timeoutMs\` (default ${DEFAULT_VERIFY_TIMEOUT_MS} ms): an unfinished probe is answered UNKNOWN ` +
        '`timeout`, goes on in the background and its result lands in the cache, so the same call a little later ' +
        'gets the real verdict. `fresh: true` skips the cache and probes again ("check again"); it still counts ' +
        'against the quota.',
      tags: ['verify'],
      security: SECURITY,
      body: VerifyRequestSchema,
      response: { 200: VerifyResponseSchema, ...ERRORS },
    },
    handler: async (request, reply) => {
      const key = apiKeyOf(request);
      await consumeQuota(context, key.id, 1);
      const [result] = await context.service.verifyMany([request.body.email], {
        fresh: request.body.fresh ?? false,
        source: 'single',
        timeoutMs: request.body.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
      });
      if (!result) throw new Error('the engine returned no result');
      if (LEVELS_WITH_INFO.has(request.log.level)) {
        request.logLine = {
          message: 'verified',
          fields: {
            addressHash: hashAddress(result.normalized ?? result.address),
            status: result.status,
            reason: result.reason,
            cached: result.cached,
          },
        };
      }
      if (result.cached) {
        // A cache hit was checked against the contract when it entered the results cache; only `address` (the
        // validated request field) and `cached` differ, so it is written out without checking it again.
        return sendJsonText(reply, JSON.stringify(result));
      }
      return result;
    },
  });

  app.post(API_PATHS.verifyBatch, {
    preHandler,
    schema: {
      summary: 'Verify up to 100 addresses',
      description:
        `Answers within \`timeoutMs\` (default ${DEFAULT_VERIFY_TIMEOUT_MS} ms): addresses not finished by then are ` +
        'answered UNKNOWN `timeout`; their probes go on in the background into the cache. `fresh: true` skips the ' +
        'cache for every address; each still counts against the quota.',
      tags: ['verify'],
      security: SECURITY,
      body: BatchRequestSchema,
      response: { 200: BatchResponseSchema, ...ERRORS },
    },
    handler: async (request) => {
      const key = apiKeyOf(request);
      await consumeQuota(context, key.id, request.body.emails.length);
      const results = await context.service.verifyMany(request.body.emails, {
        fresh: request.body.fresh ?? false,
        source: 'batch',
        timeoutMs: request.body.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
      });
      request.logLine = { message: 'verified batch', fields: { count: results.length } };
      return { results };
    },
  });
}
