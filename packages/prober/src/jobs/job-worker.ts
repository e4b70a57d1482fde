import { setMaxListeners } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseAddress, type VerificationResult } from '@mailprobe/core';
import type { Engine } from '@mailprobe/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { ProberConfig } from '../config.js';
import type { ProberMetrics } from '../metrics.js';
import type { ClaimedChunk, ItemResult, JobQueue, JobStore } from '../stores/types.js';
import type { VerificationService } from '../verification-service.js';
import { FINAL_STATES } from './job-view.js';
import { pause } from './pause.js';

/** Results are written in groups of this many (or when the chunk ends), so a crash loses little work. */
const RESULT_FLUSH_SIZE = 25;
/** How often a running chunk checks whether its job was cancelled. */
const CANCEL_CHECK_MS = 1000;
const LISTENER_HEADROOM = 10;

export interface JobWorkerOptions {
  jobs: JobStore;
  queue: JobQueue;
  engine: Engine;
  service: VerificationService;
  metrics: ProberMetrics;
  config: ProberConfig['jobs'];
  nodeId: string;
  log: FastifyBaseLogger;
  /** Called once for each job this node saw reach a final state. */
  onJobFinished: (jobId: string) => void;
}

/**
 * Runs `concurrency` loops that claim chunks from the queue and hand each whole chunk (one domain group) to
 * `engine.verifyMany`. Results are recorded idempotently as they arrive; greylisted addresses go back into the
 * queue with a delay until their retries are spent; whoever records the last final result completes the job.
 */
export class JobWorker {
  /** Aborts the chunks in flight. */
  private readonly controller = new AbortController();
  /** Stops claiming new chunks (a drain lets the ones in flight finish). */
  private readonly claiming = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(private readonly options: JobWorkerOptions) {}

  start(): void {
    // Every chunk in flight links its own signal to this one.
    setMaxListeners(this.options.config.concurrency * 2 + LISTENER_HEADROOM, this.controller.signal);
    for (let slot = 0; slot < this.options.config.concurrency; slot += 1) {
      this.loops.push(this.loop(`${this.options.nodeId}#${slot}`));
    }
  }

