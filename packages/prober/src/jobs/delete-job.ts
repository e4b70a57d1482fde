import type { ProberContext } from '../http/context.js';
import type { JobRecord } from '../stores/types.js';
import { cancelJob } from './cancel-job.js';
import { FINAL_STATES } from './job-view.js';

/**
 * Deletes a job in any state with its rows, addresses, results and request fingerprint (personal data); a queued
 * or running job is cancelled first, so what it never verified goes back to the quota. Answers the job as it was last.
 */
export async function deleteJob(context: ProberContext, job: JobRecord): Promise<JobRecord> {
  if (!FINAL_STATES.includes(job.state)) await cancelJob(context, job);
  const last = (await context.stores.jobs.getJob(job.id)) ?? job;
  await context.stores.jobs.deleteJob(job.id);
  return last;
}
