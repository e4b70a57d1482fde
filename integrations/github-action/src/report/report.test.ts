import { describe, expect, it } from 'vitest';
import type { AddressEntry } from '../collect.js';
import type { Verdict } from '../verify/verdict.js';
import { annotationsFor } from './annotations.js';
import { buildReport } from './report.js';
import { escapeCell, renderSummary } from './summary.js';

const entry = (address: string, ...locations: Array<[number, string | null]>): AddressEntry => ({
  address,
  locations: locations.map(([line, expected]) => ({
    address,
    file: 'fixtures/users.json',
    line,
    column: 5,
    expected,
  })),
});
const verdict = (
  address: string,
  status: Verdict['status'],
  reason: Verdict['reason'],
  extra: Partial<Verdict> = {},
): Verdict => ({
  address,
  status,
  reason,
  suggestion: null,
  detail: `${reason} detail`,
  evidence: null,
  ...extra,
});

const report = buildReport({
  mode: 'probe',
  failOn: 'invalid',
  files: ['fixtures/users.json'],
  checked: [
    entry('ana@acme.io', [1, null]),
    entry('ghost@acme.io', [2, null], [3, 'invalid']),
    entry('grey@acme.io', [4, null]),
    entry('typo@gmial.com', [5, 'valid']),
  ],
  verdicts: [
    verdict('ana@acme.io', 'VALID', 'accepted'),
    verdict('ghost@acme.io', 'INVALID', 'mailbox_not_found', { evidence: '550 5.1.1 User unknown' }),
    verdict('grey@acme.io', 'UNKNOWN', 'greylisted'),
    verdict('typo@gmial.com', 'INVALID', 'domain_not_found', { suggestion: 'typo@gmail.com' }),
  ],
  ignored: [entry('x@example.com', [6, null])],
  notes: [],
});

describe('buildReport', () => {
  it('counts distinct addresses and judges each location', () => {
    expect(report.counts).toEqual({
      files: 1,
      total: 4,
      valid: 1,
      invalid: 2,
      unknown: 1,
      failed: 2,
      warned: 1,
      ignored: 1,
    });
    expect(report.addresses[1]?.locations.map((location) => location.outcome)).toEqual(['fail', 'pass']);
    expect(report.ignored).toEqual([
      { address: 'x@example.com', locations: [{ file: 'fixtures/users.json', line: 6, column: 5 }] },
    ]);
  });
});

describe('annotationsFor', () => {
  it('annotates every location that did not pass, at its exact place', () => {
    expect(annotationsFor(report)).toEqual([
      {
        level: 'error',
        title: 'Mailprobe: invalid address',
        message:
          'ghost@acme.io: invalid address: INVALID (mailbox_not_found). mailbox_not_found detail Evidence: 550 5.1.1 User unknown.',
        file: 'fixtures/users.json',
        startLine: 2,
        startColumn: 5,
      },
      expect.objectContaining({ level: 'warning', startLine: 4, title: 'Mailprobe: unknown address' }),
      expect.objectContaining({
        level: 'error',
        startLine: 5,
        title: 'Mailprobe: expectation not met',
        message: expect.stringMatching(
          /expected VALID, got INVALID \(domain_not_found\).*Did you mean typo@gmail\.com\?$/,
        ),
      }),
    ]);
  });
});

describe('renderSummary', () => {
  it('shows the counts and a problems table with reasons and suggestions, failures first', () => {
    const summary = renderSummary(report);
    expect(summary).toContain('## Mailprobe: ❌ 2 failing');
    expect(summary).toContain('| 4 | 1 | 2 | 1 | 2 | 1 | 1 |');
    const rows = summary.split('\n').filter((line) => /^\| (❌|⚠️) /.test(line));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('`fixtures/users.json:2:5`');
    expect(rows[0]).toContain('mailbox_not_found detail (550 5.1.1 User unknown)');
    expect(rows[1]).toContain('typo@gmail.com');
    expect(rows[2]).toMatch(/^\| ⚠️ \| grey@acme\.io/);
  });

  it('escapes table cells', () => {
    expect(escapeCell('Ana <a|b@x.io>\nnext')).toBe('Ana &lt;a&#124;b@x.io&gt; next');
  });
});
