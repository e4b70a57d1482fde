import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { notCheckedResult, parseAddress, type VerificationResult } from '@mailprobe/core';
import type { ProberContext } from '../http/context.js';
import type { ItemResult, JobRecord, UnfinishedItem } from '../stores/types.js';

/** Items looked at per step; the event loop gets a turn between steps. */
const FINISH_PAGE_SIZE = 1000;
/**
 * The attempt finishing writes at: beyond any re-probe, so it takes precedence over an open (greylisted) result,
 * while a final result recorded meanwhile by a worker is still left alone (the stores' record rule).
 */
export const FINISH_ATTEMPT = 2 ** 30;

export type FinishOutcome = 'finished' | 'already_completed' | 'ended';

/** The result an open item keeps when its job is finished now; `probed` false when it was never probed. */
function finalResultOf(item: UnfinishedItem): { result: VerificationResult; probed: boolean } {
  if (item.result) return { result: item.result, probed: true };
  // Malformed addresses were answered at upload; every open item parses.
  const parsed = parseAddress(item.address);
  const { normalized, domain } = parsed.ok ? parsed.address : { normalized: null, domain: null };
  return { result: notCheckedResult(item.address, normalized, domain), probed: false };
}

/**
 * "Finish now": a queued or running job completes at once with what it has. Addresses waiting for a re-probe keep
 * their latest result (e.g. UNKNOWN `greylisted`); addresses never probed get UNKNOWN `not_checked` and are given
 * back to the key's quota. Worked through in bounded steps.
 */
export async function finishJob(context: ProberContext, job: JobRecord): Promise<FinishOutcome> {
  if (job.state === 'completed') return 'already_completed';
  if (job.state !== 'queued' && job.state !== 'running') return 'ended';
  const { jobs, keys } = context.stores;
  let notProbed = 0;
  let from: number | null = 0;
  while (from !== null) {
    const page: Awaited<ReturnType<typeof jobs.unfinishedItems>> = await jobs.unfinishedItems(
      job.id,
      from,
      FINISH_PAGE_SIZE,
    );
    const results: ItemResult[] = page.items.map((item) => {
      const { result, probed } = finalResultOf(item);
      if (!probed) notProbed += 1;
      return { index: item.index, result, attempt: FINISH_ATTEMPT, final: true };
    });
    await jobs.recordResults(job.id, results);
    from = page.nextIndex;
    await yieldToEventLoop();
  }
  if (notProbed > 0) await keys.refund(job.keyId, notProbed);
  if (await jobs.completeIfDone(job.id, new Date().toISOString())) {
    context.metrics.jobProgress.remove({ job: job.id });
    context.metrics.jobsFinished.inc({ state: 'completed' });
    context.webhooks.deliver(job.id);
    return 'finished';
  }
  // A worker recorded the last result meanwhile and completed the job itself; a cancel that raced this ends it too.
  const latest = await jobs.getJob(job.id);
  return latest?.state === 'completed' ? 'finished' : 'ended';
}
