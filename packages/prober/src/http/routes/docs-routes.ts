import type { OpenAPIV3_1 } from 'openapi-types';
import type { ProberApp } from '../context.js';
import { DOCS_CSP, pageHeaders } from './console-routes.js';
import {
  QUICK_START_MARKER,
  renderQuickStart,
  VERIFY_REQUEST_EXAMPLE,
  VERIFY_RESPONSE_EXAMPLE,
} from './docs-quick-start.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function pretty(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 2));
}

/** Tags in reading order: what a new user calls first, health and metrics last. */
const TAG_ORDER = [
  { name: 'verify', description: 'Verify one address or a small batch, answered in the same request.' },
  {
    name: 'jobs',
    description: 'Upload a list (CSV, Excel, NDJSON or JSON), follow it, download every row back.',
  },
  { name: 'webhooks', description: 'Be called when a job ends.' },
  { name: 'account', description: "The key's own account, quota and rate limit." },
  { name: 'operations', description: 'Health, readiness and metrics, for whoever runs the server.' },
];

const rank = (tags: readonly string[] | undefined) => {
  const index = TAG_ORDER.findIndex((tag) => tags?.includes(tag.name));
  return index < 0 ? TAG_ORDER.length : index;
};

/**
 * The OpenAPI document as /openapi.json serves it: tags in reading order (health last), paths in the same order,
 * and the quick start's request and answer as the examples of `POST /v1/verify`.
 */
export function arrangeDocument(source: OpenAPIV3_1.Document): OpenAPIV3_1.Document {
  const document = structuredClone(source);
  const known = new Set(TAG_ORDER.map((tag) => tag.name));
  document.tags = [...TAG_ORDER, ...(document.tags ?? []).filter((tag) => !known.has(tag.name))];
  const paths = Object.entries(document.paths ?? {});
  const firstTags = (item: OpenAPIV3_1.PathItemObject | undefined) =>
    METHODS.map((method) => item?.[method]?.tags).find((tags) => tags !== undefined);
  paths.sort(([, a], [, b]) => rank(firstTags(a)) - rank(firstTags(b)));
  document.paths = Object.fromEntries(paths);
  const verify = document.paths['/v1/verify']?.post;
  const request = verify?.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
  const requestJson = request?.content?.['application/json'];
  if (requestJson) requestJson.example = VERIFY_REQUEST_EXAMPLE;
  const answer = verify?.responses?.['200'] as OpenAPIV3_1.ResponseObject | undefined;
  const answerJson = answer?.content?.['application/json'];
  if (answerJson) answerJson.example = VERIFY_RESPONSE_EXAMPLE;
  return document;
}

/** A self-contained HTML page of the OpenAPI document (no scripts, no CDN), opening with the quick start. */
export function renderDocsPage(document: OpenAPIV3_1.Document, baseUrl: string): string {
  const sections: string[] = [];
  const toc: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const anchor = `${method}-${path.replace(/[^a-z0-9]+/gi, '-')}`;
      toc.push(
        `<li><a href="#${anchor}"><code>${method.toUpperCase()} ${escapeHtml(path)}</code></a> ${escapeHtml(operation.summary ?? '')}</li>`,
      );
      const parts = [
        `<h2 id="${anchor}"><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2>`,
        operation.summary ? `<p>${escapeHtml(operation.summary)}</p>` : '',
        operation.description ? `<p>${escapeHtml(operation.description)}</p>` : '',
        operation.security ? '<p><em>Requires <code>Authorization: Bearer &lt;key&gt;</code>.</em></p>' : '',
      ];
      if (operation.parameters?.length) {
        parts.push(`<h3>Parameters</h3><pre>${pretty(operation.parameters)}</pre>`);
      }
      if (operation.requestBody)
        parts.push(`<h3>Request body</h3><pre>${pretty(operation.requestBody)}</pre>`);
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        parts.push(
          `<details><summary>Response ${escapeHtml(status)}</summary><pre>${pretty(response)}</pre></details>`,
        );
      }
      sections.push(`<section>${parts.join('\n')}</section>`);
    }
  }
  const title = escapeHtml(document.info.title);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
pre{background:#f4f4f4;padding:.75rem;overflow:auto;font-size:.85rem}section{border-top:1px solid #ddd;margin-top:1.5rem}</style>
</head><body>
<p><strong>${title}</strong> <small>${escapeHtml(document.info.version)}</small></p>
<p>${escapeHtml(document.info.description ?? '')}</p>
${renderQuickStart(baseUrl)}
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)}).</p>
<ul>${toc.join('\n')}</ul>
${sections.join('\n')}
</body></html>`;
}

/** `/openapi.json` and `/docs`. */
export function registerDocsRoutes(app: ProberApp, redocPage: string | null = null): void {
  let arranged: OpenAPIV3_1.Document | null = null;
  const openApi = () => {
    arranged ??= arrangeDocument(app.swagger() as OpenAPIV3_1.Document);
    return arranged;
  };
  app.get('/openapi.json', { schema: { hide: true } }, async () => openApi());
  // Redoc from the built console when present, under the quick start; otherwise the plain page (no scripts at all).
  app.get('/docs', { schema: { hide: true } }, async (request, reply) => {
    const baseUrl = `${request.protocol}://${request.host}`;
    return pageHeaders(reply, DOCS_CSP).send(
      redocPage
        ? redocPage.replace(QUICK_START_MARKER, () => renderQuickStart(baseUrl))
        : renderDocsPage(openApi(), baseUrl),
    );
  });
}
