import { REASON_STATUS, REASONS, type Reason, statusOf } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import {
  type CatchAllOutcome,
  type Classification,
  DEFAULT_GREYLIST_RETRY_SECONDS,
  decideVerdict,
  type SessionFailureKind,
  type StageOutcome,
} from './verdict.js';

const FAILURES: SessionFailureKind[] = ['timeout', 'connection', 'protocol', 'reply'];
const classify = (reason: Reason, retryAfterSeconds?: number): Classification => ({
  status: statusOf(reason),
  reason,
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
});

function catchAllOutcomes(): CatchAllOutcome[] {
  const outcomes: CatchAllOutcome[] = [{ kind: 'catch_all' }, { kind: 'not_catch_all' }];
  for (const failure of [...FAILURES, null]) {
    outcomes.push({ kind: 'inconclusive', classification: null, failure });
    for (const reason of REASONS)
      outcomes.push({ kind: 'inconclusive', classification: classify(reason), failure });
  }
  return outcomes;
}

/** Every stage outcome the orchestrator can produce. */
function everyOutcome(): StageOutcome[] {
  const outcomes: StageOutcome[] = [{ stage: 'syntax' }, { stage: 'rcpt', skipped: 'smtputf8_unsupported' }];
  for (const kind of [
    'domain_not_found',
    'no_mx',
    'null_mx',
    'dns_error',
    'mx_unresolvable',
    'unroutable',
  ] as const) {
    outcomes.push({ stage: 'dns', kind });
  }
  outcomes.push({ stage: 'connect', failure: 'timeout' }, { stage: 'connect', failure: 'connection' });
  for (const failure of FAILURES) {
    outcomes.push({ stage: 'session', failure, classification: null });
    for (const reason of REASONS)
      outcomes.push({ stage: 'session', failure, classification: classify(reason) });
  }
  for (const reason of REASONS) {
    for (const catchAll of catchAllOutcomes())
      outcomes.push({ stage: 'rcpt', classification: classify(reason), catchAll });
  }
  return outcomes;
}

