import type { Job, JobStatus } from '@mailprobe/core';
import type { JobRecord, JobState } from '../stores/types.js';
import { jobProgress } from './job-progress.js';

/** A job as API v1 shows it (its progress at `now`); a job still being uploaded reads as queued. */
export function toApiJob(record: JobRecord, now: number = Date.now()): Job {
  const status: JobStatus = record.state === 'ingesting' ? 'queued' : record.state;
  return {
    id: record.id,
    status,
    total: record.total,
    rows: record.rows,
    done: record.done,
    counts: record.counts,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    completedAt: record.completedAt,
    callbackUrl: record.callbackUrl,
    error: record.error,
    progress: jobProgress(record, now),
  };
}

/** States a job never leaves. */
export const FINAL_STATES: readonly JobState[] = ['completed', 'cancelled', 'failed'];
