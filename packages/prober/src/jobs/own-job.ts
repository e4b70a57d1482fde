import { ProberError } from '../errors.js';
import type { JobRecord, JobStore } from '../stores/types.js';

/**
 * The job `id` of the key `keyId`, or 404: another key's job, and a job still being uploaded, are indistinguishable
 * from a missing one.
 */
export async function ownJob(jobs: JobStore, keyId: string, id: string): Promise<JobRecord> {
  const job = await jobs.getJob(id);
  if (!job || job.keyId !== keyId || job.state === 'ingesting') {
    throw new ProberError('not_found', `no job ${id}`, 404);
  }
  return job;
}
