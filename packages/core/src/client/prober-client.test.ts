import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BATCH_SIZE, MEDIA_TYPES } from '../contract/index.js';
import { type ContractServer, startContractServer } from './__fixtures__/contract-server.js';
import { ProberApiError } from './prober-api-error.js';
import { createProberClient, type ProberClientOptions } from './prober-client.js';

let server: ContractServer;

beforeEach(async () => {
  server = await startContractServer();
});
afterEach(async () => {
  await server.close();
});

function client(options: Partial<ProberClientOptions> = {}) {
  return createProberClient({
    baseUrl: server.url,
    apiKey: server.apiKey,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<ProberApiError> {
  try {
    await promise;
  } catch (error) {
    if (ProberApiError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function gapsMs(): number[] {
  return server.requests
    .slice(1)
    .map((request, index) => request.receivedAt - (server.requests[index]?.receivedAt ?? 0));
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('createProberClient: happy paths', () => {
  it('me() sends the bearer key and user agent and returns the typed account', async () => {
    const me = await client({ userAgent: 'tests/1.0' }).me();
    expect(me).toEqual({
      accountName: 'test account',
      keyId: 'key_1',
      limits: { requestsPerMinute: 600, quota: null, used: 1 },
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(server.requests[0]?.headers['user-agent']).toBe('tests/1.0');
    expect(server.requests[0]?.headers.accept).toBe(MEDIA_TYPES.json);
  });

  it('verify() posts the address and the fresh flag', async () => {
    const result = await client().verify('bad.person@Example.com', { fresh: true });
    expect(result).toMatchObject({ status: 'INVALID', reason: 'mailbox_not_found', domain: 'example.com' });
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      email: 'bad.person@Example.com',
      fresh: true,
    });
  });

  it('verifyBatch() splits 250 addresses into 100 + 100 + 50 sequential calls and keeps input order', async () => {
    const emails = Array.from(
      { length: 250 },
      (_, index) => `${index % 7 === 0 ? 'bad' : 'user'}${index}@example.com`,
    );
    const results = await client().verifyBatch(emails);
    expect(results.map((result) => result.address)).toEqual(emails);
    expect(results[7]?.status).toBe('INVALID');
    expect(server.requests.map((request) => JSON.parse(request.body).emails.length)).toEqual([
      MAX_BATCH_SIZE,
      MAX_BATCH_SIZE,
      50,
    ]);
  });

  it('verifyBatch() of an empty list makes no request', async () => {
    expect(await client().verifyBatch([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('keeps a path prefix of baseUrl and uses the injected fetch', async () => {
    const seen: string[] = [];
    const prefixed = client({
      baseUrl: `${server.url}/api/`,
      fetch: (input, init) => {
        const url = String(input);
        seen.push(url);
        return fetch(url.replace('/api/', '/'), init);
      },
    });
    await prefixed.me();
    expect(seen).toEqual([`${server.url}/api/v1/me`]);
  });
});

describe('retries', () => {
  it('waits for Retry-After (seconds) on 429, then succeeds', async () => {
    server.script('me', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'rate_limited', message: 'slow down' } },
    });
    await client().me();
    expect(server.requests).toHaveLength(2);
    expect(gapsMs()[0]).toBeGreaterThanOrEqual(950);
  });

  it('waits for Retry-After given as an HTTP date on 503', async () => {
    const retryAt = new Date(Date.now() + 2000).toUTCString();
    server.script('me', {
      status: 503,
      headers: { 'retry-after': retryAt },
      body: { error: { code: 'unavailable', message: 'busy' } },
    });
    await client().me();
    expect(server.requests).toHaveLength(2);
    // The date has one-second resolution, so the wait is between 1 and 2 seconds.
    expect(gapsMs()[0]).toBeGreaterThanOrEqual(950);
  });

  it('retries 500 with backoff and succeeds', async () => {
    server.script('verify', { status: 500, body: { error: { code: 'internal', message: 'oops' } } });
    const result = await client().verify('user@example.com');
    expect(result.status).toBe('VALID');
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after maxRetries with the last error', async () => {
    const boom = { status: 500, body: { error: { code: 'internal', message: 'still broken' } } };
    server.script('me', boom, boom, boom, boom, boom);
    const error = await failure(client({ maxRetries: 3 }).me());
    expect(server.requests).toHaveLength(4);
    expect(error).toMatchObject({
      status: 500,
      code: 'internal',
      isRetryable: true,
      message: 'still broken',
    });
  });

  it('maxRetries 0 sends exactly once', async () => {
    server.script('me', {
      status: 503,
      headers: { 'retry-after': '0' },
      body: { error: { code: 'unavailable', message: 'x' } },
    });
    const error = await failure(client({ maxRetries: 0 }).me());
    expect(error).toMatchObject({ status: 503, code: 'unavailable', retryAfterMs: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it('never retries other 4xx', async () => {
    const unauthorized = await failure(client({ apiKey: 'wrong' }).me());
    expect(unauthorized).toMatchObject({ status: 401, code: 'unauthorized', isRetryable: false });
    const missing = await failure(client().getJob('nope'));
    expect(missing).toMatchObject({ status: 404, code: 'not_found', isRetryable: false });
    const tooLong = await failure(client().verify(`${'a'.repeat(2000)}@example.com`));
    expect(tooLong).toMatchObject({ status: 400, code: 'bad_request' });
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry quota_exceeded although it is a 429', async () => {
    server.script('me', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'quota_exceeded', message: 'no more' } },
    });
    const error = await failure(client().me());
    expect(error).toMatchObject({
      status: 429,
      code: 'quota_exceeded',
      isRetryable: false,
      retryAfterMs: 1000,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('raises at once when Retry-After exceeds maxRetryAfterMs', async () => {
    server.script('me', {
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { error: { code: 'rate_limited', message: 'later' } },
    });
    const error = await failure(client({ maxRetryAfterMs: 5_000 }).me());
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 3_600_000, isRetryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it('maps a proxy 502 HTML page to a retryable unavailable error', async () => {
    server.script(
      'me',
      { status: 502, body: '<html>Bad Gateway</html>' },
      { status: 502, body: '<html>Bad Gateway</html>' },
    );
    const error = await failure(client({ maxRetries: 1 }).me());
    expect(error).toMatchObject({
      status: 502,
      code: 'unavailable',
      isRetryable: true,
      message: 'HTTP 502 Bad Gateway',
    });
    expect(server.requests).toHaveLength(2);
  });

  it('treats an undefined status as a non-retryable http_error', async () => {
    server.script('me', { status: 418, body: 'teapot' });
    expect(await failure(client().me())).toMatchObject({
      status: 418,
      code: 'http_error',
      isRetryable: false,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a dropped connection, and reports network_error with status 0 when it keeps dropping', async () => {
    server.script('me', { drop: true });
    await client().me();
    expect(server.requests).toHaveLength(2);

    server.script('me', { drop: true }, { drop: true });
    const error = await failure(client({ maxRetries: 1 }).me());
    expect(error).toMatchObject({ status: 0, code: 'network_error', isRetryable: true });
    expect(server.requests).toHaveLength(4);
  });

  it('a refused connection is a network_error', async () => {
    const url = server.url;
    await server.close();
    const error = await failure(createProberClient({ baseUrl: url, apiKey: 'k', maxRetries: 0 }).me());
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
    server = await startContractServer();
  });
});

describe('timeouts and aborts', () => {
  it('times out a slow answer with code timeout, and retries it', async () => {
    server.script('me', { delayMs: 1000 });
    const error = await failure(client({ timeoutMs: 100, maxRetries: 0 }).me());
    expect(error).toMatchObject({ status: 0, code: 'timeout', isRetryable: true });

    server.script('me', { delayMs: 1000 });
    const me = await client({ timeoutMs: 300, maxRetries: 1 }).me();
    expect(me.keyId).toBe('key_1');
  });

  it('aborts during a Retry-After wait without sending again', async () => {
    server.script('me', {
      status: 429,
      headers: { 'retry-after': '10' },
      body: { error: { code: 'rate_limited', message: 'wait' } },
    });
    const controller = new AbortController();
    const pending = failure(client().me({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    const error = await pending;
    expect(error).toMatchObject({ status: 0, code: 'aborted', isRetryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('aborts a request in flight (not reported as a timeout)', async () => {
    server.script('me', { delayMs: 5000 });
    const controller = new AbortController();
    const pending = failure(client().me({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('user cancelled')), 100);
    const error = await pending;
    expect(error).toMatchObject({ status: 0, code: 'aborted' });
    expect(error.cause).toEqual(new Error('user cancelled'));
  });

  it('sends nothing when the signal is already aborted', async () => {
    const error = await failure(client().verify('user@example.com', { signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(server.requests).toHaveLength(0);
  });

  it('stops a batch between chunks when aborted', async () => {
    const controller = new AbortController();
    server.script('verifyBatch', {
      status: 503,
      headers: { 'retry-after': '5' },
      body: { error: { code: 'unavailable', message: 'x' } },
    });
    const pending = failure(
      client().verifyBatch(
        Array.from({ length: 150 }, (_, index) => `u${index}@example.com`),
        { signal: controller.signal },
      ),
    );
    setTimeout(() => controller.abort(), 100);
    expect((await pending).code).toBe('aborted');
    expect(server.requests).toHaveLength(1);
  });
});

describe('invalid answers', () => {
  it('reports a non-JSON body clearly and does not retry', async () => {
    server.script('verify', { status: 200, body: 'hello, not json' });
    const error = await failure(client().verify('user@example.com'));
    expect(error).toMatchObject({ status: 200, code: 'invalid_response', isRetryable: false });
    expect(error.message).toContain('not JSON');
    expect(server.requests).toHaveLength(1);
  });

  it('names the field when JSON does not match the contract', async () => {
    server.script('me', { status: 200, body: { accountName: 'x', keyId: 5, limits: {} } });
    const error = await failure(client().me());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('keyId');
  });

  it('refuses a batch answer with the wrong number of results', async () => {
    server.script('verifyBatch', { status: 200, body: { results: [] } });
    const error = await failure(client().verifyBatch(['a@example.com']));
    expect(error).toMatchObject({ code: 'invalid_response' });
    expect(error.message).toContain('0 results for 1 addresses');
  });
});

describe('jobs', () => {
  it('creates a job from JSON with an Idempotency-Key that stays the same across retries', async () => {
    server.script('jobs', {
      status: 503,
      headers: { 'retry-after': '0' },
      body: { error: { code: 'unavailable', message: 'x' } },
    });
    const created = await client().createJob({
      emails: ['a@example.com', 'bad@example.com'],
      callbackUrl: 'https://hooks.example.com/x',
    });
    expect(created).toEqual({ id: 'job_1', status: 'completed', total: 2 });
    const keys = server.requests.map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(server.jobs.get('job_1')?.callbackUrl).toBe('https://hooks.example.com/x');
  });

  it('the same Idempotency-Key gives back the same job', async () => {
    const first = await client().createJob({ emails: ['a@example.com'] }, { idempotencyKey: 'k-1' });
    const second = await client().createJob({ emails: ['a@example.com'] }, { idempotencyKey: 'k-1' });
    expect(second.id).toBe(first.id);
    expect(server.jobs.size).toBe(1);
  });

  it('uploads CSV text, with callbackUrl in the query', async () => {
    const csv = 'name,E-Mail\nAnn,ann@example.com\nBob,bad.bob@example.com\n';
    const created = await client().createJob({ csv, callbackUrl: 'https://hooks.example.com/y' });
    expect(created.total).toBe(2);
    expect(server.requests[0]?.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(server.requests[0]?.query).toEqual({ callbackUrl: 'https://hooks.example.com/y' });
    const job = await client().getJob(created.id);
    expect(job).toMatchObject({
      total: 2,
      done: 2,
      counts: { VALID: 1, INVALID: 1, UNKNOWN: 0 },
      callbackUrl: 'https://hooks.example.com/y',
    });
  });

  it('streams a CSV upload from an async iterable and never sends it twice', async () => {
    async function* rows() {
      yield 'email\n';
      for (let index = 0; index < 1000; index++) yield new TextEncoder().encode(`user${index}@example.com\n`);
    }
    const created = await client().createJob({ csv: rows() });
    expect(created.total).toBe(1000);

    server.script('jobs', { status: 500, body: { error: { code: 'internal', message: 'x' } } });
    const error = await failure(client().createJob({ csv: rows() }));
    expect(error.code).toBe('internal');
    expect(server.requests).toHaveLength(2);
  });

  it('lists jobs newest first with a status filter and cursor pagination', async () => {
    for (let index = 0; index < 5; index++) await client().createJob({ emails: [`u${index}@example.com`] });
    const cancelled = server.jobs.get('job_2');
    if (cancelled) cancelled.status = 'cancelled';
    const first = await client().listJobs({ limit: 2 });
    expect(first.jobs.map((job) => job.id)).toEqual(['job_5', 'job_4']);
    const second = await client().listJobs({ limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.jobs.map((job) => job.id)).toEqual(['job_3', 'job_2']);
    const filtered = await client().listJobs({ status: 'cancelled' });
    expect(filtered).toMatchObject({ jobs: [{ id: 'job_2' }], nextCursor: null });
    expect(server.requests.at(-1)?.query).toEqual({ status: 'cancelled' });
  });

  it('cancels a running job and refuses to cancel a completed one', async () => {
    const { id } = await client().createJob({ emails: ['a@example.com'] });
    const conflict = await failure(client().cancelJob(id));
    expect(conflict).toMatchObject({ status: 409, code: 'conflict', isRetryable: false });
    const running = server.jobs.get(id);
    if (running) running.status = 'running';
    const cancelled = await client().cancelJob(id);
    expect(cancelled).toMatchObject({ id, status: 'cancelled' });
    expect(cancelled.completedAt).not.toBeNull();
  });
});

describe('fresh probes', () => {
  it('sends `fresh: true` on batch calls when asked, and nothing otherwise', async () => {
    await client().verifyBatch(['a@example.com'], { fresh: true });
    expect(JSON.parse(server.requests.at(-1)?.body ?? '{}')).toEqual({
      emails: ['a@example.com'],
      fresh: true,
    });
    await client().verifyBatch(['a@example.com']);
    expect(JSON.parse(server.requests.at(-1)?.body ?? '{}')).toEqual({ emails: ['a@example.com'] });
  });
});

describe('an older prober', () => {
  // A job exactly as a 0.1.0 prober answers it: none of the fields added since.
  const oldJob = {
    id: 'job_old',
    status: 'running',
    total: 4,
    rows: 6,
    done: 3,
    counts: { VALID: 1, INVALID: 1, UNKNOWN: 1 },
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:05.000Z',
    completedAt: null,
    callbackUrl: null,
    error: null,
  };

  it("reads a 0.1.0 prober's job, its list and its cancel answer, with the documented defaults", async () => {
    server.script('job', { status: 200, body: oldJob });
    server.script('jobs', { status: 200, body: { jobs: [oldJob], nextCursor: null } });
    server.script('jobCancel', { status: 200, body: { ...oldJob, status: 'cancelled' } });
    const expected = {
      ...oldJob,
      fileName: null,
      column: null,
      addressCounts: { deliverable: 1, undeliverable: 1, risky: 0, unknown: 1 },
      // 6 rows of 4 addresses: 2 repeat an earlier row; 3 addresses have a result, so 1 row waits.
      rowCounts: {
        deliverable: 1,
        undeliverable: 1,
        risky: 0,
        unknown: 1,
        skipped: 0,
        duplicate: 2,
        pending: 1,
      },
      progress: { waiting: 0, nextRetryAt: null, etaSeconds: null, ratePerSecond: null },
    };
    expect(await client().getJob('job_old')).toEqual(expected);
    expect(await client().listJobs()).toEqual({ jobs: [expected], nextCursor: null });
    expect(await client().cancelJob('job_old')).toEqual({ ...expected, status: 'cancelled' });
  });

  it('reads an answer without rows as one row per address, and keeps what a newer prober sends', async () => {
    const { rows: _rows, ...withoutRows } = oldJob;
    server.script('job', { status: 200, body: withoutRows });
    expect(await client().getJob('job_old')).toMatchObject({
      rows: 4,
      rowCounts: { duplicate: 0, pending: 1 },
    });
    const { id } = await client().createJob({ emails: ['a@example.com'] });
    const current = server.jobs.get(id);
    expect(await client().getJob(id)).toEqual({ ...current, emails: undefined });
  });

  it('still refuses what no prober sends: a missing verdict count or an unknown status', async () => {
    server.script('job', { status: 200, body: { ...oldJob, counts: { VALID: 1, INVALID: 1 } } });
    expect(await failure(client().getJob('job_old'))).toMatchObject({ code: 'invalid_response' });
    server.script('job', { status: 200, body: { ...oldJob, status: 'paused' } });
    expect(await failure(client().getJob('job_old'))).toMatchObject({ code: 'invalid_response' });
  });
});

describe('finishJob', () => {
  it('posts to /v1/jobs/:id/finish and answers the completed job; an ended job is a conflict', async () => {
    const { id } = await client().createJob({ emails: ['a@example.com'] });
    const running = server.jobs.get(id);
    if (running) running.status = 'running';
    const finished = await client().finishJob(id);
    expect(finished).toMatchObject({ id, status: 'completed' });
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: `/v1/jobs/${id}/finish` });
    const cancelled = server.jobs.get(id);
    if (cancelled) cancelled.status = 'cancelled';
    expect(await failure(client().finishJob(id))).toMatchObject({ status: 409, code: 'conflict' });
  });
});

describe('jobResults streaming', () => {
  it('yields the first result before the body ends, then all 10,000 in order', async () => {
    const { id } = await client().createJob({ emails: ['a@example.com'] });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.streamResults({
      lines: 10_000,
      linesPerChunk: 100,
      chunkIntervalMs: 1,
      holdAfterFirstChunk: held,
    });
    const iterator = client().jobResults(id)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.address).toBe('a@example.com');
    // The server is still holding the rest of the body: nothing was buffered to the end.
    expect(server.streams[0]).toMatchObject({ linesWritten: 100, ended: false });
    release();
    let count = 1;
    let last = first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      count += 1;
      last = next.value;
    }
    expect(count).toBe(10_000);
    expect(last?.address).toBe('user9999@example.com');
    expect(server.streams[0]?.ended).toBe(true);
  });

  it('closes the connection when the consumer stops early', async () => {
    const { id } = await client().createJob({ emails: ['a@example.com'] });
    server.streamResults({ lines: 100_000, linesPerChunk: 50, chunkIntervalMs: 5 });
    let seen = 0;
    for await (const _ of client().jobResults(id)) {
      seen += 1;
      if (seen === 10) break;
    }
    await expect.poll(() => server.streams[0]?.closedEarly).toBe(true);
    expect(server.streams[0]?.ended).toBe(false);
  });

  it('applies timeoutMs to silences, not to the whole stream', async () => {
    const { id } = await client().createJob({ emails: ['a@example.com'] });
    server.streamResults({ lines: 400, linesPerChunk: 20, chunkIntervalMs: 30 });
    const all = await collect(client({ timeoutMs: 250 }).jobResults(id));
    expect(all).toHaveLength(400);

    server.streamResults({ lines: 40, linesPerChunk: 20, chunkIntervalMs: 1000 });
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const result of client({ timeoutMs: 200 }).jobResults(id)) seen.push(result.input);
      })(),
    );
    expect(error).toMatchObject({ code: 'timeout', status: 0 });
    expect(seen).toHaveLength(20);
  });

  it('aborts mid-stream', async () => {
    const { id } = await client().createJob({ emails: ['a@example.com'] });
    server.streamResults({ lines: 1000, linesPerChunk: 10, chunkIntervalMs: 50 });
    const controller = new AbortController();
    let seen = 0;
    const error = await failure(
      (async () => {
        for await (const _ of client().jobResults(id, { signal: controller.signal })) {
          seen += 1;
          if (seen === 15) controller.abort();
        }
      })(),
    );
    expect(error.code).toBe('aborted');
    expect(seen).toBeLessThan(1000);
  });

  it('reports a malformed line with its number', async () => {
    const good = JSON.stringify({
      ...(await client().verify('a@example.com')),
      row: 1,
      input: 'a@example.com',
      columns: null,
    });
    server.script('jobResults', {
      headers: { 'content-type': MEDIA_TYPES.ndjson },
      body: `${good}\r\n\n${good}\n{"address":1}\n`,
    });
    const seen: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const result of client().jobResults('job_x')) seen.push(result);
      })(),
    );
    expect(seen).toHaveLength(2);
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 });
    expect(error.message).toContain('line 3');
  });

  it('refuses a results answer that is not NDJSON', async () => {
    server.script('jobResults', { status: 200, body: { results: [] } });
    const error = await failure(collect(client().jobResults('job_x')));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('application/x-ndjson');
  });

  it('retries opening the stream on 503', async () => {
    const { id } = await client().createJob({ emails: ['a@example.com', 'b@example.com'] });
    server.script('jobResults', {
      status: 503,
      headers: { 'retry-after': '0' },
      body: { error: { code: 'unavailable', message: 'x' } },
    });
    const results = await collect(client().jobResults(id));
    expect(results.map((result) => result.input)).toEqual(['a@example.com', 'b@example.com']);
  });
});

describe('options and errors', () => {
  it('refuses unusable options', () => {
    expect(() => createProberClient({ baseUrl: 'ftp://x', apiKey: 'k' })).toThrow(TypeError);
    expect(() => createProberClient({ baseUrl: 'http://x', apiKey: 'k\r\nX-Evil: 1' })).toThrow(/apiKey/);
    expect(() => createProberClient({ baseUrl: 'http://x', apiKey: '' })).toThrow(/apiKey/);
    expect(() => createProberClient({ baseUrl: 'http://x', apiKey: 'k', maxRetries: -1 })).toThrow(
      /maxRetries/,
    );
  });

  it('ProberApiError.isInstance recognises its errors only', async () => {
    const error = await failure(client({ apiKey: 'nope' }).me());
    expect(ProberApiError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProberApiError');
    expect(error.message).not.toContain('nope');
    expect(ProberApiError.isInstance(new Error('x'))).toBe(false);
    expect(ProberApiError.isInstance({ code: 'timeout' })).toBe(false);
  });
});
