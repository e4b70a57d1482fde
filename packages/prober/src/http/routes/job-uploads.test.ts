import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeDns, startFakeDns } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../start-prober.js';

// Two real probers: one as deployed (private targets refused), one as in tests of the fake internet (allowed).
let dns: FakeDns;
let guarded: StartedProber;
let open: StartedProber;
let guardedKey: string;
let openKey: string;

const JOB_BODY_LIMIT = 64 * 1024;

interface UploadAnswer {
  id: string;
  total: number;
  error: { code: string; message: string };
}

async function createJob(
  prober: StartedProber,
  key: string,
  body: string,
  options: { query?: string; type?: string } = {},
) {
  const response = await fetch(`${prober.url}/v1/jobs${options.query ?? ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': options.type ?? 'application/json' },
    body,
  });
  return { status: response.status, body: (await response.json()) as UploadAnswer };
}

beforeAll(async () => {
  dns = await startFakeDns({
    zones: { 'internal.test': { a: ['10.0.0.5'] }, 'hook.test': { a: ['127.0.0.1'] } },
  });
  const jobs = { bodyLimitBytes: JOB_BODY_LIMIT, pollIntervalMs: 20 };
  const webhook = { secret: 'a-test-webhook-secret', maxAttempts: 2, initialBackoffMs: 20 };
  guarded = await startProber({
    engine: { dnsServers: [dns.server], allowPrivateTargets: false },
    config: { jobs, webhook } as never,
  });
  open = await startProber({
    engine: { dnsServers: [dns.server], allowPrivateTargets: true },
    config: { jobs, webhook } as never,
  });
  guardedKey = await guarded.createKey('uploads');
  openKey = await open.createKey('uploads');
});

afterAll(async () => {
  await guarded?.close();
  await open?.close();
  await dns?.close();
});

describe('POST /v1/jobs callback URL guard', () => {
  it('refuses private targets in the JSON body and the query string with 400 naming the field', async () => {
    const metadata = await createJob(
      guarded,
      guardedKey,
      JSON.stringify({ emails: ['broken@'], callbackUrl: 'http://169.254.169.254/latest' }),
    );
    expect(metadata.status).toBe(400);
    expect(metadata.body.error).toMatchObject({ code: 'bad_request' });
    expect(metadata.body.error.message).toMatch(/^body\.callbackUrl: 169\.254\.169\.254 is a private/);

    const internal = await createJob(guarded, guardedKey, 'email\nbroken@\n', {
      type: 'text/csv',
      query: `?callbackUrl=${encodeURIComponent('https://internal.test/hook')}`,
    });
    expect(internal.status).toBe(400);
    expect(internal.body.error.message).toMatch(/^querystring\.callbackUrl: internal\.test is a private/);

    const credentials = await createJob(
      guarded,
      guardedKey,
      JSON.stringify({ callbackUrl: 'https://user:pw@hooks.example.com/x', emails: ['broken@'] }),
    );
    expect(credentials.status).toBe(400);
    expect(credentials.body.error.message).toMatch(/^body\.callbackUrl: credentials/);

    const scheme = await createJob(
      guarded,
      guardedKey,
      JSON.stringify({ emails: ['broken@'], callbackUrl: 'gopher://hooks.example.com/' }),
    );
    expect(scheme.status).toBe(400);
    expect(scheme.body.error.message).toMatch(/^body\.callbackUrl/);
  });

  it('delivers to a callback URL that arrives after the addresses (allowed private targets)', async () => {
    const received: IncomingMessage[] = [];
    const hook = createServer((request, response) => {
      received.push(request);
      request.resume();
      response.end();
    });
    hook.listen(0, '127.0.0.1');
    await once(hook, 'listening');
    try {
      const callbackUrl = `http://hook.test:${(hook.address() as AddressInfo).port}/done`;
      const created = await createJob(open, openKey, JSON.stringify({ emails: ['broken@'], callbackUrl }));
      expect(created.status).toBe(202);
      const deadline = Date.now() + 10_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(received).toHaveLength(1);
      expect(received[0]?.headers['mailprobe-event']).toBe('job.completed');
      const job = await fetch(`${open.url}/v1/jobs/${created.body.id}`, {
        headers: { authorization: `Bearer ${openKey}` },
      });
      expect(((await job.json()) as { callbackUrl: string }).callbackUrl).toBe(callbackUrl);
    } finally {
      hook.closeAllConnections();
      await new Promise((resolve) => hook.close(resolve));
    }
  });
});

describe('POST /v1/jobs streamed JSON', () => {
  it('stores a JSON upload batch by batch, de-duplicated, with the contract errors', async () => {
    const emails = Array.from({ length: 300 }, (_, index) => `user${index % 250}@nowhere.test`);
    const created = await createJob(open, openKey, JSON.stringify({ emails }));
    expect(created).toMatchObject({ status: 202, body: { total: 250 } });

    const wrongItem = await createJob(open, openKey, '{"emails":["a@b.test",{"x":1}]}');
    expect(wrongItem.status).toBe(400);
    expect(wrongItem.body.error.message).toBe('body.emails.1: expected a string');
    const malformed = await createJob(open, openKey, '{"emails":["a@b.test"}');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/^malformed JSON at position 21/);
    const empty = await createJob(open, openKey, '{"emails":[]}');
    expect(empty.status).toBe(400);
    const large = await createJob(
      open,
      openKey,
      JSON.stringify({ emails: Array.from({ length: 5000 }, (_, index) => `u${index}@nowhere.test`) }),
    );
    expect(large.status).toBe(413);
    expect(large.body.error.code).toBe('payload_too_large');
  });

  it('keeps whole-body JSON parsing on the other routes', async () => {
    const response = await fetch(`${open.url}/v1/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${openKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'broken@' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { reason: string }).reason).toBe('invalid_syntax');
  });
});
