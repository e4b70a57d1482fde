import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type VerificationResult, verifyWebhookSignature } from '@mailprobe/core';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from './start-prober.js';

let internet: FakeInternet;
let prober: StartedProber;
let key: string;
let keyWebhookSecret: string;

const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });

async function call(
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string>; apiKey?: string | null } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  const apiKey = init.apiKey === undefined ? key : init.apiKey;
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return fetch(`${prober.url}${path}`, { method: init.method ?? 'GET', headers, body: init.body ?? null });
}

async function post(path: string, body: unknown, apiKey: string | null = key) {
  const { body: text, ...headers } = json(body);
  return call(path, { method: 'POST', body: text, headers, apiKey });
}

async function waitForJob(id: string, apiKey = key, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await (await call(`/v1/jobs/${id}`, { apiKey })).json()) as Record<string, unknown>;
    if (['completed', 'failed', 'cancelled'].includes(job.status as string)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${String(job.status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function ndjson(response: Response): Promise<VerificationResult[]> {
  const text = await response.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as VerificationResult);
}

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'example.test': {
        mx: [{ host: 'mx.example.test', smtp: { mailboxes: ['alice@example.test', 'bob@example.test'] } }],
      },
      'grey.test': {
        mx: [{ host: 'mx.grey.test', smtp: { mailboxes: ['carol@grey.test'], greylistMs: 300 } }],
      },
    },
  });
  prober = await startProber({
    engine: { ...internet.engineOptions, timeouts: { totalMs: 5000 } },
    config: {
      jobs: {
        concurrency: 2,
        chunkSize: 10,
        leaseMs: 10_000,
        pollIntervalMs: 20,
        greylistRetryDelayMs: 500,
        greylistMaxRetries: 2,
        maxAddresses: 1_000_000,
        ingestBatchSize: 3,
        ingestLeaseMs: 10_000,
        bodyLimitBytes: 1024 * 1024,
      },
      bodyLimitBytes: 16 * 1024,
      webhook: {
        secret: 'a-test-webhook-secret',
        timeoutMs: 2000,
        maxAttempts: 3,
        initialBackoffMs: 50,
        maxBackoffMs: 200,
      },
    },
  });
  ({ key, webhookSecret: keyWebhookSecret } = await prober.createKeyWithWebhookSecret('tests'));
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
});

describe('operations routes', () => {
  it('answers health, readiness, metrics, OpenAPI 3.1 and a docs page', async () => {
    expect(await (await call('/healthz', { apiKey: null })).json()).toEqual({ status: 'ok' });
    expect(await (await call('/readyz', { apiKey: null })).json()).toEqual({ status: 'ready' });
    const openapi = (await (await call('/openapi.json', { apiKey: null })).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/verify',
        '/v1/verify/batch',
        '/v1/jobs',
        '/v1/jobs/{id}',
        '/v1/jobs/{id}/results',
        '/v1/me',
        '/v1/webhooks',
        '/v1/webhooks/{id}',
      ]),
    );
    const docs = await call('/docs', { apiKey: null });
    expect(docs.headers.get('content-type')).toContain('text/html');
    // Redoc (from the built console) renders /openapi.json; the bundle is served here, never from a CDN.
    expect(await docs.text()).toContain('src="/console/docs/redoc.standalone.js"');
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    const redoc = await call('/console/docs/redoc.standalone.js', { apiKey: null });
    expect(redoc.status).toBe(200);
    expect(await redoc.text()).not.toContain('cdn.redoc.ly');
    const metrics = await (await fetch(prober.metricsUrl as string)).text();
    expect(metrics).toContain('mailprobe_cache_hit_ratio');
    // Not on the API listener (no metrics token configured).
    expect((await call('/metrics', { apiKey: null })).status).toBe(404);
  });

  it('answers unknown routes with a JSON 404 in the contract shape', async () => {
    const response = await call('/v2/nothing');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});

