import type { VerificationResult } from '@mailprobe/core';
import type { MxLimiter } from '@mailprobe/engine';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Where a verification was asked for. */
export type VerificationSource = 'single' | 'batch' | 'job';

const WAIT_BUCKETS_SECONDS = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60];

/** The node's Prometheus metrics, in a registry of its own (several servers may share one process in tests). */
export class ProberMetrics {
  readonly registry = new Registry();
  private readonly verifications = new Counter({
    name: 'mailprobe_verifications_total',
    help: 'Verifications answered, by verdict, reason and origin (cache hits included)',
    labelNames: ['status', 'reason', 'source', 'cached'] as const,
    registers: [this.registry],
  });
  private readonly smtpReplies = new Counter({
    name: 'mailprobe_smtp_reply_codes_total',
    help: 'SMTP reply codes that decided a verdict',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: 'mailprobe_cache_lookups_total',
    help: 'Results cache lookups, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly cacheHitRatio = new Gauge({
    name: 'mailprobe_cache_hit_ratio',
    help: 'Share of results cache lookups that hit, since start',
    registers: [this.registry],
  });
  private readonly mxWaiting = new Gauge({
    name: 'mailprobe_mx_queue_depth',
    help: 'Probes waiting for a session slot, per MX host',
    labelNames: ['mx'] as const,
    registers: [this.registry],
  });
  private readonly mxWait = new Histogram({
    name: 'mailprobe_mx_wait_seconds',
    help: 'Time a probe waited for a session slot of its MX host',
    labelNames: ['mx'] as const,
    buckets: WAIT_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly jobItems = new Counter({
    name: 'mailprobe_job_items_done_total',
    help: 'Job addresses that reached a final result on this node',
    registers: [this.registry],
  });
  readonly jobsFinished = new Counter({
    name: 'mailprobe_jobs_finished_total',
    help: 'Jobs that reached a final state, by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly jobProgress = new Gauge({
    name: 'mailprobe_job_progress_ratio',
    help: 'done/total of jobs this node is working on',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'mailprobe_job_queue_depth',
    help: 'Job chunks waiting in the queue (ready or delayed)',
    registers: [this.registry],
  });
  private hits = 0;
  private lookups = 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one answered verification. */
  recordVerification(result: VerificationResult, source: VerificationSource): void {
    this.verifications.inc({
      status: result.status,
      reason: result.reason,
      source,
      cached: String(result.cached),
    });
    const code = result.smtp?.replyCode;
    if (!result.cached && code !== null && code !== undefined) this.smtpReplies.inc({ code: String(code) });
  }

  recordCacheLookup(hit: boolean): void {
    this.cacheLookups.inc({ outcome: hit ? 'hit' : 'miss' });
    this.lookups += 1;
    if (hit) this.hits += 1;
    this.cacheHitRatio.set(this.hits / this.lookups);
  }

  /** Wraps the engine's MxLimiter so the wait for each MX slot is measured. */
  instrumentMxLimiter(limiter: MxLimiter): MxLimiter {
    return {
      acquire: async (target, options) => {
        const stopTimer = this.mxWait.startTimer({ mx: target.host });
        this.mxWaiting.inc({ mx: target.host });
        try {
          return await limiter.acquire(target, options);
        } finally {
          this.mxWaiting.dec({ mx: target.host });
          stopTimer();
        }
      },
      acquireConnection: (sourceAddress, target, options) =>
        limiter.acquireConnection(sourceAddress, target, options),
      close: async () => {
        await limiter.close?.();
      },
    };
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
