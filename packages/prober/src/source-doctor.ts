import { type DoctorReport, type Engine, type EngineOptionsInput, runDoctor } from '@mailprobe/engine';
import type { FastifyBaseLogger } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import type { ProberConfig } from './config.js';

/** What `/readyz` says about the source addresses. */
export interface SourceDoctorStatus {
  checkedAt: string | null;
  /** Listed on a DNS blocklist: no probes from these until a later run finds them clear. */
  benched: string[];
  /** Addresses with at least one failed check, and which. */
  failing: Record<string, string[]>;
}

/**
 * Runs the doctor over the node's dedicated source addresses at start-up and then every `intervalMs`: logs
 * each finding, exports it as metrics, and benches blocklisted addresses in the engine until they are clear.
 */
export class SourceDoctor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private last: DoctorReport | null = null;
  private checkedAt: string | null = null;
  private readonly checkGauge: Gauge<'address' | 'check'>;
  private readonly benchedGauge: Gauge<'address'>;

  constructor(
    private readonly engine: Engine,
    private readonly engineInput: EngineOptionsInput,
    private readonly config: ProberConfig['doctor'],
    private readonly log: FastifyBaseLogger,
    registry: Registry,
  ) {
    this.checkGauge = new Gauge({
      name: 'mailprobe_source_check_ok',
      help: 'Doctor check of a source address: 1 passed (or only a warning), 0 failed',
      labelNames: ['address', 'check'] as const,
      registers: [registry],
    });
    this.benchedGauge = new Gauge({
      name: 'mailprobe_source_benched',
      help: 'Source address kept out of probes because a DNS blocklist lists it (1) or not (0)',
      labelNames: ['address'] as const,
      registers: [registry],
    });
  }

  /** Whether there is anything to check: only dedicated source addresses are. */
  get enabled(): boolean {
    return this.engine.options.sourceAddresses.length > 0;
  }

  /** First run now (in the background), then on the interval. */
  start(): void {
    if (!this.enabled) return;
    this.runOnce();
    if (this.config.intervalMs > 0) {
      this.timer = setInterval(() => this.runOnce(), this.config.intervalMs);
      this.timer.unref();
    }
  }

  /** Runs the doctor unless a run is in progress; resolves when that run is over. */
  runOnce(): Promise<void> {
    this.running ??= this.check().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  status(): SourceDoctorStatus | null {
    if (!this.enabled) return null;
    const failing: Record<string, string[]> = {};
    for (const source of this.last?.sources ?? []) {
      const failed = source.checks.filter((check) => check.status === 'fail').map((check) => check.id);
      if (source.address && failed.length > 0) failing[source.address] = failed;
    }
    const benched = (this.last?.sources ?? []).flatMap((source) =>
      source.listed && source.address ? [source.address] : [],
    );
    return { checkedAt: this.checkedAt, benched, failing };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async check(): Promise<void> {
    let report: DoctorReport;
    try {
      report = await runDoctor({
        engine: this.engineInput,
        dnsblZones: this.config.dnsblZones,
        ...(this.config.probeHost ? { probeHost: this.config.probeHost } : {}),
      });
    } catch (error) {
      this.log.warn({ err: error }, 'doctor: could not check the source addresses');
      return;
    }
    const benched: string[] = [];
    for (const source of report.sources) {
      if (!source.address) continue;
      for (const check of source.checks) {
        if (check.status === 'skip') continue;
        this.checkGauge.set({ address: source.address, check: check.id }, check.status === 'fail' ? 0 : 1);
        const fields = {
          sourceAddress: source.address,
          check: check.id,
          status: check.status,
          detail: check.detail,
        };
        if (check.status === 'fail') this.log.warn(fields, 'doctor: source address check failed');
        else if (check.status === 'warn') this.log.warn(fields, 'doctor: source address check warns');
        else this.log.info(fields, 'doctor: source address check passed');
      }
      this.benchedGauge.set({ address: source.address }, source.listed ? 1 : 0);
      if (source.listed) benched.push(source.address);
    }
    const before = new Set(this.status()?.benched ?? []);
    this.engine.holdSourceAddresses(benched);
    for (const address of benched) {
      if (!before.has(address))
        this.log.warn(
          { sourceAddress: address },
          'doctor: source address benched (listed on a DNS blocklist)',
        );
    }
    for (const address of before) {
      if (!benched.includes(address))
        this.log.info({ sourceAddress: address }, 'doctor: source address back in use (no longer listed)');
    }
    this.last = report;
    this.checkedAt = new Date().toISOString();
  }
}
