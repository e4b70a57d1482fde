import { setMaxListeners } from 'node:events';
import type { Engine } from '@mailprobe/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { ProberConfig } from '../config.js';
import { type Deferred, deferred } from '../deferred.js';
import type { ProberMetrics } from '../metrics.js';
import type { ClaimedChunk, ItemResult, JobQueue, JobStore } from '../stores/types.js';
import type { VerificationService } from '../verification-service.js';
import { ClaimBurst } from './claim-burst.js';
import { EventLoopTurn } from './event-loop-turn.js';
import { FINAL_STATES } from './job-view.js';
import { pause } from './pause.js';

/**
 * Results are written in groups, across the chunks of a job in flight here: at most this long after the first of a
 * group arrived (so a crash loses little work), or at once when this many wait.
 */
const RESULT_FLUSH_MS = 50;
const RESULT_FLUSH_SIZE = 500;
/**
 * Longest a chunk ready to probe waits for the rest of its claim burst to be ready too. On the embedded store a
 * burst loads at once; on Redis its loads share one connection and end over a few hundred milliseconds, and waiting
 * for all of them cost more than the sessions it saved (a ready chunk's groups still join sessions opened meanwhile).
 */
const BURST_MAX_WAIT_MS = 50;
/** How often a running chunk checks whether its job was cancelled. */
const CANCEL_CHECK_MS = 1000;
const LISTENER_HEADROOM = 10;
/** Heartbeats per lease: a chunk in flight survives this many missed heartbeats minus one before another node may take it. */
const HEARTBEATS_PER_LEASE = 4;
/** How often a chunk claimed before its job's seal looks at the job again (a seal follows its enqueue at once). */
const SEAL_CHECK_MS = 25;
/** Longest wait between tries while the store fails (a Redis outage): the wait doubles from the poll interval up to this. */
const FAILURE_BACKOFF_MAX_MS = 2000;

/** The lease of a chunk went to another node (this one stalled or lost the store for longer than the lease). */
class LeaseLostError extends Error {
  constructor() {
    super('chunk lease lost to another node');
    this.name = 'LeaseLostError';
  }
}

/** The job of a chunk reached a final state (cancelled, deleted) while the chunk ran. */
class JobEndedError extends Error {
  constructor() {
    super('job ended');
    this.name = 'JobEndedError';
  }
}

/** When a claimed chunk may start probing: `ready` says it is ready (or ended), `burst.ready()` waits for the rest. */
interface ChunkStart {
  burst: ClaimBurst;
  ready: () => void;
}

/** A job's shared cancellation check and the chunks in flight it ends. */
interface JobWatch {
  controllers: Set<AbortController>;
  /**
   * Ends the engine work of the job's chunks here (the job ended, or the worker closes): one signal for all of
   * them, so the engine shares sessions per MX address across the job's chunks as it does within one list.
   */
  probes: AbortController;
  probeSignal: AbortSignal;
  timer: NodeJS.Timeout;
}

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
 * Claims chunks and runs many at once, so every MX address with work in the queue can be busy: the engine shares
 * SMTP sessions per MX address across all the chunks in flight and keeps its per-MX politeness (its limiter; the
 * Redis limiter in a fleet), so the worker only has to keep enough work in front of it. It claims while the
 * addresses in flight (each domain counted up to what its MX can take at once) are fewer than the engine can
 * probe at once, up to `concurrency` chunks. Results are recorded idempotently as they arrive; greylisted
 * addresses go back into the queue with a delay until their retries are spent; whoever records the last final
 * result completes the job.
 */
