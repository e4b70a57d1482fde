import type { Reason, Status } from '@mailprobe/core';
import { VERDICT_LABELS, verdictOf } from './verdict.js';

const SYMBOL = { send: '✓', dont_send: '✗', risky: '!', try_later: '?' } as const;

/** The verdict in plain words ("Safe to send", "Don't send", "Risky", "Try later"), with the status as data. */
export function VerdictBadge({ status, reason }: { status: Status; reason: Reason }) {
  const verdict = verdictOf(status, reason);
  return (
    <span class={`badge verdict-badge-${verdict}`} data-status={status} data-verdict={verdict}>
      <span aria-hidden="true">{SYMBOL[verdict]}</span> {VERDICT_LABELS[verdict]}
    </span>
  );
}
