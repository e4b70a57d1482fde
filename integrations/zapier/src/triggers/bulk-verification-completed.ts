import {
  API_PATHS,
  type Job,
  jobPath,
  jobResultsPath,
  LenientJobCompletedEventSchema,
  LenientJobListSchema,
  LenientJobSchema,
  WebhookSubscriptionSchema,
  webhookPath,
} from '@mailprobe/core';
import { type Bundle, defineTrigger, type ZObject } from 'zapier-platform-core';
import { apiBaseUrl, callApi } from '../api.js';
import { resultsFile, resultsFileName } from '../results-file.js';

/** One finished job as a flat object; `id` (the job id) is what Zapier de-duplicates on. */
export interface CompletedBulkVerification {
  id: string;
  status: string;
  total: number;
  rows: number | null;
  done: number;
  valid_count: number;
  invalid_count: number;
  unknown_count: number;
  valid_percent: number;
  created_at: string;
  completed_at: string | null;
  /** A file pointer Zapier hydrates into the results CSV when a later step uses it. */
  results_file: string;
  results_file_name: string;
  results_url: string;
  status_url: string;
}

/** What `performSubscribe` keeps as `bundle.subscribeData`: the prober's subscription. */
export interface BulkVerificationSubscription {
  id: string;
  targetUrl: string;
}

/** Jobs `performList` shows as samples; a few recent ones are enough to map fields. */
const SAMPLE_JOBS = 3;
const PERCENT = 100;
const PERCENT_DECIMALS = 10;
const JOB_COMPLETED = 'job.completed';

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * PERCENT * PERCENT_DECIMALS) / PERCENT_DECIMALS;
}

/** Flattens a job for Zapier, with its results as a file, the counts per status and links to the API. */
export function flattenJob(z: ZObject, job: Job, baseUrl: string): CompletedBulkVerification {
  return {
    id: job.id,
    status: job.status,
    total: job.total,
    rows: job.rows ?? null,
    done: job.done,
    valid_count: job.counts.VALID,
    invalid_count: job.counts.INVALID,
    unknown_count: job.counts.UNKNOWN,
    valid_percent: percentOf(job.counts.VALID, job.done),
    created_at: job.createdAt,
    completed_at: job.completedAt,
    results_file: resultsFile(z, job.id),
    results_file_name: resultsFileName(job.id),
    results_url: `${baseUrl}${jobResultsPath(job.id)}`,
    status_url: `${baseUrl}${jobPath(job.id)}`,
  };
}

/** `POST /v1/webhooks`: subscribes Zapier's hook URL to `job.completed` of the connection's key. */
export async function subscribeBulkVerificationCompleted(
  z: ZObject,
  bundle: Bundle,
): Promise<BulkVerificationSubscription> {
  if (!bundle.targetUrl) {
    throw new z.errors.Error('Zapier gave no hook URL to subscribe.', 'missing_target_url', 400);
  }
  const subscription = await callApi(z, bundle, {
    method: 'POST',
    path: API_PATHS.webhooks,
    body: { targetUrl: bundle.targetUrl, events: [JOB_COMPLETED] },
    schema: WebhookSubscriptionSchema,
  });
  return { id: subscription.id, targetUrl: subscription.targetUrl };
}

/** `DELETE /v1/webhooks/{id}` of the subscription made by `subscribeBulkVerificationCompleted`. */
export async function unsubscribeBulkVerificationCompleted(
  z: ZObject,
  bundle: Bundle,
): Promise<BulkVerificationSubscription> {
  const id = bundle.subscribeData?.id;
  if (!id)
    throw new z.errors.Error('This Zap holds no Mailprobe subscription id.', 'missing_subscription', 400);
  const removed = await callApi(z, bundle, {
    method: 'DELETE',
    path: webhookPath(id),
    schema: WebhookSubscriptionSchema,
  });
  return { id: removed.id, targetUrl: removed.targetUrl };
}

/**
 * Turns a delivered `job.completed` event (`bundle.cleanedRequest`) into the trigger's output. Zapier's hook
 * receiver cannot check the Mailprobe-Signature header, so the delivery only says which job finished: the job
 * (status, counts) is read back from the connection's own endpoint with its key, and a forged or stale delivery
 * about another key's job or a job that does not exist fails there. Jobs that failed or were cancelled do not
 * trigger, like in `performList`.
 */
