import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  JobCompletedEventSchema,
  LenientJobCompletedEventSchema,
  signWebhook,
  verifyWebhookSignature,
} from './webhook.js';

const secret = 'whsec_test';
const body = JSON.stringify({ type: 'job.completed', id: 'evt_1' });
const t = 1_700_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe('signWebhook', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('signs bytes and the same text alike', () => {
    expect(signWebhook(secret, new TextEncoder().encode(body), t)).toBe(signWebhook(secret, body, t));
  });
});

describe('verifyWebhookSignature', () => {
  const header = signWebhook(secret, body, t);

  it('accepts a valid signature within the tolerance', () => {
    expect(verifyWebhookSignature(secret, header, body, { now: at(t + 299) })).toEqual({
      ok: true,
      timestamp: t,
    });
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), { now: at(t) }).ok).toBe(true);
  });

  it('accepts when any of several v1 signatures matches (secret rotation)', () => {
    const other = signWebhook('old-secret', body, t).split(',')[1];
    expect(verifyWebhookSignature(secret, `${header},${other}`, body, { now: at(t) }).ok).toBe(true);
    expect(verifyWebhookSignature('old-secret', `${header},${other}`, body, { now: at(t) }).ok).toBe(true);
  });

  it('refuses a tampered body, a wrong secret, or a changed timestamp', () => {
    expect(verifyWebhookSignature(secret, header, `${body} `, { now: at(t) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature('other', header, body, { now: at(t) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    const shifted = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(verifyWebhookSignature(secret, shifted, body, { now: at(t) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses stale and future timestamps', () => {
    expect(verifyWebhookSignature(secret, header, body, { now: at(t + 301) })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWebhookSignature(secret, header, body, { now: at(t - 301) })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(
      verifyWebhookSignature(secret, header, body, { now: at(t + 1000), toleranceSeconds: 2000 }).ok,
    ).toBe(true);
  });

  it.each([
    [undefined],
    [''],
    ['garbage'],
    [`t=${t}`],
    ['v1=00'],
    [`t=abc,v1=${'0'.repeat(64)}`],
    [`t=${t},v1=${'0'.repeat(63)}`],
    [`t=${t},v1=${'Z'.repeat(64)}`],
    [`t=${t},t=${t},v1=${'0'.repeat(64)}`],
    [`t=${t},=x,v1=${'0'.repeat(64)}`],
  ])('refuses the malformed header %j', (value) => {
    expect(verifyWebhookSignature(secret, value, body, { now: at(t) })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('ignores unknown schemes beside v1', () => {
    expect(verifyWebhookSignature(secret, `${header},v2=whatever`, body, { now: at(t) }).ok).toBe(true);
  });
});

describe('JobCompletedEventSchema', () => {
  it('accepts a well-formed event and refuses another type', () => {
    const job = {
      id: 'job_1',
      status: 'completed',
      total: 2,
      rows: 2,
      done: 2,
      counts: { VALID: 1, INVALID: 1, UNKNOWN: 0 },
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:01:00.000Z',
      completedAt: '2025-01-01T00:01:00.000Z',
      callbackUrl: 'https://hooks.example.com/x',
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
    const event = { type: 'job.completed', id: 'evt_1', createdAt: '2025-01-01T00:01:00.000Z', job };
    expect(JobCompletedEventSchema.parse(event)).toEqual(event);
    expect(JobCompletedEventSchema.safeParse({ ...event, type: 'job.created' }).success).toBe(false);
  });

  it("reads a 0.1.0 prober's event leniently, while the prober's own events must carry every field", () => {
    const oldJob = {
      id: 'job_1',
      status: 'completed',
      total: 2,
      rows: 3,
      done: 2,
      counts: { VALID: 1, INVALID: 1, UNKNOWN: 0 },
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:01:00.000Z',
      completedAt: '2025-01-01T00:01:00.000Z',
      callbackUrl: 'https://hooks.example.com/x',
      error: null,
    };
    const event = { type: 'job.completed', id: 'evt_1', createdAt: '2025-01-01T00:01:00.000Z', job: oldJob };
    expect(JobCompletedEventSchema.safeParse(event).success).toBe(false);
    expect(LenientJobCompletedEventSchema.parse(event).job).toEqual({
      ...oldJob,
      fileName: null,
      column: null,
      addressCounts: { deliverable: 1, undeliverable: 1, risky: 0, unknown: 0 },
      rowCounts: {
        deliverable: 1,
        undeliverable: 1,
        risky: 0,
        unknown: 0,
        skipped: 0,
        duplicate: 1,
        pending: 0,
      },
      progress: { waiting: 0, nextRetryAt: null, etaSeconds: null, ratePerSecond: null },
    });
  });
});

describe('signWebhook during a secret rotation', () => {
  it('carries one v1 per secret, so a receiver holding either the old or the new one verifies', () => {
    const header = signWebhook(['whsec_new', 'whsec_old'], body, t);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    for (const held of ['whsec_new', 'whsec_old']) {
      expect(verifyWebhookSignature(held, header, body, { now: at(t) })).toEqual({ ok: true, timestamp: t });
    }
    expect(verifyWebhookSignature('whsec_other', header, body, { now: at(t) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(signWebhook(['whsec_new'], body, t)).toBe(signWebhook('whsec_new', body, t));
    expect(() => signWebhook([], body, t)).toThrow(TypeError);
  });

  it('accepts the results URL in the event', () => {
    const parsed = JobCompletedEventSchema.safeParse({
      type: 'job.completed',
      id: 'evt_1',
      createdAt: '2025-01-01T00:01:00.000Z',
      resultsUrl: 'https://prober.example.com/v1/jobs/job_1/results',
      job: {
        id: 'job_1',
        status: 'completed',
        total: 0,
        rows: 0,
        done: 0,
        counts: { VALID: 0, INVALID: 0, UNKNOWN: 0 },
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:01:00.000Z',
        completedAt: '2025-01-01T00:01:00.000Z',
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
      },
    });
    expect(parsed.success).toBe(true);
  });
});
