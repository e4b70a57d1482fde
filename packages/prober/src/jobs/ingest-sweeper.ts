import type { FastifyBaseLogger } from 'fastify';
import type { JobStore, KeyStore } from '../stores/types.js';

/** The `error` of a job whose upload stopped renewing its lease (its node died or stalled mid-upload). */
export const INGEST_LEASE_EXPIRED =
  'the upload was interrupted (its node stopped before the upload was stored)';
/** Sweeps per lease period: a dead upload is failed at most this fraction of a lease after its lease ends. */
const SWEEPS_PER_LEASE = 2;

export interface IngestSweeperOptions {
  jobs: JobStore;
  /** Refunds the quota charged for an upload that never finished. */
  keys: KeyStore;
  leaseMs: number;
  log: FastifyBaseLogger;
  /** Called for each job this node marked failed (metrics, webhook). */
  onFailed: (jobId: string) => void;
}

/**
 * Every node runs one: jobs whose upload lease ran out are marked `failed` with a clear `error`, so a node killed
 * mid-upload never leaves a job `ingesting` for ever. The store's check-and-set makes one node win per job.
 */
export class IngestSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: IngestSweeperOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep().then(() => {
        this.running = null;
      });
    }, this.options.leaseMs / SWEEPS_PER_LEASE);
    this.timer.unref();
  }

  /** One pass; returns the ids this node failed. */
  async sweep(): Promise<string[]> {
    try {
      const failed = await this.options.jobs.failExpiredIngests(Date.now(), INGEST_LEASE_EXPIRED);
      for (const jobId of failed) {
        this.options.log.warn({ jobId }, 'upload lease expired; job failed');
        const job = await this.options.jobs.getJob(jobId);
        if (job && job.total > 0) await this.options.keys.refund(job.keyId, job.total);
        // Never verified (chunks are queued only once an upload is accepted): its rows go at once.
        await this.options.jobs.discardUpload(jobId);
        this.options.onFailed(jobId);
      }
      return failed;
    } catch (error) {
      this.options.log.error({ err: error }, 'ingest sweep failed');
      return [];
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
