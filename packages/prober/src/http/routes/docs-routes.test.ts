import { VerifyRequestSchema, VerifyResponseSchema } from '@mailprobe/core';
import type { OpenAPIV3_1 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { renderQuickStart, VERIFY_REQUEST_EXAMPLE, VERIFY_RESPONSE_EXAMPLE } from './docs-quick-start.js';
import { arrangeDocument, renderDocsPage } from './docs-routes.js';

const operation = (tag: string) => ({ tags: [tag], responses: {} });
const DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Mailprobe prober API', version: '1' },
  paths: {
    '/healthz': { get: operation('operations') },
    '/v1/me': { get: operation('account') },
    '/v1/jobs': { post: operation('jobs') },
    '/v1/verify': {
      post: {
        tags: ['verify'],
        requestBody: { content: { 'application/json': { schema: {} } } },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } },
      },
    },
  },
} as unknown as OpenAPIV3_1.Document;

describe('the /docs quick start', () => {
  it('shows a request and an answer that the API contract accepts', () => {
    expect(VerifyRequestSchema.parse(VERIFY_REQUEST_EXAMPLE)).toEqual(VERIFY_REQUEST_EXAMPLE);
    expect(VerifyResponseSchema.parse(VERIFY_RESPONSE_EXAMPLE)).toEqual(VERIFY_RESPONSE_EXAMPLE);
    expect(VERIFY_REQUEST_EXAMPLE).not.toHaveProperty('timeoutMs');
  });

  it('names the base URL it was asked on, escaped', () => {
    const html = renderQuickStart('http://evil"><script>x</script>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('http://evil&#34;&#62;&#60;script&#62;');
    expect(renderQuickStart('https://mailprobe.example')).toContain(
      'curl -sS https://mailprobe.example/v1/verify \\',
    );
  });

  it('opens the plain docs page too', () => {
    const html = renderDocsPage(arrangeDocument(DOCUMENT), 'https://mailprobe.example');
    expect(html.indexOf('quick start')).toBeLessThan(html.indexOf('GET /healthz'));
  });
});

describe('the OpenAPI document as served', () => {
  it('reads in the order a new user needs: verify first, health last, with the quick start as examples', () => {
    const arranged = arrangeDocument(DOCUMENT);
    expect(arranged.tags?.map((tag) => tag.name)).toEqual([
      'verify',
      'jobs',
      'webhooks',
      'account',
      'operations',
    ]);
    expect(Object.keys(arranged.paths ?? {})).toEqual(['/v1/verify', '/v1/jobs', '/v1/me', '/healthz']);
    const verify = arranged.paths?.['/v1/verify']?.post;
    const body = verify?.requestBody as OpenAPIV3_1.RequestBodyObject;
    expect(body.content['application/json']?.example).toEqual(VERIFY_REQUEST_EXAMPLE);
    // The source document (Fastify's, cached) is left as it was.
    expect(Object.keys(DOCUMENT.paths ?? {})[0]).toBe('/healthz');
  });
});
