import type { Reason, Status } from '@mailprobe/core';

/** What was learned about one address, from the endpoint or the offline checks. */
export interface Verdict {
  address: string;
  status: Status;
  /** From core's vocabulary; null when offline checks passed (there is no probe reason to give). */
  reason: Reason | null;
  suggestion: string | null;
  /** One line saying what the verdict means. */
  detail: string;
  /** The deciding SMTP reply or DNS answer, when there is one. */
  evidence: string | null;
}

/** Verifies distinct addresses; verdicts come back in input order. */
export interface Verifier {
  readonly mode: 'probe' | 'offline';
  /** Fails fast (unreachable endpoint, bad key) before any address is sent. */
  check(): Promise<void>;
  verify(addresses: readonly string[]): Promise<Verdict[]>;
}
