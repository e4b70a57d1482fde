import {
  API_PATHS,
  type Job,
  JobListSchema,
  jobPath,
  jobResultsPath,
  MAX_JOB_LIST_LIMIT,
} from '@mailprobe/core';
import { type Bundle, defineTrigger, type ZObject } from 'zapier-platform-core';
import { apiBaseUrl, callApi } from '../api.js';

/** One finished job as a flat object; `id` (the job id) is what Zapier de-duplicates on. */
export interface CompletedBulkVerification {
  id: string;
  status: string;
  total: number;
  done: number;
  valid_count: number;
  invalid_count: number;
  unknown_count: number;
  valid_percent: number;
  created_at: string;
  completed_at: string | null;
  results_url: string;
  status_url: string;
}

const PERCENT = 100;
const PERCENT_DECIMALS = 10;

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * PERCENT * PERCENT_DECIMALS) / PERCENT_DECIMALS;
}

/** Flattens a job of `GET /v1/jobs` for Zapier, with links to its status and results. */
export function flattenJob(job: Job, baseUrl: string): CompletedBulkVerification {
  return {
    id: job.id,
    status: job.status,
    total: job.total,
    done: job.done,
    valid_count: job.counts.VALID,
    invalid_count: job.counts.INVALID,
    unknown_count: job.counts.UNKNOWN,
    valid_percent: percentOf(job.counts.VALID, job.done),
    created_at: job.createdAt,
    completed_at: job.completedAt,
    results_url: `${baseUrl}${jobResultsPath(job.id)}`,
    status_url: `${baseUrl}${jobPath(job.id)}`,
  };
}

/** Polls `GET /v1/jobs?status=completed` (newest first, one full page); Zapier fires once per new job id. */
export async function performBulkVerificationCompleted(
  z: ZObject,
  bundle: Bundle,
): Promise<CompletedBulkVerification[]> {
  const page = await callApi(z, bundle, {
    method: 'GET',
    path: API_PATHS.jobs,
    params: { status: 'completed', limit: String(MAX_JOB_LIST_LIMIT) },
    schema: JobListSchema,
  });
  const baseUrl = apiBaseUrl(z, bundle);
  return page.jobs.map((job) => flattenJob(job, baseUrl));
}

export const bulkVerificationCompleted = defineTrigger({
  key: 'bulk_verification_completed',
  noun: 'Bulk Verification',
  display: {
    label: 'Bulk Verification Completed',
    description:
      'Triggers when a bulk verification job (e.g. one started by "Start Bulk Verification") has finished.',
  },
  operation: {
    type: 'polling',
    perform: performBulkVerificationCompleted,
    outputFields: [
      { key: 'id', label: 'Job ID', type: 'string' },
      { key: 'status', label: 'Job Status', type: 'string' },
      { key: 'total', label: 'Addresses', type: 'integer' },
      { key: 'done', label: 'Addresses Verified', type: 'integer' },
      { key: 'valid_count', label: 'Valid', type: 'integer' },
      { key: 'invalid_count', label: 'Invalid', type: 'integer' },
      { key: 'unknown_count', label: 'Unknown', type: 'integer' },
      { key: 'valid_percent', label: 'Valid (%)', type: 'number' },
      { key: 'created_at', label: 'Started At', type: 'datetime' },
      { key: 'completed_at', label: 'Completed At', type: 'datetime' },
      { key: 'results_url', label: 'Results URL (API; send your API key)', type: 'string' },
      { key: 'status_url', label: 'Job Status URL (API)', type: 'string' },
    ],
    sample: {
      id: 'job_01HZX7Q4W8M1V3T6B9N2C5D8F0',
      status: 'completed',
      total: 250,
      done: 250,
      valid_count: 198,
      invalid_count: 31,
      unknown_count: 21,
      valid_percent: 79.2,
      created_at: '2025-01-01T10:00:00.000Z',
      completed_at: '2025-01-01T10:04:12.000Z',
      results_url: 'https://api.mailprobe.dev/v1/jobs/job_01HZX7Q4W8M1V3T6B9N2C5D8F0/results',
      status_url: 'https://api.mailprobe.dev/v1/jobs/job_01HZX7Q4W8M1V3T6B9N2C5D8F0',
    },
  },
});
