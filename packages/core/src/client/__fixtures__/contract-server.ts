import { createHash, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  API_ERRORS,
  API_HEADERS,
  API_PATHS,
  type ApiErrorCode,
  BatchRequestSchema,
  CreateJobQuerySchema,
  CreateJobRequestSchema,
  type Job,
  JobParamsSchema,
  ListJobsQuerySchema,
  MEDIA_TYPES,
  type MeResponse,
  VerifyRequestSchema,
  emailColumn,
  resultCsvHeader,
  resultToCsvRow,
} from '../../contract/index.js';
import type { VerificationResult } from '../../vocabulary.js';

/**
 * A small HTTP server on loopback that follows API v1 (docs/api-v1.md), for the client's tests.
 * Each route answers per the contract, unless a test scripted the next answers of that route.
 * The real prober replaces it in end-to-end tests.
 */

export type RouteName = keyof typeof API_PATHS;

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings verbatim. */
  body?: string | object;
  /** Wait this long before sending anything (a slow server). */
  delayMs?: number;
  /** Destroy the connection without answering (a network error). */
  drop?: boolean;
}

export interface RecordedRequest {
  method: string;
  route: RouteName | null;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
  receivedAt: number;
}

export interface ResultsStreamOptions {
  /** How many result lines the job has (overrides the job's addresses). */
  lines: number;
  linesPerChunk: number;
  chunkIntervalMs: number;
  /** After the first chunk, wait for this before writing the rest. */
  holdAfterFirstChunk?: Promise<void>;
}

export interface ResultsStreamRecord {
  jobId: string;
  linesWritten: number;
  ended: boolean;
  /** The client closed the connection before the body ended. */
  closedEarly: boolean;
}

export interface ContractServer {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  jobs: Map<string, Job & { emails: string[] }>;
  streams: ResultsStreamRecord[];
  /** The next requests to `route` get these answers, in order, before normal behaviour resumes. */
  script(route: RouteName, ...replies: ScriptedReply[]): void;
  /** Makes `GET /v1/jobs/:id/results` stream slowly in chunks. */
  streamResults(options: ResultsStreamOptions | null): void;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const ROUTES: Array<{ name: RouteName; method: string; pattern: RegExp }> = [
  { name: 'me', method: 'GET', pattern: /^\/v1\/me$/ },
  { name: 'verifyBatch', method: 'POST', pattern: /^\/v1\/verify\/batch$/ },
  { name: 'verify', method: 'POST', pattern: /^\/v1\/verify$/ },
  { name: 'jobs', method: 'GET|POST', pattern: /^\/v1\/jobs$/ },
  { name: 'jobResults', method: 'GET', pattern: /^\/v1\/jobs\/([^/]+)\/results$/ },
  { name: 'jobCancel', method: 'POST', pattern: /^\/v1\/jobs\/([^/]+)\/cancel$/ },
  { name: 'jobFinish', method: 'POST', pattern: /^\/v1\/jobs\/([^/]+)\/finish$/ },
  { name: 'job', method: 'GET|DELETE', pattern: /^\/v1\/jobs\/([^/]+)$/ },
];

class HttpError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A deterministic result: local parts starting with `unknown` are UNKNOWN, with `bad` or no `@` INVALID. */
export function fakeResult(address: string): VerificationResult {
  const at = address.lastIndexOf('@');
  const local = at > 0 ? address.slice(0, at) : address;
  const domain = at > 0 ? address.slice(at + 1).toLowerCase() : null;
  const verdict: Pick<VerificationResult, 'status' | 'reason'> =
    domain === null
      ? { status: 'INVALID', reason: 'invalid_syntax' }
      : local.startsWith('unknown')
        ? { status: 'UNKNOWN', reason: 'greylisted' }
        : local.startsWith('bad')
          ? { status: 'INVALID', reason: 'mailbox_not_found' }
          : { status: 'VALID', reason: 'accepted' };
  return {
    address,
    normalized: domain === null ? null : `${local}@${domain}`,
    ...verdict,
    domain,
    flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
    suggestion: null,
    mx: domain === null ? [] : [`mx.${domain}`],
    smtp:
      domain === null
        ? null
        : {
            host: `mx.${domain}`,
            ip: '127.0.0.1',
            port: 25,
            sourceAddress: null,
            heloName: 'probe.test',
            tls: false,
            replyCode: verdict.status === 'VALID' ? 250 : 550,
            enhancedCode: verdict.status === 'VALID' ? '2.1.5' : '5.1.1',
            replyText: verdict.status === 'VALID' ? 'OK' : 'User unknown, "quoted", text',
          },
    timings: { dnsMs: 1, connectMs: 2, smtpMs: 3, queuedMs: 0, totalMs: 6 },
    checkedAt: new Date(0).toISOString(),
    cached: false,
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new HttpError('payload_too_large', 'Body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': MEDIA_TYPES.json, ...headers });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, code: ApiErrorCode, message: string) {
  const headers: Record<string, string> = code === 'rate_limited' || code === 'unavailable' ? { 'retry-after': '1' } : {};
  sendJson(response, API_ERRORS[code].status, { error: { code, message } }, headers);
}

function parseCsvEmails(text: string): string[] {
  // A fixture-grade CSV reader: enough for unquoted test uploads.
  const rows = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(','));
  if (rows.length === 0) return [];
  const { index, hasHeader } = emailColumn(rows[0] ?? []);
  return rows.slice(hasHeader ? 1 : 0).map((row) => (row[index] ?? '').trim());
}

