// @mailprobe/core's client against the real prober on the fake internet: every method, retries, errors and the
// completion webhook, end to end. The contract server in core's own tests stands in for the prober there; this
// file checks that the two really agree.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  API_HEADERS,
  ApiErrorSchema,
  createProberClient,
  FINAL_JOB_STATUSES,
  isVerifiedJobRow,
  type Job,
  JobCompletedEventSchema,
  MAX_BATCH_SIZE,
  ProberApiError,
  type ProberClient,
  type ProberClientOptions,
  type VerificationResult,
  verifyWebhookSignature,
} from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../../packages/prober/src/index.js';
import { type FakeInternet, startFakeInternet } from '../index.js';

const WEBHOOK_SECRET = 'core-client-e2e-webhook-secret';
const BATCH_SIZE = 250;
const STREAMED_ROWS = 300;
const SLOW_ADDRESSES = 60;
/** Round trip of the slow MX: long enough that a job on it is still running when it is cancelled. */
const SLOW_REPLY_DELAY_MS = 800;
const POLL_INTERVAL_MS = 50;
const WAIT_TIMEOUT_MS = 25_000;

/** `batch.test` mailboxes: every address whose index is not a multiple of 3. */
const batchAddress = (index: number) => `user${index}@batch.test`;
const batchExists = (index: number) => index % 3 !== 0;
/** Every 50th batch entry (from 7) is malformed: a result, not a request failure. */
const batchMalformed = (index: number) => index % 50 === 7;
/** `jobs.test` rows of the streamed CSV: even rows exist. */
const rowAddress = (index: number) => `row${index}@jobs.test`;

