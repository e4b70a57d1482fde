import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { ApiError } from '@mailprobe/core';
import { MEDIA_TYPES } from '@mailprobe/core';
import type { FastifyBaseLogger } from 'fastify';
import { parseListen } from '../config.js';

/** Renders the metrics text: the node's registry after refreshing what is read on demand (queue depth). */
export type MetricsRenderer = () => Promise<{ contentType: string; body: string }>;

const METRICS_PATH = '/metrics';

/** The ops listener: `GET /metrics` and nothing else, on its own address (loopback by default). */
export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

function sendError(
  response: import('node:http').ServerResponse,
  status: number,
  error: ApiError['error'],
): void {
  const body = JSON.stringify({ error });
  response.writeHead(status, { 'content-type': MEDIA_TYPES.json, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** Starts the ops listener on `listen` (`host:port`); resolves once it listens. */
export async function startMetricsListener(
  listen: string,
  render: MetricsRenderer,
  log: FastifyBaseLogger,
): Promise<MetricsListener> {
  const { host, port } = parseListen(listen);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) {
      sendError(response, 404, { code: 'not_found', message: `no route ${request.method} ${path}` });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendError(response, 404, { code: 'not_found', message: `no route ${request.method} ${path}` });
      return;
    }
    render().then(
      ({ contentType, body }) => {
        response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        log.error({ err: error }, 'metrics could not be rendered');
        sendError(response, 500, { code: 'internal', message: 'unexpected server error' });
      },
    );
  });
  // Requests to the ops listener are a scraper's: no body, small headers, quick.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}${METRICS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Whether `presented` (an Authorization header) carries the metrics token; compared in constant time. */
export function hasMetricsToken(presented: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(presented ?? '');
  if (!match?.[1]) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
