import type { FastifyBaseLogger } from 'fastify';
import type { JobStore, ResultCache } from '../stores/types.js';

/** Jobs removed per store call, so one sweep never holds the store for long. */
const DELETE_PAGE = 100;

export interface RetentionSweeperOptions {
  jobs: JobStore;
  cache: ResultCache;
  /** Finished jobs (and cached results) older than this are deleted. */
  retentionMs: number;
  intervalMs: number;
  log: FastifyBaseLogger;
}

/**
 * Deletes, on every node, finished jobs (their rows, addresses and results) older than the retention period and
 * expired cached results: uploaded lists are personal data and are not kept longer than needed.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: RetentionSweeperOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep().then(() => {
        this.running = null;
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One pass; returns how many jobs it deleted. */
  async sweep(now: number = Date.now()): Promise<number> {
    let deleted = 0;
    try {
      for (;;) {
        const ids = await this.options.jobs.finishedBefore(now - this.options.retentionMs, DELETE_PAGE);
        for (const id of ids) if (await this.options.jobs.deleteJob(id)) deleted += 1;
        if (ids.length < DELETE_PAGE) break;
      }
      await this.options.cache.purgeExpired();
      if (deleted > 0) this.options.log.info({ deleted }, 'retention: finished jobs deleted');
    } catch (error) {
      this.options.log.error({ err: error }, 'retention sweep failed');
    }
    return deleted;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