export async function performBulkVerificationCompleted(
  z: ZObject,
  bundle: Bundle,
): Promise<CompletedBulkVerification[]> {
  const event = LenientJobCompletedEventSchema.safeParse(bundle.cleanedRequest);
  if (!event.success) {
    throw new z.errors.Error(
      'Mailprobe sent something that is not a job.completed event; nothing to trigger on.',
      'invalid_event',
      400,
    );
  }
  const job = await callApi(z, bundle, {
    method: 'GET',
    path: jobPath(event.data.job.id),
    schema: LenientJobSchema,
  });
  if (job.status !== 'completed') return [];
  return [flattenJob(z, job, apiBaseUrl(z, bundle))];
}

/** Sample data: the most recent completed jobs (`GET /v1/jobs?status=completed`), in the shape of a delivery. */
export async function listBulkVerificationsCompleted(
  z: ZObject,
  bundle: Bundle,
): Promise<CompletedBulkVerification[]> {
  const page = await callApi(z, bundle, {
    method: 'GET',
    path: API_PATHS.jobs,
    params: { status: 'completed', limit: String(SAMPLE_JOBS) },
    schema: LenientJobListSchema,
  });
  const baseUrl = apiBaseUrl(z, bundle);
  return page.jobs.map((job) => flattenJob(z, job, baseUrl));
}

const SAMPLE_JOB_ID = 'job_01HZX7Q4W8M1V3T6B9N2C5D8F0';

export const bulkVerificationCompleted = defineTrigger({
  key: 'bulk_verification_completed',
  noun: 'Bulk Verification',
  display: {
    label: 'Bulk Verification Completed',
    description:
      'Triggers instantly when a bulk verification job (e.g. one started by "Start Bulk Verification") has finished, with its results as a CSV file.',
  },
  operation: {
    type: 'hook',
    performSubscribe: subscribeBulkVerificationCompleted,
    performUnsubscribe: unsubscribeBulkVerificationCompleted,
    perform: performBulkVerificationCompleted,
    performList: listBulkVerificationsCompleted,
    outputFields: [
      { key: 'id', label: 'Job ID', type: 'string' },
      { key: 'status', label: 'Job Status', type: 'string' },
      { key: 'total', label: 'Addresses', type: 'integer' },
      { key: 'rows', label: 'Rows (One Result Each)', type: 'integer' },
      { key: 'done', label: 'Addresses Verified', type: 'integer' },
      { key: 'valid_count', label: 'Valid', type: 'integer' },
      { key: 'invalid_count', label: 'Invalid', type: 'integer' },
      { key: 'unknown_count', label: 'Unknown', type: 'integer' },
      { key: 'valid_percent', label: 'Valid (%)', type: 'number' },
      { key: 'created_at', label: 'Started At', type: 'datetime' },
      { key: 'completed_at', label: 'Completed At', type: 'datetime' },
      { key: 'results_file', label: 'Results File (CSV)', type: 'file' },
      { key: 'results_file_name', label: 'Results File Name', type: 'string' },
      { key: 'results_url', label: 'Results URL (API; needs your API key)', type: 'string' },
      { key: 'status_url', label: 'Job Status URL (API; needs your API key)', type: 'string' },
    ],
    sample: {
      id: SAMPLE_JOB_ID,
      status: 'completed',
      total: 250,
      rows: 252,
      done: 250,
      valid_count: 198,
      invalid_count: 31,
      unknown_count: 21,
      valid_percent: 79.2,
      created_at: '2025-01-01T10:00:00.000Z',
      completed_at: '2025-01-01T10:04:12.000Z',
      results_file: `https://zapier-dev-files.s3.amazonaws.com/cli-platform/mailprobe-${SAMPLE_JOB_ID}-results.csv`,
      results_file_name: `mailprobe-${SAMPLE_JOB_ID}-results.csv`,
      results_url: `https://api.mailprobe.dev/v1/jobs/${SAMPLE_JOB_ID}/results`,
      status_url: `https://api.mailprobe.dev/v1/jobs/${SAMPLE_JOB_ID}`,
    },
  },
});