describe('decideVerdict', () => {
  const all = everyOutcome();

  it('gives every outcome the status its reason carries', () => {
    for (const outcome of all) {
      const verdict = decideVerdict(outcome);
      expect(verdict.status, JSON.stringify(outcome)).toBe(REASON_STATUS[verdict.reason]);
    }
  });

  it('answers INVALID only with proof about the mailbox or the domain', () => {
    for (const outcome of all) {
      if (decideVerdict(outcome).status !== 'INVALID') continue;
      const proof =
        outcome.stage === 'syntax' ||
        (outcome.stage === 'dns' && ['domain_not_found', 'no_mx', 'null_mx'].includes(outcome.kind)) ||
        (outcome.stage === 'rcpt' &&
          'classification' in outcome &&
          outcome.classification.status === 'INVALID');
      expect(proof, JSON.stringify(outcome)).toBe(true);
    }
  });

  it('never turns a failure beside RCPT into INVALID or VALID', () => {
    for (const outcome of all.filter((candidate) => candidate.stage === 'session')) {
      expect(decideVerdict(outcome).status, JSON.stringify(outcome)).toBe('UNKNOWN');
    }
  });

  it('answers VALID only for an accepted mailbox at a domain that rejected a random one', () => {
    for (const outcome of all) {
      if (decideVerdict(outcome).status !== 'VALID') continue;
      expect(outcome).toMatchObject({
        stage: 'rcpt',
        classification: { reason: 'accepted' },
        catchAll: { kind: 'not_catch_all' },
      });
    }
  });

  it('maps the DNS stage', () => {
    const dns = (kind: Extract<StageOutcome, { stage: 'dns' }>['kind']) =>
      decideVerdict({ stage: 'dns', kind }).reason;
    expect(dns('domain_not_found')).toBe('domain_not_found');
    expect(dns('no_mx')).toBe('no_mx');
    expect(dns('null_mx')).toBe('null_mx');
    expect(dns('dns_error')).toBe('dns_error');
    expect(dns('mx_unresolvable')).toBe('connection_failed');
    expect(dns('unroutable')).toBe('unroutable_mx');
  });

  it('maps connection and session failures', () => {
    expect(decideVerdict({ stage: 'syntax' }).reason).toBe('invalid_syntax');
    expect(decideVerdict({ stage: 'connect', failure: 'timeout' }).reason).toBe('timeout');
    expect(decideVerdict({ stage: 'connect', failure: 'connection' }).reason).toBe('connection_failed');
    expect(decideVerdict({ stage: 'session', failure: 'timeout', classification: null }).reason).toBe(
      'timeout',
    );
    expect(decideVerdict({ stage: 'session', failure: 'connection', classification: null }).reason).toBe(
      'connection_failed',
    );
    expect(decideVerdict({ stage: 'session', failure: 'protocol', classification: null }).reason).toBe(
      'unexpected_response',
    );
    expect(
      decideVerdict({ stage: 'session', failure: 'reply', classification: classify('blocked') }).reason,
    ).toBe('blocked');
    expect(
      decideVerdict({ stage: 'session', failure: 'reply', classification: classify('rate_limited') }).reason,
    ).toBe('rate_limited');
    // A 550 to MAIL FROM says nothing about the recipient.
    expect(
      decideVerdict({ stage: 'session', failure: 'reply', classification: classify('mailbox_not_found') })
        .reason,
    ).toBe('unexpected_response');
  });

  it('treats a UTF-8 local part the server cannot take as UNKNOWN, not INVALID', () => {
    expect(decideVerdict({ stage: 'rcpt', skipped: 'smtputf8_unsupported' })).toEqual({
      status: 'UNKNOWN',
      reason: 'unexpected_response',
      retryAfterSeconds: null,
    });
  });

  it('decides accepted mailboxes by the catch-all probe', () => {
    const accepted = (catchAll: CatchAllOutcome) =>
      decideVerdict({ stage: 'rcpt', classification: classify('accepted'), catchAll });
    expect(accepted({ kind: 'not_catch_all' })).toMatchObject({ status: 'VALID', reason: 'accepted' });
    expect(accepted({ kind: 'catch_all' })).toMatchObject({ status: 'UNKNOWN', reason: 'catch_all' });
    expect(
      accepted({ kind: 'inconclusive', classification: classify('greylisted', 60), failure: null }),
    ).toEqual({
      status: 'UNKNOWN',
      reason: 'greylisted',
      retryAfterSeconds: 60,
    });
    expect(accepted({ kind: 'inconclusive', classification: null, failure: 'timeout' }).reason).toBe(
      'timeout',
    );
    expect(accepted({ kind: 'inconclusive', classification: null, failure: null }).reason).toBe(
      'unexpected_response',
    );
  });

  it('passes RCPT verdicts through, whatever the catch-all probe said', () => {
    for (const reason of REASONS.filter((candidate) => candidate !== 'accepted')) {
      for (const catchAll of [{ kind: 'catch_all' }, { kind: 'not_catch_all' }] as const) {
        expect(decideVerdict({ stage: 'rcpt', classification: classify(reason), catchAll }).reason).toBe(
          reason,
        );
      }
    }
  });

  it('gives greylisted results a retry hint, the server’s when it sent one', () => {
    const rcpt = (classification: Classification) =>
      decideVerdict({ stage: 'rcpt', classification, catchAll: { kind: 'not_catch_all' } });
    expect(rcpt(classify('greylisted')).retryAfterSeconds).toBe(DEFAULT_GREYLIST_RETRY_SECONDS);
    expect(rcpt(classify('greylisted', 120)).retryAfterSeconds).toBe(120);
    expect(rcpt(classify('rate_limited', 30)).retryAfterSeconds).toBe(30);
    expect(rcpt(classify('mailbox_not_found')).retryAfterSeconds).toBeNull();
  });

  it('reaches every reason of the vocabulary from some outcome', () => {
    const reached = new Set(all.map((outcome) => decideVerdict(outcome).reason));
    expect([...reached].sort()).toEqual([...REASONS].sort());
  });
});
