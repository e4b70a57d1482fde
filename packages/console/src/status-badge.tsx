import type { Status } from '@mailprobe/core';

const SYMBOL: Record<Status, string> = { VALID: '✓', INVALID: '✗', UNKNOWN: '?' };

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span class={`badge badge-${status.toLowerCase()}`} data-status={status}>
      <span aria-hidden="true">{SYMBOL[status]}</span> {status}
    </span>
  );
}
