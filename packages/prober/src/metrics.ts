import type { VerificationResult } from '@mailprobe/core';
import type { MxLimiter } from '@mailprobe/engine';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Where a verification was asked for. */
export type VerificationSource = 'single' | 'batch' | 'job';

const WAIT_BUCKETS_SECONDS = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60];
/** Jobs whose progress this node remembers; a job that never reports its end is forgotten oldest first. */
const MAX_TRACKED_JOBS = 10_000;
/** SMTP reply codes outside this range are counted as `other`: the label's values stay a small fixed set. */
const SMTP_CODE_MIN = 200;
const SMTP_CODE_MAX = 599;

/** The label of an SMTP reply code: the three digits when they are a reply code at all, else `other`. */
export function smtpCodeLabel(code: number): string {
  return Number.isInteger(code) && code >= SMTP_CODE_MIN && code <= SMTP_CODE_MAX ? String(code) : 'other';
}

/**
 * Progress of the jobs this node works on, exported without a label per job (job ids come from users and
 * would grow the output without bound): how many are in progress, and their mean done/total.
 */
export class JobProgress {
  private readonly ratios = new Map<string, number>();

  constructor(registry: Registry) {
    const ratios = this.ratios;
    new Gauge({
      name: 'mailprobe_jobs_in_progress',
      help: 'Jobs this node is working on',
      registers: [registry],
      collect() {
        this.set(ratios.size);
      },
    });
    new Gauge({
      name: 'mailprobe_job_progress_ratio',
      help: 'Mean done/total of the jobs this node is working on (0 when none)',
      registers: [registry],
      collect() {
        let sum = 0;
        for (const ratio of ratios.values()) sum += ratio;
        this.set(ratios.size === 0 ? 0 : sum / ratios.size);
      },
    });
  }

  /** Records a job's progress (the `{ job }` argument keeps the prom-client call shape). */
  set(labels: { job: string }, ratio: number): void {
    this.ratios.delete(labels.job);
    this.ratios.set(labels.job, ratio);
    if (this.ratios.size > MAX_TRACKED_JOBS) {
      const oldest = this.ratios.keys().next().value;
      if (oldest !== undefined) this.ratios.delete(oldest);
    }
  }

  remove(labels: { job: string }): void {
    this.ratios.delete(labels.job);
  }
}

/**
 * The node's Prometheus metrics, in a registry of its own (several servers may share one process in tests).
 * No label takes its values from user input (addresses, MX hosts, job ids, keys): every label is a fixed
 * vocabulary, so the output has the same number of series after one job or a million.
 */
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
    help: 'Probes waiting for a session slot of their MX host (all MX hosts together)',
    registers: [this.registry],
  });
  private readonly mxWait = new Histogram({
    name: 'mailprobe_mx_wait_seconds',
    help: 'Time a probe waited for a session slot of its MX host',
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
  readonly jobProgress = new JobProgress(this.registry);
  /** 1 while a SOCKS5 egress is benched after failing itself, else 0 (by proxy name; never its URL). */
  readonly proxyBenched = new Gauge({
    name: 'mailprobe_proxy_benched',
    help: 'Whether a SOCKS5 egress is benched after a failure (1) or in use (0)',
    labelNames: ['proxy'] as const,
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
    if (!result.cached && code !== null && code !== undefined)
      this.smtpReplies.inc({ code: smtpCodeLabel(code) });
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
        const stopTimer = this.mxWait.startTimer();
        this.mxWaiting.inc();
        try {
          return await limiter.acquire(target, options);
        } finally {
          this.mxWaiting.dec();
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