let internet: FakeInternet;
let prober: StartedProber;
let key: string;
/** The key's own webhook signing secret (per-key secrets, issue #12 item 5). */
let keyWebhookSecret: string;
let client: ProberClient;
let otherKey: string;
let hooks: Server;
let hookUrl: string;
const deliveries: Array<{
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> = [];
/** Ids of jobs seen completed, for the listJobs checks. */
const completedJobIds: string[] = [];
let cancelledJobId = '';

type SentRequest = { url: string; headers: Headers; body: string | null };
type Send = (attempt: number, ...request: Parameters<typeof globalThis.fetch>) => Promise<Response>;

/**
 * A fetch that records what the client sends. `send` may replace how an attempt goes out (e.g. break its
 * upload); `interfere` may replace its answer (e.g. lose it after the server acted).
 */
function recordingFetch(
  interfere?: (attempt: number, response: Response) => Promise<Response>,
  send: Send = (_attempt, input, init) => globalThis.fetch(input, init),
): { fetch: typeof globalThis.fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const recording: typeof globalThis.fetch = async (input, init) => {
    const body = typeof init?.body === 'string' ? init.body : null;
    sent.push({ url: String(input), headers: new Headers(init?.headers), body });
    const response = await send(sent.length, input, init);
    return interfere ? interfere(sent.length, response) : response;
  };
  return { fetch: recording, sent };
}

/** A key is `mpk_<12 hex id>_<secret>`; the secret (base64url) may itself hold `_`. */
function keyParts(apiKey: string): { id: string; secret: string } {
  const match = /^mpk_([0-9a-f]{12})_(.+)$/.exec(apiKey);
  if (!match) throw new Error('not an API key');
  return { id: match[1] as string, secret: match[2] as string };
}

function clientFor(apiKey: string, options: Partial<ProberClientOptions> = {}): ProberClient {
  return createProberClient({
    baseUrl: prober.url,
    apiKey,
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

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null> | T | null): Promise<T> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${WAIT_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

async function finishedJob(id: string, through: ProberClient = client): Promise<Job> {
  return waitFor(`job ${id} final`, async () => {
    const job = await through.getJob(id);
    return FINAL_JOB_STATUSES.includes(job.status) ? job : null;
  });
}

function sessionsOf(mx: string): number {
  const server = internet.smtp[mx];
  if (!server) throw new Error(`no fake MX ${mx}`);
  return server.sessions.length;
}

function byAddress(results: VerificationResult[]): Map<string, VerificationResult> {
  return new Map(results.map((result) => [result.address, result]));
}

beforeAll(async () => {
  const rowMailboxes = Array.from({ length: STREAMED_ROWS }, (_, index) => index)
    .filter((index) => index % 2 === 0)
    .map(rowAddress);
  internet = await startFakeInternet({
    domains: {
      'valid.test': { mx: [{ host: 'mx.valid.test', smtp: { mailboxes: ['alice@valid.test'] } }] },
      'catchall.test': { mx: [{ host: 'mx.catchall.test', smtp: { catchAll: true } }] },
      'batch.test': {
        mx: [
          {
            host: 'mx.batch.test',
            smtp: {
              mailboxes: Array.from({ length: BATCH_SIZE }, (_, index) => index)
                .filter(batchExists)
                .map(batchAddress),
            },
          },
        ],
      },
      'jobs.test': {
        mx: [
          {
            host: 'mx.jobs.test',
            smtp: { mailboxes: ['alice@jobs.test', 'bob@jobs.test', ...rowMailboxes] },
          },
        ],
      },
      'slow.test': { mx: [{ host: 'mx.slow.test', smtp: { replyDelayMs: SLOW_REPLY_DELAY_MS } }] },
    },
  });
  prober = await startProber({
    // allowPrivateTargets (from the fake internet's engine options) also lets the loopback webhook receiver in.
    engine: {
      ...internet.engineOptions,
      maxConnectionsPerMinute: 10_000,
      maxSessionsPerMx: 4,
      timeouts: { totalMs: 20_000 },
    },
    config: {
      jobs: { concurrency: 2, chunkSize: 10, pollIntervalMs: 20 },
      webhook: { secret: WEBHOOK_SECRET, timeoutMs: 2000, maxAttempts: 3, initialBackoffMs: 50 },
    },
  });
  ({ key, webhookSecret: keyWebhookSecret } = await prober.createKeyWithWebhookSecret('core client e2e', {
    requestsPerMinute: 10_000,
    quota: 100_000,
  }));
  otherKey = await prober.createKey('someone else');
  client = clientFor(key);

  hooks = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
  if (hooks) await new Promise((resolve) => hooks.close(resolve));
});

describe('core client ↔ prober: account and single verifications', () => {
  it('me() answers the key’s name, id and limits', async () => {
    const me = await client.me();
    expect(me.accountName).toBe('core client e2e');
    // The id is public, the secret never comes back.
    expect(me.keyId).toBe(keyParts(key).id);
    expect(me.limits).toMatchObject({ requestsPerMinute: 10_000, quota: 100_000 });
    expect(JSON.stringify(me)).not.toContain(keyParts(key).secret);
  });

  it('verify() reports VALID, INVALID mailbox_not_found, UNKNOWN catch_all and invalid_syntax', async () => {
    expect(await client.verify('alice@valid.test')).toMatchObject({
      address: 'alice@valid.test',
      status: 'VALID',
      reason: 'accepted',
      cached: false,
    });
    expect(await client.verify('nobody@valid.test')).toMatchObject({
      status: 'INVALID',
      reason: 'mailbox_not_found',
      smtp: { replyCode: 550, enhancedCode: '5.1.1' },
    });
    const catchAll = await client.verify('whoever@catchall.test');
    expect(catchAll).toMatchObject({ status: 'UNKNOWN', reason: 'catch_all' });
    expect(catchAll.flags.catchAll).toBe(true);

    const queriesBefore = internet.dns.queries.length;
    expect(await client.verify('not an address')).toMatchObject({
      address: 'not an address',
      normalized: null,
      status: 'INVALID',
      reason: 'invalid_syntax',
    });
    expect(internet.dns.queries.length).toBe(queriesBefore); // decided without a lookup
  });

  it('answers a repeated verify() from the cache, and fresh: true probes again', async () => {
    await client.verify('alice@valid.test'); // cached by now, whatever ran before
    const sessionsBefore = sessionsOf('mx.valid.test');
    const cached = await client.verify('alice@valid.test');
    expect(cached).toMatchObject({ status: 'VALID', reason: 'accepted', cached: true });
    expect(sessionsOf('mx.valid.test')).toBe(sessionsBefore);

    const fresh = await client.verify('alice@valid.test', { fresh: true });
    expect(fresh).toMatchObject({ status: 'VALID', reason: 'accepted', cached: false });
    expect(sessionsOf('mx.valid.test')).toBeGreaterThan(sessionsBefore);
  });
});

describe('core client ↔ prober: batches', () => {
  it('verifyBatch() of 250 sends 100 + 100 + 50 and keeps input order, malformed entries included', async () => {
    const emails = Array.from({ length: BATCH_SIZE }, (_, index) =>
      batchMalformed(index) ? `user${index}@@batch.test` : batchAddress(index),
    );
    const { fetch, sent } = recordingFetch();
    const results = await clientFor(key, { fetch }).verifyBatch(emails);

    expect(
      sent.map((request) => (JSON.parse(request.body ?? '{}') as { emails: string[] }).emails.length),
    ).toEqual([MAX_BATCH_SIZE, MAX_BATCH_SIZE, BATCH_SIZE - 2 * MAX_BATCH_SIZE]);
    expect(results.map((result) => result.address)).toEqual(emails);
    results.forEach((result, index) => {
      if (batchMalformed(index)) {
        expect(result, emails[index]).toMatchObject({ status: 'INVALID', reason: 'invalid_syntax' });
      } else if (batchExists(index)) {
        expect(result, emails[index]).toMatchObject({ status: 'VALID', reason: 'accepted' });
      } else {
        expect(result, emails[index]).toMatchObject({ status: 'INVALID', reason: 'mailbox_not_found' });
      }
    });
  });

  it('a raw batch of 101 is refused with 400 in the contract’s error shape', async () => {
    const emails = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, index) => batchAddress(index));
    const response = await fetch(`${prober.url}/v1/verify/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ emails }),
    });
    expect(response.status).toBe(400);
    const body = ApiErrorSchema.parse(await response.json());
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain('emails');
  });
});

describe('core client ↔ prober: jobs', () => {
  it('runs a JSON job to completion and streams exactly one result per row, each address verified once', async () => {
    const emails = [
      'alice@jobs.test',
      'bob@jobs.test',
      'nobody@jobs.test',
      'alice@jobs.test',
      'alice@JOBS.TEST', // same normalised address: the domain is case-insensitive
      'broken@@jobs.test',
    ];
    const created = await client.createJob({ emails });
    expect(created).toMatchObject({ id: expect.stringMatching(/^job_/), total: 4 });

    const job = await finishedJob(created.id);
    expect(job).toMatchObject({
      id: created.id,
      status: 'completed',
      total: 4,
      done: 4,
      counts: { VALID: 2, INVALID: 2, UNKNOWN: 0 },
    });
    expect(job.completedAt).not.toBeNull();
    completedJobIds.push(job.id);

    // One result per row, in order (the repeated address too), each address verified once.
    const results = (await collect(client.jobResults(created.id))).filter(isVerifiedJobRow);
    expect(results.map((result) => [result.row, result.input])).toEqual(
      emails.map((email, index) => [index + 1, email]),
    );
    expect(results[4]).toMatchObject({ address: 'alice@JOBS.TEST', status: 'VALID', columns: null });
    const found = byAddress(results);
    expect([...found.keys()].sort()).toEqual([...new Set(emails)].sort());
    expect(found.get('alice@jobs.test')).toMatchObject({ status: 'VALID', reason: 'accepted' });
    expect(found.get('bob@jobs.test')).toMatchObject({ status: 'VALID' });
    expect(found.get('nobody@jobs.test')).toMatchObject({ status: 'INVALID', reason: 'mailbox_not_found' });
    expect(found.get('broken@@jobs.test')).toMatchObject({ status: 'INVALID', reason: 'invalid_syntax' });
  });

  it('runs a job from a CSV string (header row, quoted fields, a duplicate)', async () => {
    const csv =
      'name,Email,note\r\n' +
      'Alice,alice@jobs.test,first\r\n' +
      '"Bob, Jr",bob@jobs.test,"said ""hi"""\r\n' +
      'Nobody,nobody@jobs.test,\r\n' +
      'Alice again,alice@jobs.test,dup\r\n';
    const created = await client.createJob({ csv });
    expect(created.total).toBe(3);
    const job = await finishedJob(created.id);
    expect(job).toMatchObject({ status: 'completed', done: 3, counts: { VALID: 2, INVALID: 1, UNKNOWN: 0 } });
    completedJobIds.push(job.id);
    const results = (await collect(client.jobResults(created.id))).filter(isVerifiedJobRow);
    expect(results.map((result) => result.address)).toEqual([
      'alice@jobs.test',
      'bob@jobs.test',
      'nobody@jobs.test',
      'alice@jobs.test',
    ]);
    expect(results[1]?.columns).toEqual({ name: 'Bob, Jr', Email: 'bob@jobs.test', note: 'said "hi"' });
  });

  it('runs a job from a streamed CSV (AsyncIterable of strings and bytes, split mid-line)', async () => {
    const lines = ['email', ...Array.from({ length: STREAMED_ROWS }, (_, index) => rowAddress(index))];
    lines.push(rowAddress(0), rowAddress(1)); // duplicates: verified once, answered on their own rows
    const text = `${lines.join('\n')}\n`;
    let pulled = 0;
    async function* pieces(): AsyncGenerator<string | Uint8Array> {
      const encoder = new TextEncoder();
      for (let start = 0; start < text.length; start += 97) {
        pulled += 1;
        const piece = text.slice(start, start + 97);
        yield pulled % 2 === 0 ? encoder.encode(piece) : piece;
      }
    }
    const created = await client.createJob({ csv: pieces() });
    expect(pulled).toBe(Math.ceil(text.length / 97));
    expect(created.total).toBe(STREAMED_ROWS);

    const job = await finishedJob(created.id);
    expect(job).toMatchObject({
      status: 'completed',
      done: STREAMED_ROWS,
      counts: { VALID: STREAMED_ROWS / 2, INVALID: STREAMED_ROWS / 2, UNKNOWN: 0 },
    });
    completedJobIds.push(job.id);

    const results = (await collect(client.jobResults(created.id))).filter(isVerifiedJobRow);
    expect(results.map((result) => result.address)).toEqual(lines.slice(1));
    const found = byAddress(results);
    expect(found.size).toBe(STREAMED_ROWS);
    for (let index = 0; index < STREAMED_ROWS; index += 1) {
      expect(found.get(rowAddress(index))?.status, rowAddress(index)).toBe(
        index % 2 === 0 ? 'VALID' : 'INVALID',
      );
    }
  });

  it('cancels a running job whose MX is slow; it stays cancelled with what was done so far', async () => {
    const emails = Array.from({ length: SLOW_ADDRESSES }, (_, index) => `user${index}@slow.test`);
    const sessionsBefore = sessionsOf('mx.slow.test');
    const created = await client.createJob({ emails });
    await waitFor('a probe of the slow MX', () =>
      sessionsOf('mx.slow.test') > sessionsBefore ? true : null,
    );

    const cancelled = await client.cancelJob(created.id);
    expect(cancelled).toMatchObject({ id: created.id, status: 'cancelled', total: SLOW_ADDRESSES });
    cancelledJobId = created.id;

    // Chunks in flight notice the cancel and hang up; nothing more is probed afterwards.
    await waitFor('slow MX idle', () => (internet.smtp['mx.slow.test']?.activeSessions === 0 ? true : null));
    const after = await client.getJob(created.id);
    expect(after.status).toBe('cancelled');
    expect(after.done).toBeLessThan(SLOW_ADDRESSES);
    const results = (await collect(client.jobResults(created.id))).filter(isVerifiedJobRow);
    expect(results.length).toBe(after.done);

    const again = await failure(client.cancelJob(completedJobIds[0] as string));
    expect(again).toMatchObject({ status: 409, code: 'conflict', isRetryable: false });
  });

  it('listJobs({ status }) lists only the key’s jobs in that state', async () => {
    expect(completedJobIds.length).toBeGreaterThan(0);
    expect(cancelledJobId).not.toBe('');
    const completed = await client.listJobs({ status: 'completed', limit: 100 });
    expect(completed.jobs.every((job) => job.status === 'completed')).toBe(true);
    expect(completed.jobs.map((job) => job.id)).toEqual(expect.arrayContaining(completedJobIds));
    expect(completed.jobs.map((job) => job.id)).not.toContain(cancelledJobId);

    const cancelled = await client.listJobs({ status: 'cancelled' });
    expect(cancelled.jobs.map((job) => job.id)).toEqual([cancelledJobId]);

    const someoneElse = await clientFor(otherKey).listJobs();
    expect(someoneElse.jobs.map((job) => job.id)).not.toContain(cancelledJobId);
  });

  it('a createJob retried after a broken connection reuses its Idempotency-Key and gets the same job', async () => {
    const jobsBefore = (await client.listJobs({ limit: 100 })).jobs.length;
    const firstAnswers: string[] = [];
    // The first answer arrives at the server's side, then the connection "breaks" before the client reads it.
    const { fetch, sent } = recordingFetch(async (attempt, response) => {
      if (attempt > 1) return response;
      firstAnswers.push(await response.text());
      throw new TypeError('fetch failed: socket hang up');
    });
    const created = await clientFor(key, { fetch }).createJob({
      emails: ['alice@jobs.test', 'bob@jobs.test'],
    });

    expect(sent).toHaveLength(2);
    const idempotencyKeys = sent.map((request) => request.headers.get(API_HEADERS.idempotencyKey));
    expect(idempotencyKeys[0]).toBeTruthy();
    expect(idempotencyKeys[1]).toBe(idempotencyKeys[0]);
    expect(JSON.parse(firstAnswers[0] ?? '{}')).toMatchObject({ id: created.id });
    expect((await client.listJobs({ limit: 100 })).jobs.length).toBe(jobsBefore + 1);

    // Another list under the same key is refused (as Stripe does), not answered with the first job.
    const reused = await failure(
      client.createJob(
        { emails: ['nobody@jobs.test', 'x@jobs.test', 'y@jobs.test'] },
        { idempotencyKey: idempotencyKeys[0] as string },
      ),
    );
    expect(reused).toMatchObject({ status: 422, code: 'idempotency_conflict', isRetryable: false });
    // Keys are remembered per API key: the same Idempotency-Key from another key is a new job.
    const elsewhere = await clientFor(otherKey).createJob(
      { emails: ['alice@jobs.test'] },
      { idempotencyKey: idempotencyKeys[0] as string },
    );
    expect(elsewhere.id).not.toBe(created.id);
    expect((await client.listJobs({ limit: 100 })).jobs.length).toBe(jobsBefore + 1);
    expect((await finishedJob(created.id)).total).toBe(2);
  });

  it('a createJob whose upload broke midway is retried under the same Idempotency-Key into a job that runs', async () => {
    const emails = Array.from({ length: 40 }, (_, index) => rowAddress(index));
    // The first attempt sends half of the body, then the connection breaks: the server never got the list.
    const { fetch, sent } = recordingFetch(undefined, async (attempt, input, init) => {
      if (attempt > 1) return globalThis.fetch(input, init);
      const text = String(init?.body);
      const half = new TextEncoder().encode(text.slice(0, text.length / 2));
      let sentHalf = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!sentHalf) {
            sentHalf = true;
            controller.enqueue(half);
            return;
          }
          // Break only once the server is reading this upload into a job of its own.
          await waitFor('the first upload being stored', async () =>
            (await prober.server.stores.jobs.listJobsInState('ingesting')).length > 0 ? true : null,
          );
          controller.error(new Error('connection lost'));
        },
      });
      const broken = await globalThis.fetch(input, { ...init, body, duplex: 'half' } as RequestInit).then(
        () => null,
        (error: unknown) => error,
      );
      expect(broken).not.toBeNull();
      // Only once the server has given up on that upload does the retry go out (the worst case for the key).
      await waitFor('the broken upload given up', async () =>
        (await prober.server.stores.jobs.listJobsInState('ingesting')).length === 0 ? true : null,
      );
      throw broken;
    });
    const created = await clientFor(key, { fetch }).createJob({ emails });

    expect(sent).toHaveLength(2);
    expect(sent[1]?.headers.get(API_HEADERS.idempotencyKey)).toBe(
      sent[0]?.headers.get(API_HEADERS.idempotencyKey),
    );
    expect(created.total).toBe(emails.length);
    const job = await finishedJob(created.id);
    expect(job).toMatchObject({ status: 'completed', done: emails.length, error: null });
  });

  it('a createJob repeating the Idempotency-Key of an upload still streaming → 503 to retry, then that job', async () => {
    const idempotencyKey = 'still-streaming-upload';
    // The first upload under the key stays open, half sent.
    let finishUpload: () => void = () => {};
    const rest = new Promise<void>((resolve) => {
      finishUpload = resolve;
    });
    const encoder = new TextEncoder();
    let part = 0;
    const firstUpload = globalThis.fetch(`${prober.url}/v1/jobs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        [API_HEADERS.idempotencyKey]: idempotencyKey,
      },
      duplex: 'half',
      body: new ReadableStream<Uint8Array>({
        async pull(controller) {
          part += 1;
          if (part === 1) controller.enqueue(encoder.encode('{"emails":["alice@jobs.test",'));
          else if (part === 2) {
            await rest;
            controller.enqueue(encoder.encode('"bob@jobs.test"]}'));
          } else controller.close();
        },
      }),
    } as RequestInit);
    await waitFor('the first upload being stored', async () =>
      (await prober.server.stores.jobs.listJobsInState('ingesting')).length > 0 ? true : null,
    );

    const impatient = clientFor(key, { maxRetries: 0 });
    // The same request as the first upload: a different one under the key would be refused (422).
    const sameRequest = { emails: ['alice@jobs.test', 'bob@jobs.test'] };
    const error = await failure(impatient.createJob(sameRequest, { idempotencyKey }));
    expect(error).toMatchObject({ status: 503, code: 'unavailable', isRetryable: true, retryAfterMs: 1000 });

    // A client that retries waits the second asked for and then gets the job the first upload made.
    const statuses: number[] = [];
    const { fetch } = recordingFetch(async (_attempt, response) => {
      statuses.push(response.status);
      return response;
    });
    // Generous retries: on a loaded machine the first upload may take a few seconds to be stored.
    const retrying = clientFor(key, { fetch, maxRetries: 20 }).createJob(sameRequest, { idempotencyKey });
    await waitFor('a 503 for the repeated key', () => (statuses.length > 0 ? true : null));
    finishUpload();
    const first = (await (await firstUpload).json()) as { id: string; total: number };
    expect(first.total).toBe(2);
    expect(await retrying).toMatchObject({ id: first.id, total: 2 });
    expect(statuses[0]).toBe(503);
    expect(statuses.at(-1)).toBe(202);
    expect((await finishedJob(first.id)).status).toBe('completed');
  });

  it('signs the completion webhook (JSON and CSV jobs) so core’s verifyWebhookSignature accepts it', async () => {
    const fromJson = await client.createJob({
      emails: ['alice@jobs.test', 'nobody@jobs.test'],
      callbackUrl: `${hookUrl}/hooks/json`,
    });
    const fromCsv = await client.createJob({
      csv: 'email\nbob@jobs.test\n',
      callbackUrl: `${hookUrl}/hooks/csv`,
    });
    for (const [created, path] of [
      [fromJson, '/hooks/json'],
      [fromCsv, '/hooks/csv'],
    ] as const) {
      const delivery = await waitFor(
        `webhook of ${created.id}`,
        () => deliveries.find((candidate) => candidate.body.includes(created.id)) ?? null,
      );
      expect(delivery.path).toBe(path);
      expect(delivery.headers['mailprobe-event']).toBe('job.completed');
      const signature = delivery.headers['mailprobe-signature'] as string;
      expect(verifyWebhookSignature(keyWebhookSecret, signature, delivery.body)).toMatchObject({ ok: true });
      // The server-wide secret signs only keys created before per-key secrets.
      expect(verifyWebhookSignature(WEBHOOK_SECRET, signature, delivery.body).ok).toBe(false);
      expect(verifyWebhookSignature('not-the-webhook-secret', signature, delivery.body)).toEqual({
        ok: false,
        reason: 'mismatch',
      });
      const tampered = Buffer.from(delivery.body.toString('utf8').replace('"completed"', '"cancelled"'));
      expect(verifyWebhookSignature(keyWebhookSecret, signature, tampered)).toEqual({
        ok: false,
        reason: 'mismatch',
      });
      const event = JobCompletedEventSchema.parse(JSON.parse(delivery.body.toString('utf8')));
      expect(event.job).toMatchObject({
        id: created.id,
        status: 'completed',
        done: created.total,
        callbackUrl: `${hookUrl}${path}`,
      });
      expect(await client.getJob(created.id)).toMatchObject({ status: 'completed' });
    }
  });
});

