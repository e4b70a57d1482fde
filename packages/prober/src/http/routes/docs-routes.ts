import type { OpenAPIV3_1 } from 'openapi-types';
import type { ProberApp } from '../context.js';
import { DOCS_CSP, pageHeaders } from './console-routes.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function pretty(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 2));
}

/** A self-contained HTML page of the OpenAPI document (no scripts, no CDN). */
export function renderDocsPage(document: OpenAPIV3_1.Document): string {
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
<h1>${title} <small>${escapeHtml(document.info.version)}</small></h1>
<p>${escapeHtml(document.info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)}).</p>
<ul>${toc.join('\n')}</ul>
${sections.join('\n')}
</body></html>`;
}

/** `/openapi.json` and `/docs`. */
export function registerDocsRoutes(app: ProberApp, redocPage: string | null = null): void {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Redoc from the built console when present; otherwise the plain page above (no scripts at all).
  app.get('/docs', { schema: { hide: true } }, async (_request, reply) =>
    redocPage
      ? pageHeaders(reply, DOCS_CSP).send(redocPage)
      : pageHeaders(reply, DOCS_CSP).send(renderDocsPage(app.swagger() as OpenAPIV3_1.Document)),
  );
}
