import { type Reason, type Status, statusOf } from '@mailprobe/core';
import { DEFAULT_GREYLIST_RETRY_SECONDS } from './smtp/index.js';

/** What the reply classifier (smtp/) said about one reply. */
export interface Classification {
  status: Status;
  reason: Reason;
  retryAfterSeconds?: number;
}

/** How an SMTP session broke, when it did. */
export type SessionFailureKind = 'timeout' | 'connection' | 'protocol' | 'reply';

/** What the catch-all probe (a random local part at the same domain) told us. */
export type CatchAllOutcome =
  | { kind: 'catch_all' }
  | { kind: 'not_catch_all' }
  /** The probe was not answered clearly: a 4xx, a refusal of us, or the session ended. */
  | { kind: 'inconclusive'; classification: Classification | null; failure: SessionFailureKind | null };

/** The stage where verification stopped, and what that stage found. Stages short-circuit in this order. */
export type StageOutcome =
  | { stage: 'syntax' }
  | {
      stage: 'dns';
      kind: 'domain_not_found' | 'no_mx' | 'null_mx' | 'dns_error' | 'mx_unresolvable' | 'unroutable';
    }
  | { stage: 'connect'; failure: 'timeout' | 'connection' }
  /** The session failed before or beside RCPT (greeting, EHLO, STARTTLS, MAIL) — nothing said about the mailbox. */
  | { stage: 'session'; failure: SessionFailureKind; classification: Classification | null }
  | { stage: 'rcpt'; skipped: 'smtputf8_unsupported' }
  | { stage: 'rcpt'; classification: Classification; catchAll: CatchAllOutcome };

export interface Verdict {
  status: Status;
  reason: Reason;
  retryAfterSeconds: number | null;
}

// The classifier's own fallback, used when it sent a greylisted classification without a hint.
export { DEFAULT_GREYLIST_RETRY_SECONDS };

const FAILURE_REASON: Record<SessionFailureKind, Reason> = {
  timeout: 'timeout',
  connection: 'connection_failed',
  protocol: 'unexpected_response',
  reply: 'unexpected_response',
};

function verdictOf(reason: Reason, retryAfterSeconds: number | null = null): Verdict {
  return { status: statusOf(reason), reason, retryAfterSeconds };
}

function fromClassification(classification: Classification): Verdict {
  const { reason } = classification;
  if (reason === 'greylisted') {
    return verdictOf(reason, classification.retryAfterSeconds ?? DEFAULT_GREYLIST_RETRY_SECONDS);
  }
  return verdictOf(reason, classification.retryAfterSeconds ?? null);
}

/** A failure beside RCPT is about us or the server, never proof about the mailbox: never INVALID. */
function unknownOnly(verdict: Verdict): Verdict {
  return verdict.status === 'UNKNOWN' ? verdict : verdictOf('unexpected_response');
}

function fromFailure(classification: Classification | null, failure: SessionFailureKind | null): Verdict {
  if (classification) return unknownOnly(fromClassification(classification));
  return verdictOf(failure ? FAILURE_REASON[failure] : 'unexpected_response');
}

/** The one pure function from stage outcomes to the verdict. INVALID only with proof about mailbox or domain. */
export function decideVerdict(outcome: StageOutcome): Verdict {
  switch (outcome.stage) {
    case 'syntax':
      return verdictOf('invalid_syntax');
    case 'dns':
      switch (outcome.kind) {
        case 'mx_unresolvable':
          return verdictOf('connection_failed');
        case 'unroutable':
          return verdictOf('unroutable_mx');
        default:
          return verdictOf(outcome.kind);
      }
    case 'connect':
      return verdictOf(FAILURE_REASON[outcome.failure]);
    case 'session':
      return fromFailure(outcome.classification, outcome.failure);
    case 'rcpt': {
      if ('skipped' in outcome) return verdictOf('unexpected_response');
      const { classification, catchAll } = outcome;
      if (classification.reason !== 'accepted') return fromClassification(classification);
      switch (catchAll.kind) {
        case 'not_catch_all':
          return verdictOf('accepted');
        case 'catch_all':
          return verdictOf('catch_all');
        case 'inconclusive':
          return fromFailure(catchAll.classification, catchAll.failure);
      }
    }
  }
}
