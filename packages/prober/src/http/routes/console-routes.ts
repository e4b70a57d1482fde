import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { ProberApp } from '../context.js';

/** Where `@mailprobe/console` builds to; shipped in this package (same depth from src/ and dist/). */
export const CONSOLE_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));

/**
 * The console's policy: its own scripts and styles only, API calls to this origin only, no framing.
 * The API key sits in session storage, so no third-party script may ever run on these pages.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Redoc (the /docs renderer) injects its styles and runs its search index in a blob: worker. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Security and caching headers of an HTML page, with its Content-Security-Policy. */
export function pageHeaders(reply: FastifyReply, csp: string): FastifyReply {
  return reply
    .header('content-security-policy', csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8');
}

function readPage(name: string): string | null {
  try {
    return readFileSync(`${CONSOLE_DIR}${name}`, 'utf8');
  } catch {
    return null;
  }
}

/** Whether the built console is present (it is in the repository and in every published tarball). */
export function consoleBuilt(): boolean {
  try {
    return statSync(`${CONSOLE_DIR}index.html`).isFile();
  } catch {
    return false;
  }
}

/**
 * The web console at `/` and `/console`, its assets under `/console/`, and the Redoc page for `/docs`
 * (returned by `docsPage()`, null when the console is not built). Pages are read once, at start-up.
 */
export async function registerConsoleRoutes(app: ProberApp): Promise<{ docsPage(): string | null }> {
  const index = readPage('index.html');
  const docs = readPage('docs.html');
  if (index) {
    await app.register(fastifyStatic, {
      root: CONSOLE_DIR,
      prefix: '/console/',
      index: false,
      wildcard: true,
      decorateReply: false,
      // Built assets carry a content hash in their names: cache them for good.
      setHeaders(response, path) {
        response.setHeader('x-content-type-options', 'nosniff');
        response.setHeader('content-security-policy', CONSOLE_CSP);
        if (path.includes('/assets/'))
          response.setHeader('cache-control', 'public, max-age=31536000, immutable');
        else response.setHeader('cache-control', 'no-cache');
      },
      // Pages are served by the routes below; a folder has no listing, and send's 403 for one would answer
      // 400 "Forbidden": both fall through to the documented 404.
      allowedPath: (path) => !path.endsWith('.html') && !path.endsWith('/'),
    });
    // The API reference lives at /docs; /console/docs (the folder of its renderer) is where people guess it is.
    for (const url of ['/console/docs', '/console/docs/']) {
      app.get(url, { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs'));
    }
    for (const url of ['/', '/console', '/console/']) {
      app.get(url, { schema: { hide: true } }, async (_request, reply) =>
        pageHeaders(reply, CONSOLE_CSP).send(index),
      );
    }
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs'));
  }
  return { docsPage: () => docs };
}
