import type { ProberContext } from '../http/context.js';
import type { JobRecord } from '../stores/types.js';

export type CancelOutcome = 'cancelled' | 'ended';

/**
 * Cancels a queued or running job and gives back to its key's quota what was never verified; a job cancelled
 * already stays so. `ended` when the job had already completed or failed.
 */
export async function cancelJob(context: ProberContext, job: JobRecord): Promise<CancelOutcome> {
  if (job.state === 'cancelled') return 'cancelled';
  if (!(await context.stores.jobs.setState(job.id, 'cancelled', ['queued', 'running']))) return 'ended';
  context.metrics.jobsFinished.inc({ state: 'cancelled' });
  context.webhooks.deliver(job.id);
  const latest = (await context.stores.jobs.getJob(job.id)) ?? job;
  // Addresses a racing "finish now" already closed as not_checked were never verified either.
  const unverified = latest.total - latest.done + latest.notChecked;
  if (unverified > 0) await context.stores.keys.refund(job.keyId, unverified);
  return 'cancelled';
}
