import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeResult } from '../client/__fixtures__/contract-server.js';
import {
  API_ERROR_CODES,
  API_ERRORS,
  API_PATHS,
  ApiErrorSchema,
  apiErrorCodeForStatus,
  BatchRequestSchema,
  BatchResponseSchema,
  CreateJobQuerySchema,
  CreateJobRequestSchema,
  CreateJobResponseSchema,
  JobListSchema,
  JobSchema,
  jobPath,
  jobResultsPath,
  LenientJobSchema,
  ListJobsQuerySchema,
  MAX_BATCH_SIZE,
  MAX_EMAIL_LENGTH,
  MeResponseSchema,
  RETRY_AFTER_STATUSES,
  VerifyRequestSchema,
} from './index.js';

describe('error table', () => {
  it('gives every code a 4xx/5xx status; only rate limits, 5xx retry', () => {
    for (const code of API_ERROR_CODES) {
      const { status, retryable } = API_ERRORS[code];
      expect(status).toBeGreaterThanOrEqual(400);
      expect(retryable).toBe(status >= 500 || code === 'rate_limited');
    }
    expect(RETRY_AFTER_STATUSES).toEqual([API_ERRORS.rate_limited.status, API_ERRORS.unavailable.status]);
  });

  it('maps statuses without a code to one', () => {
    expect([400, 401, 404, 409, 413, 429, 500, 502, 503, 504, 418].map(apiErrorCodeForStatus)).toEqual([
      'bad_request',
      'unauthorized',
      'not_found',
      'conflict',
      'payload_too_large',
      'rate_limited',
      'internal',
      'unavailable',
      'unavailable',
      'unavailable',
      null,
    ]);
  });

  it('error bodies must use a known code', () => {
    expect(ApiErrorSchema.safeParse({ error: { code: 'not_found', message: 'x' } }).success).toBe(true);
    expect(ApiErrorSchema.safeParse({ error: { code: 'teapot', message: 'x' } }).success).toBe(false);
  });
});

describe('request schemas', () => {
  it('verify: email up to MAX_EMAIL_LENGTH, fresh optional', () => {
    expect(VerifyRequestSchema.safeParse({ email: 'a@b.c' }).success).toBe(true);
    expect(VerifyRequestSchema.safeParse({ email: 'a@b.c', fresh: true }).success).toBe(true);
    expect(VerifyRequestSchema.safeParse({ email: 'x'.repeat(MAX_EMAIL_LENGTH + 1) }).success).toBe(false);
    expect(VerifyRequestSchema.safeParse({ email: 5 }).success).toBe(false);
  });

  it('batch: 1 to MAX_BATCH_SIZE addresses', () => {
    const emails = (count: number) => ({
      emails: Array.from({ length: count }, (_, index) => `u${index}@x.test`),
    });
    expect(BatchRequestSchema.safeParse(emails(MAX_BATCH_SIZE)).success).toBe(true);
    expect(BatchRequestSchema.safeParse(emails(MAX_BATCH_SIZE + 1)).success).toBe(false);
    expect(BatchRequestSchema.safeParse(emails(0)).success).toBe(false);
  });

  it('jobs: callbackUrl must be http(s)', () => {
    expect(
      CreateJobRequestSchema.safeParse({ emails: ['a@b.c'], callbackUrl: 'https://h.test/x' }).success,
    ).toBe(true);
    expect(
      CreateJobRequestSchema.safeParse({ emails: ['a@b.c'], callbackUrl: 'javascript:alert(1)' }).success,
    ).toBe(false);
    expect(CreateJobQuerySchema.safeParse({ callbackUrl: 'ftp://h.test' }).success).toBe(false);
  });

  it('list query: coerces limit from the query string, defaults it, bounds it', () => {
    expect(ListJobsQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(ListJobsQuerySchema.parse({ limit: '5', status: 'running', cursor: 'job_9' })).toEqual({
      limit: 5,
      status: 'running',
      cursor: 'job_9',
    });
    expect(ListJobsQuerySchema.safeParse({ limit: '500' }).success).toBe(false);
    expect(ListJobsQuerySchema.safeParse({ status: 'done' }).success).toBe(false);
  });
});

describe('response schemas', () => {
  const job = {
    id: 'job_1',
    status: 'running',
    total: 3,
    rows: 3,
    done: 1,
    counts: { VALID: 1, INVALID: 0, UNKNOWN: 0 },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:01.000Z',
    completedAt: null,
    callbackUrl: null,
    error: null,
    fileName: null,
    column: null,
    rowCounts: {
      deliverable: 0,
      undeliverable: 0,
      risky: 0,
      unknown: 0,
      skipped: 0,
      duplicate: 0,
      pending: 0,
    },
    addressCounts: { deliverable: 0, undeliverable: 0, risky: 0, unknown: 0 },
    progress: { waiting: 0, nextRetryAt: null, etaSeconds: null, ratePerSecond: null },
  };

  it('accept contract-shaped answers', () => {
    expect(JobSchema.parse(job)).toEqual(job);
    expect(JobListSchema.parse({ jobs: [job], nextCursor: null }).jobs).toHaveLength(1);
    expect(CreateJobResponseSchema.parse({ id: 'job_1', status: 'queued', total: 3 }).total).toBe(3);
    expect(BatchResponseSchema.parse({ results: [fakeResult('a@example.com')] }).results).toHaveLength(1);
    expect(
      MeResponseSchema.parse({
        accountName: 'a',
        keyId: 'k',
        limits: { requestsPerMinute: null, quota: 10, used: 2 },
      }),
    ).toBeTruthy();
  });

  it('hold the prober to every field it promises, while a client reads an older prober leniently', () => {
    for (const field of ['rows', 'fileName', 'column', 'rowCounts', 'addressCounts', 'progress']) {
      const { [field]: _left, ...without } = job as Record<string, unknown>;
      expect(JobSchema.safeParse(without).success, field).toBe(false);
      expect(LenientJobSchema.safeParse(without).success, field).toBe(true);
    }
    expect(LenientJobSchema.parse(job)).toEqual(job);
  });

  it('refuse counts with a missing verdict or a bad status', () => {
    expect(JobSchema.safeParse({ ...job, counts: { VALID: 1, INVALID: 0 } }).success).toBe(false);
    expect(JobSchema.safeParse({ ...job, status: 'paused' }).success).toBe(false);
  });

  it('every schema converts to JSON Schema (for OpenAPI 3.1)', () => {
    for (const schema of [
      ApiErrorSchema,
      MeResponseSchema,
      VerifyRequestSchema,
      BatchResponseSchema,
      JobSchema,
      JobListSchema,
    ]) {
      expect(z.toJSONSchema(schema, { io: 'output' })).toHaveProperty('type', 'object');
    }
    expect(z.toJSONSchema(ListJobsQuerySchema, { io: 'input', unrepresentable: 'any' })).toHaveProperty(
      'type',
      'object',
    );
  });
});

describe('paths', () => {
  it('escape job ids', () => {
    expect(jobPath('a/b c')).toBe('/v1/jobs/a%2Fb%20c');
    expect(jobResultsPath('job_1')).toBe('/v1/jobs/job_1/results');
    expect(API_PATHS.job).toBe('/v1/jobs/:id');
  });
});
