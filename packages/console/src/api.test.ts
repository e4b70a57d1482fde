import { describe, expect, it } from 'vitest';
import { featuresOf } from './api.js';
import { addressBuckets, rowBuckets } from './job-summary.js';
import { dryRunWords } from './upload-panel.js';
import { verdictOf } from './verdict.js';

describe('featuresOf', () => {
  it('reads what the server documents, and nothing from an older document', () => {
    expect(featuresOf({})).toEqual({ dryRun: false, resultSets: false, excelSafe: false, finish: false });
    expect(
      featuresOf({
        paths: {
          '/v1/jobs': { post: { parameters: [{ name: 'dryRun', in: 'query' }] } },
          '/v1/jobs/{id}/results': {
            get: {
              parameters: [
                { name: 'set', in: 'query' },
                { name: 'excelSafe', in: 'query' },
              ],
            },
          },
          '/v1/jobs/{id}/finish': { post: {} },
        },
      }),
    ).toEqual({ dryRun: true, resultSets: true, excelSafe: true, finish: true });
  });
});

describe('the words the console uses', () => {
  it('says what starting an upload would do', () => {
    const dry = {
      rows: 300,
      withAddress: 285,
      blank: 15,
      distinct: 211,
      duplicate: 74,
      column: 'Email',
      columns: ['Name', 'Email'],
      quotaRemaining: 37,
      fileName: 'leads.csv',
    };
    expect(dryRunWords(dry)).toBe(
      '300 rows · 285 with an address · 211 distinct · uses 211 of your 37 remaining',
    );
    expect(dryRunWords({ ...dry, quotaRemaining: null })).toMatch(
      /uses 211 verifications \(no quota limit\)$/,
    );
  });

  it('gives each result one plain verdict', () => {
    expect(verdictOf('VALID', 'accepted')).toBe('send');
    expect(verdictOf('INVALID', 'mailbox_not_found')).toBe('dont_send');
    expect(verdictOf('UNKNOWN', 'catch_all')).toBe('risky');
    expect(verdictOf('UNKNOWN', 'greylisted')).toBe('try_later');
  });

  it('summarises by row only when the server counts rows, and by address from `counts` otherwise', () => {
    const job = {
      id: 'job_1',
      status: 'running' as const,
      total: 10,
      rows: 12,
      done: 6,
      counts: { VALID: 3, INVALID: 2, UNKNOWN: 1 },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      completedAt: null,
      callbackUrl: null,
      error: null,
    };
    expect(rowBuckets(job)).toBeNull();
    expect(addressBuckets(job).map((bucket) => [bucket.key, bucket.count])).toEqual([
      ['deliverable', 3],
      ['undeliverable', 2],
      ['unknown', 1],
      ['pending', 4],
    ]);
  });
});
