import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../stores/types.js';
import { jobProgress } from './job-progress.js';

const NOW = Date.parse('2026-12-06T20:00:00.000Z');

function record(overrides: Partial<JobRecord>): JobRecord {
  return {
    id: 'job_1',
    keyId: 'key',
    state: 'running',
    total: 100,
    rows: 100,
    columns: null,
    done: 0,
    counts: { VALID: 0, INVALID: 0, UNKNOWN: 0 },
    callbackUrl: null,
    webhookState: 'none',
    error: null,
    createdAt: new Date(NOW - 60_000).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
    completedAt: null,
    risky: 0,
    blank: 0,
    fileName: null,
    column: null,
    format: null,
    waiting: 0,
    nextRetryAt: null,
    startedAt: null,
    notChecked: 0,
    ...overrides,
  };
}

describe('jobProgress', () => {
  it('gives rate and time left from what ran since the first chunk started', () => {
    expect(jobProgress(record({ done: 40, startedAt: NOW - 20_000 }), NOW)).toEqual({
      waiting: 0,
      nextRetryAt: null,
      ratePerSecond: 2,
      etaSeconds: 30,
    });
  });

  it('never counts scheduled re-probes as work to do', () => {
    const progress = jobProgress(
      record({ done: 30, waiting: 10, nextRetryAt: NOW + 90_000, startedAt: NOW - 20_000 }),
      NOW,
    );
    // 40 probed in 20 s: 2 per second; 60 can run now (100 - 30 done - 10 waiting).
    expect(progress).toEqual({
      waiting: 10,
      nextRetryAt: new Date(NOW + 90_000).toISOString(),
      ratePerSecond: 2,
      etaSeconds: 30,
    });
  });

  it('shows neither rate nor time left while only re-probes are left, or before anything ran', () => {
    const onlyWaiting = record({ done: 90, waiting: 10, nextRetryAt: NOW + 5_000, startedAt: NOW - 20_000 });
    expect(jobProgress(onlyWaiting, NOW)).toEqual({
      waiting: 10,
      nextRetryAt: new Date(NOW + 5_000).toISOString(),
      ratePerSecond: null,
      etaSeconds: null,
    });
    expect(jobProgress(record({ state: 'queued' }), NOW)).toEqual({
      waiting: 0,
      nextRetryAt: null,
      ratePerSecond: null,
      etaSeconds: null,
    });
  });

  it('is all zero and null once the job ended', () => {
    for (const state of ['completed', 'cancelled', 'failed'] as const) {
      expect(
        jobProgress(record({ state, done: 90, waiting: 10, nextRetryAt: NOW, startedAt: NOW - 1 }), NOW),
      ).toEqual({ waiting: 0, nextRetryAt: null, ratePerSecond: null, etaSeconds: null });
    }
  });
});
