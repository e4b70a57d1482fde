import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Fastify's request logging with one line per request instead of two: nothing when a request arrives, and
 * on completion its method, route, status, time and the fields the route put in `request.logLine`
 * (hashed or counted, never an address) under the route's message. Headers, and so the API key, are never part of it.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      ...request.logLine?.fields,
      method: request.method,
      path: request.routeOptions.url ?? request.url.split('?')[0],
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 1000) / 1000,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, request.logLine?.message ?? 'request completed');
  }
}