function validationMessage(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

export async function startContractServer(options: { apiKey?: string } = {}): Promise<ContractServer> {
  const apiKey = options.apiKey ?? 'mp_test_key_123';
  const expectedAuthorization = sha256(`Bearer ${apiKey}`);
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, Job & { emails: string[] }>();
  const idempotency = new Map<string, string>();
  const scripts = new Map<RouteName, ScriptedReply[]>();
  const streams: ResultsStreamRecord[] = [];
  let streamOptions: ResultsStreamOptions | null = null;
  let nextJob = 1;

  function job(id: string): Job & { emails: string[] } {
    const found = jobs.get(id);
    if (!found) throw new HttpError('not_found', `No job ${id}`);
    return found;
  }

  function publicJob(stored: Job & { emails: string[] }): Job {
    const { emails: _emails, ...rest } = stored;
    return rest;
  }

  async function streamResultLines(response: ServerResponse, stored: Job & { emails: string[] }) {
    const record: ResultsStreamRecord = { jobId: stored.id, linesWritten: 0, ended: false, closedEarly: false };
    streams.push(record);
    response.on('close', () => {
      if (!record.ended) record.closedEarly = true;
    });
    response.writeHead(200, { 'content-type': MEDIA_TYPES.ndjson });
    const settings = streamOptions ?? { lines: stored.emails.length, linesPerChunk: 1000, chunkIntervalMs: 0 };
    const lineFor = (index: number) => {
      const input = stored.emails[index] ?? `user${index}@example.com`;
      return `${JSON.stringify({ ...fakeResult(input), row: index + 1, input, columns: null })}\n`;
    };
    for (let start = 0; start < settings.lines; start += settings.linesPerChunk) {
      if (response.destroyed) return;
      const end = Math.min(settings.lines, start + settings.linesPerChunk);
      let chunk = '';
      for (let index = start; index < end; index++) chunk += lineFor(index);
      response.write(chunk);
      record.linesWritten = end;
      if (start === 0 && settings.holdAfterFirstChunk) await settings.holdAfterFirstChunk;
      if (settings.chunkIntervalMs > 0) await delay(settings.chunkIntervalMs);
    }
    if (response.destroyed) return;
    record.ended = true;
    response.end();
  }

  async function handle(request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest) {
    const match = ROUTES.find((route) => route.pattern.test(recorded.path));
    if (!match) throw new HttpError('not_found', `No route ${recorded.method} ${recorded.path}`);
    if (!match.method.split('|').includes(recorded.method)) throw new HttpError('not_found', 'No such method');
    recorded.route = match.name;

    const scripted = scripts.get(match.name)?.shift();
    if (scripted) {
      if (scripted.delayMs) await delay(scripted.delayMs);
      if (scripted.drop) {
        request.socket.destroy();
        return;
      }
      if (response.destroyed) return;
      const isText = typeof scripted.body === 'string';
      response.writeHead(scripted.status ?? 200, {
        'content-type': isText ? 'text/plain' : MEDIA_TYPES.json,
        ...scripted.headers,
      });
      response.end(isText ? scripted.body : JSON.stringify(scripted.body ?? {}));
      return;
    }

    const authorization = request.headers.authorization ?? '';
    if (!timingSafeEqual(sha256(authorization), expectedAuthorization)) {
      throw new HttpError('unauthorized', 'Missing or unknown API key');
    }
    const id = match.pattern.exec(recorded.path)?.[1];
    const params = id === undefined ? null : JobParamsSchema.parse({ id: decodeURIComponent(id) });
    const parseJson = (): unknown => {
      try {
        return JSON.parse(recorded.body);
      } catch {
        throw new HttpError('bad_request', 'Body is not JSON');
      }
    };

    switch (`${recorded.method} ${match.name}`) {
      case 'GET me': {
        const me: MeResponse = {
          accountName: 'test account',
          keyId: 'key_1',
          limits: { requestsPerMinute: 600, quota: null, used: requests.length },
        };
        return sendJson(response, 200, me);
      }
      case 'POST verify': {
        const parsed = VerifyRequestSchema.safeParse(parseJson());
        if (!parsed.success) throw new HttpError('bad_request', validationMessage(parsed.error));
        return sendJson(response, 200, fakeResult(parsed.data.email));
      }
      case 'POST verifyBatch': {
        const parsed = BatchRequestSchema.safeParse(parseJson());
        if (!parsed.success) throw new HttpError('bad_request', validationMessage(parsed.error));
        return sendJson(response, 200, { results: parsed.data.emails.map(fakeResult) });
      }
      case 'POST jobs': {
        const key = request.headers[API_HEADERS.idempotencyKey];
        const existing = typeof key === 'string' ? idempotency.get(key) : undefined;
        if (existing) {
          const stored = job(existing);
          return sendJson(response, 202, { id: stored.id, status: stored.status, total: stored.total });
        }
        const contentType = request.headers['content-type'] ?? '';
        let emails: string[];
        let callbackUrl: string | undefined;
        if (contentType.startsWith(MEDIA_TYPES.csv)) {
          const query = CreateJobQuerySchema.safeParse(recorded.query);
          if (!query.success) throw new HttpError('bad_request', validationMessage(query.error));
          emails = parseCsvEmails(recorded.body);
          callbackUrl = query.data.callbackUrl;
        } else if (contentType.startsWith(MEDIA_TYPES.json)) {
          const parsed = CreateJobRequestSchema.safeParse(parseJson());
          if (!parsed.success) throw new HttpError('bad_request', validationMessage(parsed.error));
          ({ emails, callbackUrl } = parsed.data);
        } else {
          throw new HttpError('unsupported_media_type', `Cannot read ${contentType}`);
        }
        const now = new Date().toISOString();
        const counts = { VALID: 0, INVALID: 0, UNKNOWN: 0 };
        for (const email of emails) counts[fakeResult(email).status] += 1;
        const stored = {
          id: `job_${nextJob++}`,
          status: 'completed' as const,
          total: emails.length,
          rows: emails.length,
          done: emails.length,
          counts,
          createdAt: now,
          updatedAt: now,
          completedAt: now,
          callbackUrl: callbackUrl ?? null,
          error: null,
          fileName: null,
          column: null,
          rowCounts: {
            deliverable: counts.VALID,
            undeliverable: counts.INVALID,
            risky: 0,
            unknown: counts.UNKNOWN,
            skipped: 0,
            duplicate: 0,
            pending: 0,
          },
          addressCounts: { deliverable: counts.VALID, undeliverable: counts.INVALID, risky: 0, unknown: counts.UNKNOWN },
          progress: { waiting: 0, nextRetryAt: null, etaSeconds: null, ratePerSecond: null },
          emails,
        };
        jobs.set(stored.id, stored);
        if (typeof key === 'string') idempotency.set(key, stored.id);
        return sendJson(response, 202, { id: stored.id, status: stored.status, total: stored.total });
      }
      case 'GET jobs': {
        const parsed = ListJobsQuerySchema.safeParse(recorded.query);
        if (!parsed.success) throw new HttpError('bad_request', validationMessage(parsed.error));
        const { status, limit, cursor } = parsed.data;
        const all = [...jobs.values()].reverse().filter((stored) => !status || stored.status === status);
        const start = cursor ? all.findIndex((stored) => stored.id === cursor) + 1 : 0;
        const page = all.slice(start, start + limit);
        const last = page.at(-1);
        const nextCursor = last && start + limit < all.length ? last.id : null;
        return sendJson(response, 200, { jobs: page.map(publicJob), nextCursor });
      }
      case 'GET job':
        return sendJson(response, 200, publicJob(job(params?.id ?? '')));
      case 'DELETE job': {
        const stored = job(params?.id ?? '');
        jobs.delete(stored.id);
        if (stored.status === 'queued' || stored.status === 'running') stored.status = 'cancelled';
        return sendJson(response, 200, publicJob(stored));
      }
      case 'POST jobCancel': {
        const stored = job(params?.id ?? '');
        if (stored.status === 'completed' || stored.status === 'failed') {
          throw new HttpError('conflict', `Job ${stored.id} is already ${stored.status}`);
        }
        stored.status = 'cancelled';
        stored.updatedAt = new Date().toISOString();
        stored.completedAt = stored.updatedAt;
        return sendJson(response, 200, publicJob(stored));
      }
      case 'POST jobFinish': {
        const stored = job(params?.id ?? '');
        if (stored.status === 'cancelled' || stored.status === 'failed') {
          throw new HttpError('conflict', `Job ${stored.id} is already ${stored.status}`);
        }
        stored.status = 'completed';
        stored.updatedAt = new Date().toISOString();
        stored.completedAt ??= stored.updatedAt;
        return sendJson(response, 200, publicJob(stored));
      }
      case 'GET jobResults': {
        const stored = job(params?.id ?? '');
        const accept = request.headers.accept ?? MEDIA_TYPES.ndjson;
        if (accept.includes(MEDIA_TYPES.csv)) {
          response.writeHead(200, { 'content-type': `${MEDIA_TYPES.csv}; charset=utf-8` });
          const rows = stored.emails.map((email) => resultToCsvRow(fakeResult(email)));
          response.end(`${[resultCsvHeader(), ...rows].join('\r\n')}\r\n`);
          return;
        }
        if (!accept.includes(MEDIA_TYPES.ndjson) && !accept.includes('*/*')) {
          throw new HttpError('not_acceptable', `Cannot produce ${accept}`);
        }
        return streamResultLines(response, stored);
      }
      default:
        throw new HttpError('not_found', 'No such route');
    }
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      route: null,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body: '',
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    readBody(request)
      .then((body) => {
        recorded.body = body;
        return handle(request, response, recorded);
      })
      .catch((error: unknown) => {
        if (error instanceof HttpError) sendError(response, error.code, error.message);
        else sendError(response, 'internal', error instanceof Error ? error.message : String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    jobs,
    streams,
    script(route, ...replies) {
      scripts.set(route, [...(scripts.get(route) ?? []), ...replies]);
    },
    streamResults(options) {
      streamOptions = options;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
