import { REASONS, type Reason, STATUSES, type Status } from '@mailprobe/core';
import type { FailOn } from './inputs.js';
import type { Verdict } from './verify/verdict.js';

/** `fail` becomes an `::error` and fails the step; `warn` an `::warning`. */
export type Outcome = 'pass' | 'warn' | 'fail';

export interface Judgement {
  outcome: Outcome;
  /** Why it did not pass; null when it passed. */
  problem: string | null;
}

/** A fixture's stated expectation: a status (`invalid`) or a reason (`mailbox_not_found`). */
export type Expectation = { kind: 'status'; status: Status } | { kind: 'reason'; reason: Reason };

/** Reads an expectation value, case-insensitively; null when it is neither a status nor a reason. */
export function parseExpectation(raw: string): Expectation | null {
  const value = raw.trim();
  const status = STATUSES.find((candidate) => candidate === value.toUpperCase());
  if (status) return { kind: 'status', status };
  const reason = REASONS.find((candidate) => candidate === value.toLowerCase());
  return reason ? { kind: 'reason', reason } : null;
}

/**
 * Judges one occurrence. A stated expectation replaces the policy: it passes when met, fails when
 * not (whatever `fail-on` says) — except that an offline pass only warns, since it cannot disprove
 * a mailbox-level expectation. Otherwise INVALID fails unless fail-on is `none`, UNKNOWN fails
 * only with fail-on `unknown`; what does not fail but is not VALID warns.
 */
export function judge(verdict: Verdict, expected: string | null, failOn: FailOn): Judgement {
  const got = verdict.reason ? `${verdict.status} (${verdict.reason})` : verdict.status;
  if (expected !== null) {
    const expectation = parseExpectation(expected);
    if (!expectation) {
      return {
        outcome: 'fail',
        problem: `expectation "${expected}" is neither a status (valid, invalid, unknown) nor a reason from the vocabulary`,
      };
    }
    const met =
      expectation.kind === 'status'
        ? verdict.status === expectation.status
        : verdict.reason === expectation.reason;
    if (met) return { outcome: 'pass', problem: null };
    const wanted = expectation.kind === 'status' ? expectation.status : expectation.reason;
    if (verdict.reason === null) {
      // Offline checks passed but cannot see the mailbox: not proof the expectation is wrong.
      return {
        outcome: 'warn',
        problem: `expected ${wanted}; offline checks passed, only probe mode can confirm it`,
      };
    }
    return { outcome: 'fail', problem: `expected ${wanted}, got ${got}` };
  }
  if (verdict.status === 'VALID') return { outcome: 'pass', problem: null };
  const fails = verdict.status === 'INVALID' ? failOn !== 'none' : failOn === 'unknown';
  return { outcome: fails ? 'fail' : 'warn', problem: `${verdict.status.toLowerCase()} address: ${got}` };
}
