import { parseAddress, syntaxErrorResult } from '@mailprobe/core';
import { ProberError } from '../errors.js';
import type { ItemResult, JobQueue, JobRecord, JobStore, KeyStore, NewJobItem } from '../stores/types.js';
import { ChunkPlanner } from './chunk-planner.js';
import { EventLoopTurn } from './event-loop-turn.js';
import type { UploadRows } from './upload-rows.js';

/** Items the planner may hold before it packs and enqueues what it has, bounding memory for huge uploads. */
const PLANNER_MAX_BUFFERED = 50_000;
/** Chunks handed to the queue per call once the upload is accepted. */
const ENQUEUE_PAGE = 1000;

export interface IngestOptions {
  jobs: JobStore;
  queue: JobQueue;
  keys: KeyStore;
  jobId: string;
  keyId: string;
  chunkSize: number;
  batchSize: number;
  maxAddresses: number;
  /** The upload's lease (see `renewIngestLease`), renewed every third of it while addresses stream in. */
  leaseMs: number;
  /** Aborted when the upload will not arrive whole (timed out, connection gone): the job fails, never sealed. */
  signal?: AbortSignal;
}

/** Renewals per lease period, so one late renewal does not let the lease lapse. */
const LEASE_RENEWALS_PER_PERIOD = 3;

function leaseExpired(): ProberError {
  return new ProberError(
    'unavailable',
    'the upload stalled past its lease and the job was given up; retry',
    503,
  );
}

interface Batch {
  items: NewJobItem[];
  domains: Array<string | null>;
}

/**
 * Streams an upload's rows into a job: every row kept (with its own cells), its address de-duplicated in the store
 * batch by batch (verified once, answered on every row), malformed ones recorded at once as INVALID
 * `invalid_syntax`, the rest grouped per domain into chunks. Holds only the chunks' index lists, never the rows.
 * The quota is charged per distinct address as it is accepted. Nothing is verified before the whole upload is
 * accepted: the chunks reach the queue only when the job is sealed. On any failure the job is marked failed, the
 * charge refunded (no work was done), its rows deleted at once (personal data), and the error rethrown.
 */
export async function ingestJob(options: IngestOptions, upload: UploadRows): Promise<JobRecord> {
  const planner = new ChunkPlanner(options.chunkSize, PLANNER_MAX_BUFFERED);
  let accepted = 0;
  let charged = 0;
  let batch: Batch = { items: [], domains: [] };
  const planned: number[][] = [];
  const turn = new EventLoopTurn();

  let leaseLost = false;
  const renew = setInterval(() => {
    options.jobs.renewIngestLease(options.jobId, Date.now() + options.leaseMs).then(
      (alive) => {
        if (!alive) leaseLost = true;
      },
      () => {},
    );
  }, options.leaseMs / LEASE_RENEWALS_PER_PERIOD);
  const checkLease = () => {
    if (options.signal?.aborted) throw options.signal.reason;
    if (leaseLost) throw leaseExpired();
  };

  const writeBatch = async (current: Batch) => {
    checkLease();
    if (current.items.length === 0) return;
    const added = await options.jobs.appendItems(options.jobId, current.items);
    accepted += added.length;
    if (accepted > options.maxAddresses) {
      throw new ProberError(
        'payload_too_large',
        `a job holds at most ${options.maxAddresses} distinct addresses`,
        413,
      );
    }
    if (added.length > 0) {
      if (!(await options.keys.consume(options.keyId, added.length))) {
        throw new ProberError(
          'quota_exceeded',
          'this job needs more verifications than the key has left',
          429,
        );
      }
      charged += added.length;
    }
    const syntaxResults: ItemResult[] = [];
    const domainOf = new Map(
      current.items.map((item, position) => [item.address, current.domains[position]]),
    );
    for (const item of added) {
      const domain = domainOf.get(item.address);
      if (domain === null || domain === undefined) {
        const parsed = parseAddress(item.address);
        if (!parsed.ok) {
          syntaxResults.push({
            index: item.index,
            result: syntaxErrorResult(item.address, parsed.error),
            attempt: 0,
            final: true,
          });
        }
        continue;
      }
      for (const chunk of planner.add(domain, item.index)) planned.push(chunk);
    }
    await options.jobs.recordResults(options.jobId, syntaxResults);
  };

  let rows = 0;
  try {
    for await (const { input: address, cells, raw } of upload.rows) {
      rows += 1;
      // The raw text of a CSV record is what its results write back; its cells are only for choosing the column.
      const own = raw ?? cells;
      if (address.trim() === '') {
        // A blank address cell: the row stays (with an empty verdict), nothing is verified or charged.
        batch.items.push({ address, dedupKey: '', cells: own });
        batch.domains.push(null);
      } else {
        const parsed = parseAddress(address);
        batch.items.push({
          address,
          dedupKey: parsed.ok ? parsed.address.normalized : address.trim(),
          cells: own,
        });
        batch.domains.push(parsed.ok ? parsed.address.domain : null);
      }
      if (batch.items.length >= options.batchSize) {
        await writeBatch(batch);
        batch = { items: [], domains: [] };
      }
      await turn.yieldIfDue();
    }
    await writeBatch(batch);
    if (rows === 0) throw new ProberError('bad_request', 'the job holds no rows', 400);
    if (accepted === 0) {
      throw new ProberError('bad_request', `the address cell is blank in every row (${rows} rows)`, 400);
    }
    for (const chunk of planner.flush()) planned.push(chunk);
    // Accepted: the work is queued now, before the seal, so a node dying in between leaves an ingesting job that
    // the sweeper fails (its chunks are then dropped), never a sealed job without chunks. Workers leave the
    // chunks of a job still ingesting alone (they are announced once it is sealed).
    for (let from = 0; from < planned.length; from += ENQUEUE_PAGE) {
      checkLease();
      const page = planned.slice(from, from + ENQUEUE_PAGE);
      await options.queue.enqueue(
        page.map((indexes) => ({ jobId: options.jobId, indexes, attempt: 0 })),
        { quiet: true },
      );
      await turn.yieldIfDue();
    }
    checkLease();
    const sealed = await options.jobs.sealJob(options.jobId, upload.columns(), upload.details());
    if (sealed.state === 'failed') throw leaseExpired();
    // Workers wake now, not at the enqueue: one woken before the seal would find the job still ingesting and
    // put its chunk back for later. Were the store unable to tell them, their next poll finds the work.
    if (planned.length > 0) await options.queue.announce().catch(() => {});
    await options.jobs.completeIfDone(options.jobId, new Date().toISOString());
    return (await options.jobs.getJob(options.jobId)) ?? sealed;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const failedHere = await options.jobs.setState(options.jobId, 'failed', ['ingesting'], message);
    // Nothing of a rejected upload is verified, so nothing of it is charged. (A job the sweeper failed first is
    // refunded by the sweeper.)
    if (failedHere && charged > 0) await options.keys.refund(options.keyId, charged);
    // Its rows are personal data kept for nothing: gone at once (also what raced in after a sweeper's failure).
    // If the store is unreachable now, the retention sweep removes them later.
    await options.jobs.discardUpload(options.jobId).catch(() => {});
    throw error;
  } finally {
    clearInterval(renew);
  }
}
