import { emptyTimings, type VerificationResult } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { JobResultsMismatchError, planJobRows } from './job-rows.js';

/** A job result as the prober answers it for an uploaded address. */
function answered(address: string, reason: 'accepted' | 'mailbox_not_found'): VerificationResult {
  return {
    address,
    normalized: address.toLowerCase(),
    status: reason === 'accepted' ? 'VALID' : 'INVALID',
    reason,
    domain: address.split('@')[1] ?? null,
    flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
    suggestion: null,
    mx: [],
    smtp: null,
    timings: emptyTimings(),
    checkedAt: new Date(0).toISOString(),
    cached: false,
  };
}

describe('planJobRows', () => {
  const rows = [
    'alice@bücher.test',
    'not an address',
    'bob@ok.test',
    'alice@xn--bcher-kva.test',
    'bob@ok.test',
    '#hash@ok.test',
    `${'a'.repeat(2000)}@ok.test`,
  ];

  it('uploads each well-formed address once, and answers malformed rows without the prober', () => {
    expect(planJobRows(rows).upload).toEqual(['alice@bücher.test', 'bob@ok.test', '#hash@ok.test']);
  });

  it('answers every row in input order under its own text, duplicates and IDN twins included', () => {
    const plan = planJobRows(rows);
    const results = plan.assemble([
      answered('alice@bücher.test', 'accepted'),
      answered('bob@ok.test', 'mailbox_not_found'),
      answered('#hash@ok.test', 'accepted'),
    ]);
    expect(results.map((result) => [result.address, result.reason])).toEqual([
      ['alice@bücher.test', 'accepted'],
      ['not an address', 'invalid_syntax'],
      ['bob@ok.test', 'mailbox_not_found'],
      ['alice@xn--bcher-kva.test', 'accepted'],
      ['bob@ok.test', 'mailbox_not_found'],
      ['#hash@ok.test', 'accepted'],
      [rows[6], 'invalid_syntax'],
    ]);
  });

  it('needs no upload when every row is malformed', () => {
    const plan = planJobRows(['nope', '']);
    expect(plan.upload).toEqual([]);
    expect(plan.assemble([]).map((result) => result.reason)).toEqual(['invalid_syntax', 'invalid_syntax']);
  });

  it('refuses results that do not match the upload, in number or in address', () => {
    const plan = planJobRows(['a@ok.test', 'b@ok.test']);
    expect(() => plan.assemble([answered('a@ok.test', 'accepted')])).toThrow(JobResultsMismatchError);
    expect(() =>
      plan.assemble([answered('b@ok.test', 'accepted'), answered('a@ok.test', 'accepted')]),
    ).toThrow(/result 1 of the job is for "b@ok.test" \(row \?\), not "a@ok.test"/);
    expect(() =>
      plan.assemble([
        { ...answered('a@ok.test', 'accepted'), row: 2 },
        { ...answered('b@ok.test', 'accepted'), row: 1 },
      ]),
    ).toThrow(JobResultsMismatchError);
  });

  it("prints the rows-keeping API's results as plain verification results, like the local engine's", () => {
    const plan = planJobRows(['a@ok.test', 'A@ok.test']);
    const [first, second] = plan.assemble([
      { ...answered('a@ok.test', 'accepted'), row: 1, input: 'a@ok.test', columns: null },
      { ...answered('A@ok.test', 'accepted'), row: 2, input: 'A@ok.test', columns: null },
    ]);
    expect(first).toEqual(answered('a@ok.test', 'accepted'));
    expect(Object.keys(second ?? {})).not.toContain('row');
  });
});
