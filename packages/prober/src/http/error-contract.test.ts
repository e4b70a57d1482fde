import { connect } from 'node:net';
import { API_ERRORS } from '@mailprobe/core';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../start-prober.js';

// The error contract of issue #12 item 8 and the body bound of item 9, over real HTTP on loopback.

let internet: FakeInternet;
let prober: StartedProber;
let key: string;

const BODY_LIMIT = 16 * 1024;
const JOB_BODY_LIMIT = 64 * 1024;

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'example.test': { mx: [{ host: 'mx.example.test', smtp: { mailboxes: ['alice@example.test'] } }] },
    },
  });
  prober = await startProber({
    engine: internet.engineOptions,
    config: {
      bodyLimitBytes: BODY_LIMIT,
      jobs: { bodyLimitBytes: JOB_BODY_LIMIT, pollIntervalMs: 20 },
      limits: { requestsPerMinute: 10_000 },
    },
  });
  key = await prober.createKey('errors');
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
});

const auth = () => ({ authorization: `Bearer ${key}` });

/** Asserts the documented error shape, the code's status and an X-Request-Id; returns the message. */
async function expectApiError(response: Response, code: keyof typeof API_ERRORS): Promise<string> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect({ status: response.status, body }).toEqual({
    status: API_ERRORS[code].status,
    body: { error: { code, message: expect.any(String) } },
  });
  expect(response.headers.get('x-request-id')).toMatch(/^[\w.:-]+$/);
  expect(response.headers.get('content-type')).toContain('application/json');
  return body.error.message;
}

/** Writes raw bytes on a fresh connection and returns everything read until the server closes it (or 5 s). */
function rawExchange(
  text: string,
  { keepOpen = false } = {},
): Promise<{ answer: string; closedByServer: boolean }> {
  const { port } = new URL(prober.url);
  return new Promise((resolve) => {
    let answer = '';
    let closedByServer = false;
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(text);
      if (!keepOpen) socket.end();
    });
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('end', () => {
      closedByServer = true;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closedByServer });
    });
  });
}

function parseRawAnswer(answer: string): { status: number; headers: string; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) };
}

describe('framework errors in the contract shape', () => {
  it('answers a bad % escape with 400 bad_request', async () => {
    await expectApiError(await fetch(`${prober.url}/v1/jobs/%zz`, { headers: auth() }), 'bad_request');
  });

  it('answers an over-long path parameter with 414 uri_too_long', async () => {
    const response = await fetch(`${prober.url}/v1/jobs/${'a'.repeat(5000)}`, { headers: auth() });
    const message = await expectApiError(response, 'uri_too_long');
    expect(message.length).toBeLessThan(200);
  });

  it('answers bytes that are not HTTP, and oversized headers, in the shape with X-Request-Id', async () => {
    const garbage = parseRawAnswer((await rawExchange('GARBAGE\r\n\r\n')).answer);
    expect(garbage.status).toBe(400);
    expect(garbage.body).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    expect(garbage.headers).toMatch(/x-request-id: [\w-]+/);
    const huge = `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const tooLarge = parseRawAnswer((await rawExchange(huge)).answer);
    expect(tooLarge.status).toBe(431);
    expect(tooLarge.body).toEqual({ error: { code: 'headers_too_large', message: expect.any(String) } });
  });
});

describe('media types and bodies', () => {
  it('answers text/plain with 415 on every body route', async () => {
    for (const path of ['/v1/verify', '/v1/verify/batch', '/v1/jobs']) {
      const response = await fetch(`${prober.url}${path}`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'text/plain' },
        body: 'someone@example.test',
      });
      await expectApiError(response, 'unsupported_media_type');
    }
  });

  it('refuses invalid UTF-8 in /v1/verify like /v1/jobs does, instead of verifying U+FFFD', async () => {
    const invalid = Buffer.concat([
      Buffer.from('{"email":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('@example.test"}'),
    ]);
    for (const path of ['/v1/verify', '/v1/verify/batch']) {
      const body =
        path === '/v1/verify'
          ? invalid
          : Buffer.concat([
              Buffer.from('{"emails":["'),
              Buffer.from([0xc3]),
              Buffer.from('x@example.test"]}'),
            ]);
      const response = await fetch(`${prober.url}${path}`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body,
      });
      expect(await expectApiError(response, 'bad_request')).toMatch(/UTF-8/);
    }
    const job = await fetch(`${prober.url}/v1/jobs`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: Buffer.concat([
        Buffer.from('{"emails":["'),
        Buffer.from([0xff]),
        Buffer.from('@example.test"]}'),
      ]),
    });
    await expectApiError(job, 'bad_request');
    // Valid UTF-8 still works.
    const ok = await fetch(`${prober.url}/v1/verify`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ email: 'ünï@example.test' }),
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a body whose Content-Length is over the limit before reading it, and closes the connection', async () => {
    for (const [path, limit] of [
      ['/v1/verify', BODY_LIMIT],
      ['/v1/jobs', JOB_BODY_LIMIT],
    ] as const) {
      // Only the head is sent: an answer proves nothing waited for the (never sent) body.
      const head =
        `POST ${path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${key}\r\n` +
        `content-type: application/json\r\ncontent-length: ${limit + 1}\r\n\r\n{"email`;
      const { answer, closedByServer } = await rawExchange(head, { keepOpen: true });
      const parsed = parseRawAnswer(answer);
      expect(parsed.status).toBe(413);
      expect(parsed.body).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });
      expect(parsed.headers).toContain('connection: close');
      expect(closedByServer).toBe(true);
    }
  });
});

describe('negotiation, idempotency and quota', () => {
  async function createJob(body: unknown, idempotencyKey?: string): Promise<Response> {
    return fetch(`${prober.url}/v1/jobs`, {
      method: 'POST',
      headers: {
        ...auth(),
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  it('honours q-values: text/csv;q=0 never gets CSV', async () => {
    const created = (await (await createJob({ emails: ['alice@example.test'] })).json()) as { id: string };
    const results = (accept: string) =>
      fetch(`${prober.url}/v1/jobs/${created.id}/results`, { headers: { ...auth(), accept } });
    await expectApiError(await results('text/csv;q=0'), 'not_acceptable');
    const ndjson = await results('text/csv;q=0, */*;q=0.1');
    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    await ndjson.text();
    const csv = await results('application/x-ndjson;q=0.5, text/csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    await csv.text();
  });

  it('answers a reused Idempotency-Key with a different body with 422, the same body with the same job', async () => {
    const first = await createJob({ emails: ['alice@example.test'] }, 'idem-1');
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    const again = await createJob({ emails: ['alice@example.test'] }, 'idem-1');
    expect(again.status).toBe(202);
    expect(((await again.json()) as { id: string }).id).toBe(id);
    const different = await createJob({ emails: ['bob@example.test'] }, 'idem-1');
    expect(await expectApiError(different, 'idempotency_conflict')).toMatch(/Idempotency-Key/);
  });

  it('sends no Retry-After with quota_exceeded (quotas do not reset)', async () => {
    const spent = await prober.createKey('spent', { quota: 0 });
    const response = await fetch(`${prober.url}/v1/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${spent}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.test' }),
    });
    await expectApiError(response, 'quota_exceeded');
    expect(response.headers.get('retry-after')).toBeNull();
  });
});