describe('core client ↔ prober: errors', () => {
  it('a bad key → ProberApiError 401 unauthorized, not retried', async () => {
    const { fetch, sent } = recordingFetch();
    // Shaped like a key, with a real key id: only the secret is wrong.
    const bogus = `mpk_${keyParts(key).id}_${'A'.repeat(keyParts(key).secret.length)}`;
    const error = await failure(clientFor(bogus, { fetch, maxRetries: 3 }).me());
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', isRetryable: false });
    expect(error.requestId).toBeTruthy();
    expect(error.message).not.toContain(bogus);
    expect(sent).toHaveLength(1);
  });

  it('a key over its requests per minute → 429 with Retry-After surfaced, not waited for past maxRetryAfterMs', async () => {
    const limitedKey = await prober.createKey('one a minute', { requestsPerMinute: 1 });
    expect((await clientFor(limitedKey).me()).limits.requestsPerMinute).toBe(1);

    const noRetries = await failure(clientFor(limitedKey, { maxRetries: 0 }).verify('alice@valid.test'));
    expect(noRetries).toMatchObject({ status: 429, code: 'rate_limited', isRetryable: true });
    expect(noRetries.retryAfterMs).toBeGreaterThan(0);
    expect(noRetries.retryAfterMs).toBeLessThanOrEqual(60_000);

    // Retries are allowed, but the server asks for longer than the client may wait: it throws at once.
    const { fetch, sent } = recordingFetch();
    const impatient = clientFor(limitedKey, { fetch, maxRetries: 3, maxRetryAfterMs: 10 });
    const error = await failure(impatient.me());
    expect(error).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(error.retryAfterMs).toBeGreaterThan(10);
    expect(sent).toHaveLength(1);
  });

  it('another key’s job id → 404 not_found for get, cancel and results', async () => {
    const { id } = await client.createJob({ emails: ['alice@jobs.test'] });
    const stranger = clientFor(otherKey, { maxRetries: 3 });
    expect(await failure(stranger.getJob(id))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await failure(stranger.cancelJob(id))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await failure(collect(stranger.jobResults(id)))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await failure(client.getJob('job_does_not_exist'))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect((await finishedJob(id)).status).toBe('completed');
  });
});