describe('authentication and limits', () => {
  it('refuses missing, malformed and unknown keys with 401, revoked ones with 403', async () => {
    expect((await post('/v1/verify', { email: 'alice@example.test' }, null)).status).toBe(401);
    expect((await post('/v1/verify', { email: 'alice@example.test' }, 'not-a-key')).status).toBe(401);
    const unknown = `${key.slice(0, -4)}AAAA`;
    const refused = await post('/v1/verify', { email: 'alice@example.test' }, unknown);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const revokedKey = await prober.createKey('soon revoked');
    const id = revokedKey.split('_')[1] as string;
    await prober.server.stores.keys.revoke(id, new Date().toISOString());
    const forbidden = await post('/v1/verify', { email: 'alice@example.test' }, revokedKey);
    expect(forbidden.status).toBe(403);
  });

  it('limits requests per minute per key with 429 and Retry-After', async () => {
    const limited = await prober.createKey('slow', { requestsPerMinute: 2 });
    expect((await call('/v1/me', { apiKey: limited })).status).toBe(200);
    expect((await call('/v1/me', { apiKey: limited })).status).toBe(200);
    const third = await call('/v1/me', { apiKey: limited });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another key is not affected.
    expect((await call('/v1/me')).status).toBe(200);
  });

  it('enforces the quota and reports usage on /v1/me', async () => {
    const small = await prober.createKey('small', { quota: 2 });
    const batch = await post('/v1/verify/batch', { emails: ['a@b', 'c@d', 'e@f'] }, small);
    expect(batch.status).toBe(429);
    expect(((await batch.json()) as { error: { code: string } }).error.code).toBe('quota_exceeded');
    expect((await post('/v1/verify/batch', { emails: ['not-an-address', 'x'] }, small)).status).toBe(200);
    const me = (await (await call('/v1/me', { apiKey: small })).json()) as {
      accountName: string;
      limits: unknown;
    };
    expect(me.accountName).toBe('small');
    expect(me.limits).toEqual({ requestsPerMinute: 600, quota: 2, used: 2 });
  });
});

