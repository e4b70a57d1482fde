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

/** The result an open item keeps when its job is finished now: its latest, or `not_checked` when never probed. */
function finalResultOf(item: UnfinishedItem): VerificationResult {
  if (item.result) return item.result;
  // Malformed addresses were answered at upload; every open item parses.
  const parsed = parseAddress(item.address);
  const { normalized, domain } = parsed.ok ? parsed.address : { normalized: null, domain: null };
  return notCheckedResult(item.address, normalized, domain);
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
  // Counted from what the store really recorded: an item a worker settled meanwhile is neither overwritten nor
  // given back.
  let notChecked = 0;
  let from: number | null = 0;
  while (from !== null) {
    const page: Awaited<ReturnType<typeof jobs.unfinishedItems>> = await jobs.unfinishedItems(
      job.id,
      from,
      FINISH_PAGE_SIZE,
    );
    const final = (item: UnfinishedItem): ItemResult => ({
      index: item.index,
      result: finalResultOf(item),
      attempt: FINISH_ATTEMPT,
      final: true,
    });
    await jobs.recordResults(job.id, page.items.filter((item) => item.result !== null).map(final));
    notChecked += await jobs.recordResults(
      job.id,
      page.items.filter((item) => item.result === null).map(final),
    );
    from = page.nextIndex;
    await yieldToEventLoop();
  }
  const completedHere = await jobs.completeIfDone(job.id, new Date().toISOString());
  const latest = completedHere ? null : await jobs.getJob(job.id);
  // A cancel that won the race gave back everything never verified, not_checked included: giving back again
  // would make work free.
  if (!completedHere && latest?.state !== 'completed') return 'ended';
  if (notChecked > 0) await keys.refund(job.keyId, notChecked);
  if (completedHere) {
    context.metrics.jobProgress.remove({ job: job.id });
    context.metrics.jobsFinished.inc({ state: 'completed' });
    context.webhooks.deliver(job.id);
  }
  // Otherwise a worker recorded the last result meanwhile and completed the job itself.
  return 'finished';
}
