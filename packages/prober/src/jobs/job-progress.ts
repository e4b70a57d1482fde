import type { JobProgress } from '@mailprobe/core';
import type { JobRecord } from '../stores/types.js';

const MS_PER_SECOND = 1000;
/** Rates are shown to three decimals (a slow job still shows a non-zero rate). */
const RATE_DECIMALS = 1000;

/**
 * A job's progress as API v1 shows it, at `now` (epoch ms). Addresses waiting for a scheduled re-probe are never
 * counted as work to do: the time left covers only what can run now, and neither rate nor time left is given
 * while nothing can run.
 */
export function jobProgress(record: JobRecord, now: number): JobProgress {
  const live = record.state === 'queued' || record.state === 'running';
  if (!live) return { waiting: 0, nextRetryAt: null, etaSeconds: null, ratePerSecond: null };
  const waiting = Math.min(record.waiting, Math.max(0, record.total - record.done));
  const nextRetryAt =
    waiting > 0 && record.nextRetryAt !== null ? new Date(record.nextRetryAt).toISOString() : null;
  const runnable = record.total - record.done - waiting;
  const elapsedSeconds = record.startedAt === null ? 0 : (now - record.startedAt) / MS_PER_SECOND;
  // Everything probed so far, final or waiting, was work done since the first chunk started.
  const probed = record.done + waiting;
  if (runnable <= 0 || elapsedSeconds <= 0 || probed === 0) {
    return { waiting, nextRetryAt, etaSeconds: null, ratePerSecond: null };
  }
  const rate = probed / elapsedSeconds;
  return {
    waiting,
    nextRetryAt,
    etaSeconds: Math.ceil(runnable / rate),
    ratePerSecond: Math.round(rate * RATE_DECIMALS) / RATE_DECIMALS,
  };
}