export class JobWorker {
  /** Aborts the chunks in flight. */
  private readonly controller = new AbortController();
  /** Stops claiming new chunks (a drain lets the ones in flight finish). */
  private readonly claiming = new AbortController();
  private claimer: Promise<void> | null = null;
  /** Chunks claimed in the current burst, started together when the claim loop next waits. */
  private readonly claimed: Array<{ chunk: ClaimedChunk; consumer: string; slot: number }> = [];
  /** Chunks in flight, each ending when its chunk is done, handed back or lost. */
  private readonly running = new Set<Promise<void>>();
  /** Consumer slots free for the next claim (the queue knows each chunk's holder by one of these names). */
  private readonly freeSlots: number[] = [];
  /** Addresses in flight per domain (what keeps the engine's MX addresses busy). */
  private readonly inFlight = new Map<string, number>();
  /** Idle waits (for work, or for room to claim), woken when the queue says work arrived or a chunk ended. */
  private readonly idle = new Set<() => void>();
  /** One cancellation check per job, shared by its chunks in flight. */
  private readonly watches = new Map<string, JobWatch>();
  private stopListening: (() => void) | null = null;
  private readonly recorder: ResultRecorder;
  /** Reads of a job in flight: the chunks of one burst, starting together, share one read of their job. */
  private readonly jobReads = new Map<string, ReturnType<JobStore['getJob']>>();

  /** The leases of the chunks in flight, renewed together. */
  private readonly heartbeats: Heartbeats;

  constructor(private readonly options: JobWorkerOptions) {
    this.recorder = new ResultRecorder(options.jobs);
    this.heartbeats = new Heartbeats(options.queue, options.config.leaseMs / HEARTBEATS_PER_LEASE);
  }

  /** Addresses the engine can probe at once: every session slot with a full session. */
  private get addressBudget(): number {
    const { concurrency, recipientsPerSession } = this.options.engine.options;
    return concurrency * recipientsPerSession;
  }

  /** Addresses of one domain worth having in flight: as many as its MX may take at once. */
  private get perDomainBudget(): number {
    const { maxSessionsPerMx, recipientsPerSession } = this.options.engine.options;
    return maxSessionsPerMx * recipientsPerSession;
  }

  /** Work in flight that the engine can use: each domain counted up to `perDomainBudget`. */
  private usableWork(): number {
    const cap = this.perDomainBudget;
    let total = 0;
    for (const count of this.inFlight.values()) total += Math.min(count, cap);
    return total;
  }

  private hasRoom(): boolean {
    // Chunks claimed but not started yet count whole (their addresses are not loaded, so not per domain).
    const waiting = this.claimed.reduce((sum, { chunk }) => sum + chunk.message.indexes.length, 0);
    return (
      this.running.size + this.claimed.length < this.options.config.concurrency &&
      this.usableWork() + waiting < this.addressBudget
    );
  }

  start(): void {
    const { concurrency } = this.options.config;
    // Every chunk in flight links its own signal to these.
    setMaxListeners(concurrency * 2 + LISTENER_HEADROOM, this.controller.signal);
    setMaxListeners(concurrency + LISTENER_HEADROOM, this.claiming.signal);
    for (let slot = concurrency - 1; slot >= 0; slot -= 1) this.freeSlots.push(slot);
    this.stopListening = this.options.queue.onWork(() => this.wakeAll());
    this.claimer = this.claimLoop();
  }