describe('verify', () => {
  it('verifies, then answers from the cache until fresh is asked', async () => {
    const first = (await (
      await post('/v1/verify', { email: 'alice@example.test' })
    ).json()) as VerificationResult;
    expect(first).toMatchObject({ status: 'VALID', reason: 'accepted', cached: false });
    const second = (await (
      await post('/v1/verify', { email: 'alice@example.test' })
    ).json()) as VerificationResult;
    expect(second).toMatchObject({ status: 'VALID', cached: true });
    const fresh = (await (
      await post('/v1/verify', { email: 'alice@example.test', fresh: true })
    ).json()) as VerificationResult;
    expect(fresh.cached).toBe(false);
    const missing = (await (
      await post('/v1/verify', { email: 'nobody@example.test' })
    ).json()) as VerificationResult;
    expect(missing).toMatchObject({ status: 'INVALID', reason: 'mailbox_not_found' });
  });

  it('answers a malformed address as a result, and a batch in input order', async () => {
    const result = (await (
      await post('/v1/verify', { email: 'not an address' })
    ).json()) as VerificationResult;
    expect(result).toMatchObject({ status: 'INVALID', reason: 'invalid_syntax' });
    const batch = (await (
      await post('/v1/verify/batch', { emails: ['bob@example.test', '@@', 'zed@example.test'] })
    ).json()) as {
      results: VerificationResult[];
    };
    expect(batch.results.map((item) => [item.address, item.reason])).toEqual([
      ['bob@example.test', 'accepted'],
      ['@@', 'invalid_syntax'],
      ['zed@example.test', 'mailbox_not_found'],
    ]);
  });

  it('refuses bad input with 400/413 naming what is wrong', async () => {
    const notString = await post('/v1/verify', { email: 42 });
    expect(notString.status).toBe(400);
    expect(((await notString.json()) as { error: { message: string } }).error.message).toContain(
      'body.email',
    );
    const tooLong = await post('/v1/verify', { email: `${'a'.repeat(1100)}@example.test` });
    expect(tooLong.status).toBe(400);
    const tooMany = await post('/v1/verify/batch', {
      emails: Array.from({ length: 101 }, (_, i) => `u${i}@example.test`),
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toContain('body.emails');
    const wrongItem = await post('/v1/verify/batch', { emails: ['a@b', 7] });
    expect(((await wrongItem.json()) as { error: { message: string } }).error.message).toContain(
      'body.emails.1',
    );
    const malformed = await call('/v1/verify', {
      method: 'POST',
      body: '{"email": "a@b"',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    const malformedBody = (await malformed.json()) as { error: { code: string; message: string } };
    expect(malformedBody.error.code).toBe('bad_request');
    expect(malformedBody.error.message).toMatch(/JSON/);
    const large = await post('/v1/verify', { email: 'a@b', padding: 'x'.repeat(20_000) });
    expect(large.status).toBe(413);
    expect(((await large.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });
});

describe('jobs', () => {
  it('runs a JSON job: verified once per address, answered once per row in order, NDJSON and CSV', async () => {
    const emails = [
      'alice@example.test',
      'bob@example.test',
      'alice@EXAMPLE.test',
      'ghost@example.test',
      'broken@',
      'bob@example.test',
    ];
    const created = await post('/v1/jobs', { emails });
    expect(created.status).toBe(202);
    const answer = (await created.json()) as { id: string; total: number; rows: number };
    expect(answer).toMatchObject({ total: 4, rows: 6 });
    const jobId = answer.id;
    const job = await waitForJob(jobId);
    expect(job).toMatchObject({
      status: 'completed',
      total: 4,
      rows: 6,
      done: 4,
      counts: { VALID: 2, INVALID: 2, UNKNOWN: 0 },
    });
    const results = (await ndjson(await call(`/v1/jobs/${jobId}/results`))) as Array<
      VerificationResult & { row: number; input: string; columns: unknown }
    >;
    expect(results.map((result) => [result.row, result.input, result.address, result.status])).toEqual([
      [1, 'alice@example.test', 'alice@example.test', 'VALID'],
      [2, 'bob@example.test', 'bob@example.test', 'VALID'],
      [3, 'alice@EXAMPLE.test', 'alice@EXAMPLE.test', 'VALID'],
      [4, 'ghost@example.test', 'ghost@example.test', 'INVALID'],
      [5, 'broken@', 'broken@', 'INVALID'],
      [6, 'bob@example.test', 'bob@example.test', 'VALID'],
    ]);
    expect(results.every((result) => result.columns === null)).toBe(true);
    const invalid = await ndjson(await call(`/v1/jobs/${jobId}/results?status=INVALID`));
    expect(invalid.map((result) => result.address)).toEqual(['ghost@example.test', 'broken@']);
    const csv = await call(`/v1/jobs/${jobId}/results`, { headers: { accept: 'text/csv' } });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]?.startsWith('email,mailprobe_status,mailprobe_reason,mailprobe_normalized')).toBe(true);
    expect(lines).toHaveLength(7);
    expect(lines[3]?.startsWith('alice@EXAMPLE.test,VALID,accepted,alice@example.test,')).toBe(true);
    const byQuery = await call(`/v1/jobs/${jobId}/results?format=csv&status=VALID`);
    expect(byQuery.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await byQuery.text()).trim().split('\r\n')).toHaveLength(5);
    expect((await call(`/v1/jobs/${jobId}/results`, { headers: { accept: 'image/png' } })).status).toBe(406);
    expect((await call(`/v1/jobs/${jobId}/cancel`, { method: 'POST' })).status).toBe(409);
    const deleted = await call(`/v1/jobs/${jobId}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ id: jobId, status: 'completed' });
    expect((await call(`/v1/jobs/${jobId}`)).status).toBe(404);
    expect((await call(`/v1/jobs/${jobId}/results`)).status).toBe(404);
  });

  it("hides a key's jobs from other keys and lists them newest first", async () => {
    expect((await post('/v1/jobs', { emails: ['bob@example.test'] })).status).toBe(202);
    const created = (await (await post('/v1/jobs', { emails: ['alice@example.test'] })).json()) as {
      id: string;
    };
    const other = await prober.createKey('other');
    expect((await call(`/v1/jobs/${created.id}`, { apiKey: other })).status).toBe(404);
    expect((await call(`/v1/jobs/${created.id}/results`, { apiKey: other })).status).toBe(404);
    expect((await call(`/v1/jobs/${created.id}`, { method: 'DELETE', apiKey: other })).status).toBe(404);
    const list = (await (await call('/v1/jobs?limit=1')).json()) as {
      jobs: Array<{ id: string }>;
      nextCursor: string | null;
    };
    expect(list.jobs[0]?.id).toBe(created.id);
    expect(list.nextCursor).not.toBeNull();
    const otherList = (await (await call('/v1/jobs', { apiKey: other })).json()) as { jobs: unknown[] };
    expect(otherList.jobs).toEqual([]);
  });

  it('returns the same job for a repeated Idempotency-Key', async () => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'same-upload-1' };
    const body = JSON.stringify({ emails: ['alice@example.test', 'bob@example.test'] });
    const first = (await (await call('/v1/jobs', { method: 'POST', body, headers })).json()) as {
      id: string;
    };
    const second = (await (await call('/v1/jobs', { method: 'POST', body, headers })).json()) as {
      id: string;
    };
    expect(second.id).toBe(first.id);
  });

  it('takes a CSV upload, re-probes greylisted addresses, and signs the completion webhook', async () => {
    const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
    const hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        // First delivery fails, so the retry is exercised.
        response.statusCode = received.length === 1 ? 500 : 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    try {
      const csv =
        'name,email\nCarol,carol@grey.test\nAlice,alice@example.test\n"Quoted, Name",nope@grey.test\n';
      const created = await call(`/v1/jobs?callbackUrl=${encodeURIComponent(callbackUrl)}`, {
        method: 'POST',
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(created.status).toBe(202);
      const { id, total } = (await created.json()) as { id: string; total: number };
      expect(total).toBe(3);
      const job = await waitForJob(id);
      // nope@ is greylisted first and refused (550) when probed again: the final result replaced the greylisted one.
      // carol@ stays greylisted: the server greylists every new catch-all probe, so retries end as greylisted.
      expect(job).toMatchObject({
        status: 'completed',
        done: 3,
        counts: { VALID: 1, INVALID: 1, UNKNOWN: 1 },
      });
      const results = await ndjson(await call(`/v1/jobs/${id}/results`));
      expect(results).toHaveLength(3);
      expect(results.find((result) => result.address === 'nope@grey.test')).toMatchObject({
        reason: 'mailbox_not_found',
      });
      expect(results.find((result) => result.address === 'carol@grey.test')).toMatchObject({
        reason: 'greylisted',
      });
      const rcpts = (internet.smtp['mx.grey.test']?.sessions ?? []).flatMap((session) =>
        session.commands.filter((command) => command.toUpperCase().startsWith('RCPT TO:<NOPE@')),
      );
      expect(rcpts).toHaveLength(2);

      const deadline = Date.now() + 5000;
      while (received.length < 2 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received).toHaveLength(2);
      const delivery = received[1] as (typeof received)[number];
      expect(delivery.headers['mailprobe-event']).toBe('job.completed');
      const verdict = verifyWebhookSignature(
        keyWebhookSecret,
        delivery.headers['mailprobe-signature'] as string,
        delivery.body,
      );
      expect(verdict.ok).toBe(true);
      const event = JSON.parse(delivery.body) as { id: string; job: { id: string; status: string } };
      expect(event.job).toMatchObject({ id, status: 'completed' });
      expect(JSON.parse((received[0] as (typeof received)[number]).body).id).toBe(event.id);
    } finally {
      await new Promise((resolve) => hook.close(resolve));
    }
  });

  it('refuses malformed CSV with the line, and an empty job', async () => {
    const malformed = await call('/v1/jobs', {
      method: 'POST',
      body: 'email\nalice@example.test\n"unterminated@example.test\nx',
      headers: { 'content-type': 'text/csv' },
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/line \d+/);
    expect((await post('/v1/jobs', { emails: [] })).status).toBe(400);
    const wrongType = await call('/v1/jobs', {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'image/png' },
    });
    expect(wrongType.status).toBe(415);
  });
});
