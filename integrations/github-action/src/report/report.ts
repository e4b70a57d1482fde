import type { AddressEntry } from '../collect.js';
import type { FailOn, Mode } from '../inputs.js';
import { judge, type Outcome } from '../policy.js';
import type { Verdict } from '../verify/verdict.js';

export const REPORT_VERSION = 1;

export interface ReportLocation {
  file: string;
  line: number;
  column: number;
  expected: string | null;
  outcome: Outcome;
  problem: string | null;
}

/** One distinct address: its verdict, judged at every location it was found. */
export interface ReportAddress extends Verdict {
  /** The worst outcome over its locations. */
  outcome: Outcome;
  locations: ReportLocation[];
}

/** Counts of distinct addresses. `failed`: at least one location failed; `warned`: warned, none failed. */
export interface ReportCounts {
  files: number;
  total: number;
  valid: number;
  invalid: number;
  unknown: number;
  failed: number;
  warned: number;
  ignored: number;
}

/** The JSON report written to the `report` output path. */
export interface Report {
  version: typeof REPORT_VERSION;
  mode: Mode;
  failOn: FailOn;
  counts: ReportCounts;
  addresses: ReportAddress[];
  ignored: Array<{ address: string; locations: Array<{ file: string; line: number; column: number }> }>;
  /** Files that could not be parsed in their format and were scanned as text. */
  notes: Array<{ file: string; message: string }>;
}

export interface ReportInput {
  mode: Mode;
  failOn: FailOn;
  files: readonly string[];
  checked: readonly AddressEntry[];
  verdicts: readonly Verdict[];
  ignored: readonly AddressEntry[];
  notes: Array<{ file: string; message: string }>;
}

const SEVERITY: Record<Outcome, number> = { pass: 0, warn: 1, fail: 2 };

/** Judges every location and assembles the report (pure). */
export function buildReport(input: ReportInput): Report {
  const addresses = input.checked.map((entry, index): ReportAddress => {
    const verdict = input.verdicts[index];
    if (!verdict) throw new Error(`no verdict for ${entry.address}`);
    const locations = entry.locations.map((location): ReportLocation => {
      const judgement = judge(verdict, location.expected, input.failOn);
      return {
        file: location.file,
        line: location.line,
        column: location.column,
        expected: location.expected,
        outcome: judgement.outcome,
        problem: judgement.problem,
      };
    });
    const outcome = locations.reduce<Outcome>(
      (worst, location) => (SEVERITY[location.outcome] > SEVERITY[worst] ? location.outcome : worst),
      'pass',
    );
    const { status, reason, suggestion, detail, evidence } = verdict;
    return { address: entry.address, status, reason, suggestion, detail, evidence, outcome, locations };
  });
  const count = (predicate: (address: ReportAddress) => boolean): number =>
    addresses.filter(predicate).length;
  return {
    version: REPORT_VERSION,
    mode: input.mode,
    failOn: input.failOn,
    counts: {
      files: input.files.length,
      total: addresses.length,
      valid: count((address) => address.status === 'VALID'),
      invalid: count((address) => address.status === 'INVALID'),
      unknown: count((address) => address.status === 'UNKNOWN'),
      failed: count((address) => address.outcome === 'fail'),
      warned: count((address) => address.outcome === 'warn'),
      ignored: input.ignored.length,
    },
    addresses,
    ignored: input.ignored.map((entry) => ({
      address: entry.address,
      locations: entry.locations.map(({ file, line, column }) => ({ file, line, column })),
    })),
    notes: input.notes,
  };
}