  /**
   * Stops claiming; chunks in flight may finish for up to `drainMs`, then the rest are aborted and their leases
   * handed back to the queue at once, so another node (or the next start) takes them without waiting for expiry.
   */
  async close(options: { drainMs?: number } = {}): Promise<void> {
    this.claiming.abort();
    this.stopListening?.();
    this.stopListening = null;
    await this.claimer;
    this.claimer = null;
    const everything = Promise.allSettled([...this.running]);
    const drainMs = options.drainMs ?? 0;
    if (drainMs > 0 && !this.controller.signal.aborted) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([everything, new Promise((resolve) => (timer = setTimeout(resolve, drainMs)))]);
      clearTimeout(timer);
    }
    this.controller.abort();
    await Promise.allSettled([...this.running]);
    this.heartbeats.stop();
    // Results that arrived before the end are kept (the chunks handed back skip them when probed again).
    await this.recorder.flushAll();
  }

  private wakeAll(): void {
    for (const wake of this.idle) wake();
  }

  private async claimLoop(): Promise<void> {
    const claiming = this.claiming.signal;
    const { pollIntervalMs, leaseMs } = this.options.config;
    const turn = new EventLoopTurn();
    // Failures in a row (claiming or processing): each waits longer, and only the first of a streak is logged,
    // so a Redis outage is one line per node and no busy retry; the first success resets it.
    while (!claiming.aborted) {
      if (!this.hasRoom()) {
        this.startClaimed();
        // A chunk ending (or loading its addresses) makes room; the poll interval bounds the wait regardless.
        await this.waitForWork(pollIntervalMs, claiming);
        continue;
      }
      const slot = this.freeSlots.pop() as number;
      const consumer = `${this.options.nodeId}#${slot}`;
      let chunk: ClaimedChunk | null = null;
      try {
        chunk = await this.options.queue.claim(consumer, leaseMs);
      } catch (error) {
        this.freeSlots.push(slot);
        this.startClaimed();
        if (this.failures === 0) this.options.log.error({ err: error }, 'queue claim failed; retrying');
        this.failures += 1;
        await pause(this.backoff(), claiming);
        continue;
      }
      if (!chunk) {
        this.freeSlots.push(slot);
        this.startClaimed();
        this.failures = 0;
        await this.waitForWork(pollIntervalMs, claiming);
        continue;
      }
      // Claims follow each other before any of them starts: on Redis a chunk loading its addresses would queue its
      // commands ahead of the next claim on the one connection. The embedded store answers without I/O, though:
      // the loop still lets the event loop turn every slice of work.
      this.claimed.push({ chunk, consumer, slot });
      await turn.yieldIfDue();
    }
    this.startClaimed();
  }

  /**
   * Starts the chunks claimed since the loop last waited, as one burst: each starts probing once all of them have
   * loaded their addresses (or ended), so the engine sees the burst's work at once.
   */
  private startClaimed(): void {
    if (this.claimed.length === 0) return;
    const burst = new ClaimBurst(BURST_MAX_WAIT_MS);
    const members = this.claimed.splice(0).map((claimed) => ({ ...claimed, ready: burst.join() }));
    burst.close();
    for (const { chunk, consumer, slot, ready } of members) {
      const run = this.runChunk(chunk, consumer, { burst, ready }).finally(() => {
        this.running.delete(run);
        this.freeSlots.push(slot);
        this.wakeAll();
      });
      this.running.add(run);
    }
  }

  /** Failures in a row (claims and chunks): the wait before the next try doubles with each. */
  private failures = 0;

  private backoff(): number {
    const { pollIntervalMs } = this.options.config;
    return Math.min(pollIntervalMs * 2 ** this.failures, FAILURE_BACKOFF_MAX_MS);
  }

  /** Runs one claimed chunk to its end; never rejects. */
  private async runChunk(chunk: ClaimedChunk, consumer: string, start: ChunkStart): Promise<void> {
    const { signal } = this.controller;
    if (chunk.takenOver) {
      this.options.log.info(
        { jobId: chunk.message.jobId },
        'took over a chunk whose node stopped renewing its lease',
      );
    }
    try {
      // A chunk that ends before it probes (nothing left to verify, its job ended, a failure) holds no one back.
      await this.process(chunk, consumer, start).finally(start.ready);
      this.failures = 0;
    } catch (error) {
      if (signal.aborted) {
        await this.handBack(chunk);
        return;
      }
      if (error instanceof LeaseLostError) {
        // Another node has the chunk now: it records the rest (recording is idempotent), this one lets go.
        this.options.log.warn({ jobId: chunk.message.jobId }, 'chunk taken over by another node');
        return;
      }
      if (this.failures === 0)
        this.options.log.error({ err: error, jobId: chunk.message.jobId }, 'chunk failed');
      this.failures += 1;
      // Handed back for any node to take at once; if the store is away too, the lease runs out instead.
      await this.handBack(chunk);
      // This slot stays taken meanwhile, so a failing store is not hammered.
      await pause(this.backoff(), this.claiming.signal);
    }
  }

  /** Waits until the queue reports new work, `ms` pass (delayed chunks, leases running out) or claiming stops. */
  private async waitForWork(ms: number, signal: AbortSignal): Promise<void> {
    const woken = new AbortController();
    const wake = () => woken.abort();
    this.idle.add(wake);
    try {
      await pause(ms, AbortSignal.any([signal, woken.signal]));
    } finally {
      this.idle.delete(wake);
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

  /**
   * Aborts `controller` with a `JobEndedError` once the job is cancelled, deleted or otherwise final; one check
   * per job every CANCEL_CHECK_MS, however many of its chunks run here. Returns the unwatch and the signal that
   * ends the job's engine work here.
   */
  private watchJob(
    jobId: string,
    controller: AbortController,
  ): { unwatch: () => void; probeSignal: AbortSignal } {
    let watch = this.watches.get(jobId);
    if (!watch) {
      const probes = new AbortController();
      const probeSignal = AbortSignal.any([this.controller.signal, probes.signal]);
      setMaxListeners(0, probeSignal);
      const created: JobWatch = { controllers: new Set(), probes, probeSignal, timer: undefined as never };
      created.timer = setInterval(() => {
        this.options.jobs
          .getJob(jobId)
          .then((current) => {
            // A deleted job (null) is as finished as a cancelled one.
            if (current && !FINAL_STATES.includes(current.state)) return;
            const ended = new JobEndedError();
            created.probes.abort(ended);
            for (const each of created.controllers) each.abort(ended);
          })
          .catch(() => {});
      }, CANCEL_CHECK_MS);
      this.watches.set(jobId, created);
      watch = created;
    }
    const current = watch;
    current.controllers.add(controller);
    const unwatch = () => {
      current.controllers.delete(controller);
      if (current.controllers.size > 0) return;
      clearInterval(current.timer);
      if (this.watches.get(jobId) === current) this.watches.delete(jobId);
    };
    return { unwatch, probeSignal: current.probeSignal };
  }

  /** The job as the store has it now; calls made while a read of it is in flight share that read. */
  private readJob(jobId: string): ReturnType<JobStore['getJob']> {
    let read = this.jobReads.get(jobId);
    if (!read) {
      read = this.options.jobs.getJob(jobId);
      this.jobReads.set(jobId, read);
      const forget = () => {
        if (this.jobReads.get(jobId) === read) this.jobReads.delete(jobId);
      };
      read.then(forget, forget);
    }
    return read;
  }

  /**
   * The job of a claimed chunk, once it is out of ingesting or after `leaseMs / HEARTBEATS_PER_LEASE` (while the
   * lease is safe without a heartbeat). An upload enqueues its chunks just before its seal, and a worker polling in
   * between would put the first of them behind the rest: this chunk keeps its place and the slot it holds.
   */
  private async untilSealed(jobId: string): ReturnType<JobStore['getJob']> {
    const { pollIntervalMs, leaseMs } = this.options.config;
    const deadline = Date.now() + leaseMs / HEARTBEATS_PER_LEASE;
    const { signal } = this.controller;
    for (;;) {
      const job = await this.readJob(jobId);
      if (job?.state !== 'ingesting' || Date.now() >= deadline || signal.aborted) return job;
      await pause(Math.min(pollIntervalMs, SEAL_CHECK_MS, deadline - Date.now()), signal);
    }
  }

  /** Counts `items` as in flight per domain until the returned function is called. */
  private track(items: ReadonlyArray<{ address: string }>): () => void {
    const domains = items.map((item) => domainKey(item.address));
    for (const domain of domains) this.inFlight.set(domain, (this.inFlight.get(domain) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const domain of domains) {
        const left = (this.inFlight.get(domain) ?? 1) - 1;
        if (left > 0) this.inFlight.set(domain, left);
        else this.inFlight.delete(domain);
      }
    };
  }

  private async process(chunk: ClaimedChunk, consumer: string, start: ChunkStart): Promise<void> {
    const { jobs, queue, config } = this.options;
    const { jobId, indexes, attempt } = chunk.message;
    const startedAt = Date.now();
    const job = await this.untilSealed(jobId);
    if (!job || FINAL_STATES.includes(job.state)) {
      await queue.ack(chunk);
      return;
    }
    if (job.state === 'ingesting') {
      // Still not sealed: nothing of an upload is verified until it is accepted. Look again later.
      await queue.enqueue([chunk.message], { delayMs: config.pollIntervalMs });
      await queue.ack(chunk);
      return;
    }
    const items = await jobs.pendingItems(jobId, indexes, attempt);
    const chunkController = new AbortController();
    const signal = AbortSignal.any([this.controller.signal, chunkController.signal]);
    let leaseLost = false;
    const stopHeartbeat = this.heartbeats.add({
      chunk,
      consumer,
      lost: () => {
        if (leaseLost) return;
        leaseLost = true;
        chunkController.abort(new LeaseLostError());
      },
    });
    const { unwatch, probeSignal } = this.watchJob(jobId, chunkController);
    const untrack = this.track(items);
    // The claimer may take more work now that this chunk's addresses count.
    this.wakeAll();
    const cancelled = () => chunkController.signal.reason instanceof JobEndedError;
    try {
      await this.verifyItems(jobId, items, attempt, { signal, probeSignal }, start);
    } catch (error) {
      if (leaseLost) throw new LeaseLostError();
      if (!cancelled()) throw error;
    } finally {
      stopHeartbeat();
      unwatch();
      untrack();
      this.wakeAll();
    }
    if (leaseLost) throw new LeaseLostError();
    if (!cancelled()) {
      const open = await jobs.openItems(jobId, indexes);
      // Progress: what waits for a re-probe, and when (`GET /v1/jobs/:id` never counts it as work to do).
      const retryAt = Date.now() + config.greylistRetryDelayMs;
      await jobs.scheduleRetries(jobId, { indexes, waiting: open, retryAt, startedAt });
      if (open.length > 0) {
        await queue.enqueue([{ jobId, indexes: open, attempt: attempt + 1 }], {
          delayMs: config.greylistRetryDelayMs,
        });
      }
    }
    // Completed before the acknowledgement: were the store to lose its last writes (a Redis restarted from an
    // append-only file loses up to a second), the chunk comes back and completes the job, never the reverse.
    const completed = await jobs.completeIfDone(jobId, new Date().toISOString());
    await queue.ack(chunk);
    if (completed) {
      this.options.metrics.jobProgress.remove({ job: jobId });
      this.options.metrics.jobsFinished.inc({ state: 'completed' });
      this.options.log.info({ jobId }, 'job completed');
      this.options.onJobFinished(jobId);
      return;
    }
    const latest = await jobs.getJob(jobId);
    if (latest && latest.total > 0)
      this.options.metrics.jobProgress.set({ job: jobId }, latest.done / latest.total);
  }

  /** Verifies a chunk's items through the service's one path, recording results as they arrive. */
  private async verifyItems(
    jobId: string,
    items: Array<{ index: number; address: string }>,
    attempt: number,
    signals: { signal: AbortSignal; probeSignal: AbortSignal },
    start: ChunkStart,
  ): Promise<void> {
    const { service, config, metrics } = this.options;
    // Writes run while the engine goes on; each is watched from the start, so a failed one (the store went away)
    // fails the chunk once it ends instead of surfacing as an unhandled rejection that ends the process.
    const writes: Promise<unknown>[] = [];
    if (items.length > 0) {
      await service.verifyEach(
        items.map((item) => item.address),
        {
          // Re-probes of greylisted addresses need a new answer, not the cached greylisting.
          fresh: attempt > 0,
          // The chunk stops waiting when it ends (its job ended, its lease lost, the worker closing); the engine's
          // work is the job's here, shared by its chunks: a chunk taken over alone lets its probes under way finish.
          ...signals,
          bulk: true,
          beforeProbes: async () => {
            start.ready();
            await start.burst.ready();
          },
          onResult: (position, result) => {
            const item = items[position];
            if (!item) return;
            const final = !(result.reason === 'greylisted' && attempt < config.greylistMaxRetries);
            const write = this.recorder.add(jobId, { index: item.index, result, attempt, final });
            write.catch(() => {});
            writes.push(write);
            metrics.recordVerification(result, 'job');
            if (final) metrics.jobItems.inc();
          },
        },
      );
      // The chunk is done with the engine: what it waits for is written now, not at the end of the flush window
      // (the last chunk of a job completes the job that much sooner).
      this.recorder.flush(jobId);
    }
    await Promise.all(writes);
  }
}

/** A chunk in flight whose lease is renewed, and what to do when another consumer holds it now. */
interface HeldChunk {
  chunk: ClaimedChunk;
  consumer: string;
  lost: () => void;
}

/**
 * Renews the leases of every chunk in flight on one timer, whatever the probes do (a slow SMTP session never costs
 * a live node its lease), all of them in one call to the store: a burst of chunks started together no longer
 * renews its leases one transaction (one round trip) each at the same moment.
 */
class Heartbeats {
  private readonly held = new Set<HeldChunk>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly intervalMs: number,
  ) {}

  /** Renews `entry`'s lease from now on; the returned function stops it. */
  add(entry: HeldChunk): () => void {
    this.held.add(entry);
    this.timer ??= setInterval(() => this.beat(), this.intervalMs);
    return () => {
      this.held.delete(entry);
      if (this.held.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private beat(): void {
    const entries = [...this.held];
    this.queue.heartbeat(entries).then(
      (renewed) => {
        entries.forEach((entry, position) => {
          if (renewed[position] === false && this.held.has(entry)) entry.lost();
        });
      },
      // The store is away: the leases may run out; if another node takes a chunk meanwhile, the next heartbeat
      // after the store is back finds out.
      () => {},
    );
  }
}

/**
 * Records the results of all chunks of a job in flight here together: one store write per RESULT_FLUSH_MS (or
 * RESULT_FLUSH_SIZE results) instead of one per chunk's few results, so the store's cost per row stays low with
 * many chunks in flight. `add` resolves once the result is written (recording is idempotent).
 */
class ResultRecorder {
  private readonly pending = new Map<
    string,
    { results: ItemResult[]; done: Deferred<void>; timer: NodeJS.Timeout }
  >();

  constructor(private readonly jobs: JobStore) {}

  add(jobId: string, result: ItemResult): Promise<void> {
    let batch = this.pending.get(jobId);
    if (!batch) {
      const created = {
        results: [] as ItemResult[],
        done: deferred(),
        timer: setTimeout(() => this.write(jobId, created), RESULT_FLUSH_MS),
      };
      this.pending.set(jobId, created);
      batch = created;
    }
    batch.results.push(result);
    const { promise } = batch.done;
    if (batch.results.length >= RESULT_FLUSH_SIZE) this.write(jobId, batch);
    return promise;
  }

  /** Writes every waiting group now (the worker is closing). */
  async flushAll(): Promise<void> {
    const batches = [...this.pending];
    for (const [jobId, batch] of batches) this.write(jobId, batch);
    await Promise.allSettled(batches.map(([, batch]) => batch.done.promise));
  }

  /** Writes the group of `jobId` waiting now, if any. */
  flush(jobId: string): void {
    const batch = this.pending.get(jobId);
    if (batch) this.write(jobId, batch);
  }

  private write(
    jobId: string,
    batch: { results: ItemResult[]; done: Deferred<void>; timer: NodeJS.Timeout },
  ): void {
    clearTimeout(batch.timer);
    if (this.pending.get(jobId) === batch) this.pending.delete(jobId);
    this.jobs.recordResults(jobId, batch.results).then(
      () => batch.done.resolve(),
      (error: unknown) => batch.done.reject(error),
    );
  }
}

/** The scheduling key of an address: its domain as written, lower-cased (not a parse; syntax is the engine's). */
function domainKey(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