  /**
   * Stops claiming; chunks in flight may finish for up to `drainMs`, then the rest are aborted and their leases
   * handed back to the queue at once, so another node (or the next start) takes them without waiting for expiry.
   */
  async close(options: { drainMs?: number } = {}): Promise<void> {
    this.claiming.abort();
    const loops = Promise.allSettled(this.loops);
    const drainMs = options.drainMs ?? 0;
    if (drainMs > 0 && !this.controller.signal.aborted) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([loops, new Promise((resolve) => (timer = setTimeout(resolve, drainMs)))]);
      clearTimeout(timer);
    }
    this.controller.abort();
    await loops;
    this.loops = [];
  }

  private async loop(consumer: string): Promise<void> {
    const { signal } = this.controller;
    const claiming = this.claiming.signal;
    while (!claiming.aborted) {
      let chunk: ClaimedChunk | null = null;
      try {
        chunk = await this.options.queue.claim(consumer, this.options.config.leaseMs);
      } catch (error) {
        if (signal.aborted) return;
        this.options.log.error({ err: error }, 'queue claim failed');
      }
      if (!chunk) {
        await pause(this.options.config.pollIntervalMs, claiming);
        continue;
      }
      try {
        await this.process(chunk, consumer);
      } catch (error) {
        if (signal.aborted) {
          await this.handBack(chunk);
          return;
        }
        // Not acknowledged: the lease runs out and the chunk is claimed again.
        this.options.log.error({ err: error, jobId: chunk.message.jobId }, 'chunk failed');
      }
      // The embedded store answers without I/O: chunks that end at once (a cancelled job's, one put back while its
      // upload is sealed) would otherwise follow each other without ever letting the event loop turn.
      await nextTurn();
    }
  }

  /** Gives an aborted chunk's lease back (results already recorded stay; the rest is probed again). */
  private async handBack(chunk: ClaimedChunk): Promise<void> {
    try {
      await this.options.queue.release(chunk);
      this.options.log.info({ jobId: chunk.message.jobId }, 'chunk handed back');
    } catch (error) {
      // The lease still runs out, just later.
      this.options.log.warn({ err: error, jobId: chunk.message.jobId }, 'could not hand a chunk back');
    }
  }

  private async process(chunk: ClaimedChunk, consumer: string): Promise<void> {
    const { jobs, queue, config } = this.options;
    const { jobId, indexes, attempt } = chunk.message;
    const job = await jobs.getJob(jobId);
    if (!job || FINAL_STATES.includes(job.state)) {
      await queue.ack(chunk);
      return;
    }
    if (job.state === 'ingesting') {
      // Queued just before its seal: nothing of an upload is verified until it is accepted. Look again shortly.
      await queue.enqueue([chunk.message], { delayMs: config.pollIntervalMs });
      await queue.ack(chunk);
      return;
    }
    const items = await jobs.pendingItems(jobId, indexes, attempt);
    const chunkController = new AbortController();
    const signal = AbortSignal.any([this.controller.signal, chunkController.signal]);
    let cancelled = false;
    const heartbeat = setInterval(() => {
      queue.heartbeat(chunk, consumer).catch(() => {});
    }, config.leaseMs / 3);
    const cancelCheck = setInterval(() => {
      jobs
        .getJob(jobId)
        .then((current) => {
          // A deleted job (null) is as finished as a cancelled one.
          if (!current || FINAL_STATES.includes(current.state)) {
            cancelled = true;
            chunkController.abort(new Error('job ended'));
          }
        })
        .catch(() => {});
    }, CANCEL_CHECK_MS);
    try {
      await this.verifyItems(jobId, items, attempt, signal);
    } catch (error) {
      if (!cancelled) throw error;
    } finally {
      clearInterval(heartbeat);
      clearInterval(cancelCheck);
    }
    if (!cancelled) {
      const open = await jobs.openItems(jobId, indexes);
      if (open.length > 0) {
        await queue.enqueue([{ jobId, indexes: open, attempt: attempt + 1 }], {
          delayMs: config.greylistRetryDelayMs,
        });
      }
    }
    await queue.ack(chunk);
    const latest = await jobs.getJob(jobId);
    if (latest && latest.total > 0)
      this.options.metrics.jobProgress.set({ job: jobId }, latest.done / latest.total);
    if (await jobs.completeIfDone(jobId, new Date().toISOString())) {
      this.options.metrics.jobProgress.remove({ job: jobId });
      this.options.metrics.jobsFinished.inc({ state: 'completed' });
      this.options.log.info({ jobId }, 'job completed');
      this.options.onJobFinished(jobId);
    }
  }

  private async verifyItems(
    jobId: string,
    items: Array<{ index: number; address: string }>,
    attempt: number,
    signal: AbortSignal,
  ): Promise<void> {
    const { jobs, service, engine, config, metrics } = this.options;
    let pending: ItemResult[] = [];
    const flush = async () => {
      const batch = pending;
      pending = [];
      await jobs.recordResults(jobId, batch);
    };
    const settle = (index: number, result: VerificationResult) => {
      const final = !(result.reason === 'greylisted' && attempt < config.greylistMaxRetries);
      pending.push({ index, result, attempt, final });
      metrics.recordVerification(result, 'job');
      if (final) metrics.jobItems.inc();
    };

    // Cache hits first (not for re-probes of greylisted addresses: those need a new answer).
    const toProbe: Array<{ index: number; address: string; normalized: string | null }> = [];
    for (const item of items) {
      const parsed = parseAddress(item.address);
      const normalized = parsed.ok ? parsed.address.normalized : null;
      const hit = normalized && attempt === 0 ? await service.lookup(normalized) : null;
      if (hit) settle(item.index, { ...hit, address: item.address, cached: true });
      else toProbe.push({ ...item, normalized });
    }
    await flush();
    if (toProbe.length === 0) return;

    const writes: Promise<void>[] = [];
    await engine.verifyMany(
      toProbe.map((item) => item.address),
      {
        signal,
        onResult: (position, result) => {
          const item = toProbe[position];
          if (!item) return;
          settle(item.index, result);
          if (item.normalized && result.reason !== 'greylisted')
            writes.push(service.store(item.normalized, result));
          if (pending.length >= RESULT_FLUSH_SIZE) writes.push(flush());
        },
      },
    );
    await Promise.all(writes);
    await flush();
  }
}
