import type { CreateJobResponse, Job, JobAddressCounts, JobRowCounts, JobStatus } from '@mailprobe/core';
import type { JobRecord, JobState } from '../stores/types.js';
import { jobProgress } from './job-progress.js';

/**
 * A job's distinct addresses with a final result, by outcome: risky is UNKNOWN `catch_all`, unknown the other
 * UNKNOWNs.
 */
export function addressCounts(record: JobRecord): JobAddressCounts {
  return {
    deliverable: record.counts.VALID,
    undeliverable: record.counts.INVALID,
    risky: record.risky,
    unknown: Math.max(0, record.counts.UNKNOWN - record.risky),
  };
}

/**
 * A job's rows by outcome, from its counters alone (no row is read): each address is counted on the first row
 * holding it, so the verdict buckets are the address counts; blank rows are `skipped`; every other row repeats an
 * earlier address (`rows - total - blank`); the rest waits for its address's result.
 */
export function rowCounts(record: JobRecord): JobRowCounts {
  const addresses = addressCounts(record);
  const skipped = record.blank;
  const duplicate = Math.max(0, record.rows - record.total - record.blank);
  const finished = addresses.deliverable + addresses.undeliverable + addresses.risky + addresses.unknown;
  return {
    ...addresses,
    skipped,
    duplicate,
    pending: Math.max(0, record.rows - finished - skipped - duplicate),
  };
}

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
    fileName: record.fileName,
    column: record.column,
    rowCounts: rowCounts(record),
    addressCounts: addressCounts(record),
    progress: jobProgress(record, now),
  };
}

/** The answer to an accepted upload (202): the job's id, status and sizes. */
export function toCreatedJob(record: JobRecord): CreateJobResponse {
  return { id: record.id, status: toApiJob(record).status, total: record.total, rows: record.rows };
}

/** States a job never leaves. */
export const FINAL_STATES: readonly JobState[] = ['completed', 'cancelled', 'failed'];
