import { setMaxListeners } from 'node:events';
import {
  type ParsedAddress,
  type ParseResult,
  parseAddress,
  syntaxErrorResult,
  type VerificationResult,
} from '@mailprobe/core';
import { createMemoryCatchAllCache } from './catch-all-cache.js';
import { createDnsClient } from './dns/dns-client.js';
import { EgressRouter, type ProxyStatus } from './egress/egress-router.js';
import { EngineError } from './errors.js';
import { resolveMailTargets } from './mail-targets.js';
import { type EngineOptions, type EngineOptionsInput, resolveEngineOptions } from './options.js';
import { checkSourceAddresses, type SourceAddressReport } from './pool/check-source-addresses.js';
import { HeloNames } from './pool/helo-names.js';
import { createMemoryMxLimiter, type MxLimiter } from './pool/mx-limiter.js';
import { Semaphore } from './pool/semaphore.js';
import { SourcePool } from './pool/source-pool.js';
import { type ProbeContext, probeChunk } from './probe-chunk.js';
import { type AddressReport, buildResult } from './result-builder.js';
import { SharedSessions } from './shared-sessions.js';
import { decideVerdict } from './verdict.js';

/** DNS lookups (one domain's MX and address queries) in flight at once, at most. */
const MAX_LOOKUPS_IN_FLIGHT = 64;

export interface VerifyOptions {
  /** Ends the call's work. Calls with the same signal share SMTP sessions per MX address, as calls without one do. */
  signal?: AbortSignal;
}

export interface VerifyManyOptions extends VerifyOptions {
  /** Called as each input's result is ready (index into the input array). */
  onResult?: (index: number, result: VerificationResult) => void;
}

/** The probing engine: syntax → DNS (MX) → SMTP, with per-MX politeness and session reuse. */
export interface Engine {
  readonly options: EngineOptions;
  verify(address: string, options?: VerifyOptions): Promise<VerificationResult>;
  /** Groups by domain and MX host, reuses sessions, pipelines. Results in input order; duplicates verified once. */
  verifyMany(addresses: readonly string[], options?: VerifyManyOptions): Promise<VerificationResult[]>;
  /**
   * `verifyMany` for addresses the caller has already parsed with `parseAddress` (each result is built for its
   * `input`), so a service that parsed them to check syntax and look up its cache does not parse them again.
   */
  verifyParsed(
    addresses: readonly ParsedAddress[],
    options?: VerifyManyOptions,
  ): Promise<VerificationResult[]>;
  /** Which source addresses lack forward-confirmed reverse DNS, and the HELO name each uses. */
  checkSourceAddresses(): Promise<SourceAddressReport[]>;
  /** Keeps exactly these source addresses out of every probe until called again without them (blocklisted). */
  holdSourceAddresses(addresses: readonly string[]): void;
  /** Each SOCKS5 egress: benched or not, its last failure (no password), for `/readyz` and metrics. */
  proxyStatus(): ProxyStatus[];
  /** Stops in-flight work and refuses new work. */
  close(): Promise<void>;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** Creates an engine; options are validated now (throws `EngineOptionsError`). */
export function createEngine(input: EngineOptionsInput = {}): Engine {
  const options = resolveEngineOptions(input);
  const dns = createDnsClient({
    servers: options.dnsServers,
    timeoutMs: options.dnsTimeoutMs,
    retries: options.dnsRetries,
    cacheSize: options.dnsCacheSize,
  });
  const pool = new SourcePool(options.sourceAddresses, options.blockedCooldownMs);
  const heloNames = new HeloNames({
    configured: options.heloNames,
    defaultName: options.defaultHeloName,
    dns,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  const ownLimiter: MxLimiter | undefined = options.mxLimiter
    ? undefined
    : createMemoryMxLimiter({
        maxSessionsPerMx: options.maxSessionsPerMx,
        maxConnectionsPerMinute: options.maxConnectionsPerMinute,
      });
  const egress = new EgressRouter(options.proxies, options.egressRoutes, {
    timeouts: options.proxyTimeouts,
    benchMs: options.proxyBenchMs,
    ...(options.proxyBench ? { shared: options.proxyBench } : {}),
  });
  const context: ProbeContext = {
    options,
    pool,
    sessions: new SharedSessions({
      options,
      pool,
      heloNames,
      limiter: options.mxLimiter ?? (ownLimiter as MxLimiter),
      sessions: new Semaphore(options.concurrency),
      egress,
    }),
    catchAllCache: options.catchAllCache ?? createMemoryCatchAllCache(),
  };
  // DNS work is bounded like SMTP work, so a list of 100,000 domains does not open 100,000 sockets; and never more
  // than MAX_LOOKUPS_IN_FLIGHT at once whatever the session concurrency: a burst of 128 queries overflowed a
  // resolver's UDP receive buffer on loopback (its RcvbufErrors counted them), and each dropped query cost its
  // domain a whole dnsTimeoutMs before the retry.
  const lookups = new Semaphore(Math.min(options.concurrency, MAX_LOOKUPS_IN_FLIGHT));
  const lifetime = new AbortController();
  // Every queued chunk listens to the signal of its call while it waits for a limit; thousands may wait at once.
  setMaxListeners(0, lifetime.signal);
  let closed = false;
  // Sessions are shared between calls with the same (linked) signal, so each caller signal gets one linked signal.
  const linkedSignals = new WeakMap<AbortSignal, AbortSignal>();
  function linkedSignal(callerSignal: AbortSignal | undefined): AbortSignal {
    if (!callerSignal) return lifetime.signal;
    let linked = linkedSignals.get(callerSignal);
    if (!linked) {
      linked = AbortSignal.any([callerSignal, lifetime.signal]);
      setMaxListeners(0, linked);
      linkedSignals.set(callerSignal, linked);
    }
    return linked;
  }

  async function verifyDomain(
    domain: string,
    addresses: readonly ParsedAddress[],
    signal: AbortSignal,
    report: (parsed: ParsedAddress, details: AddressReport) => void,
  ): Promise<void> {
    const waitStarted = performance.now();
    const releaseLookup = await lookups.acquire(signal);
    const lookupQueuedMs = performance.now() - waitStarted;
    const sample = addresses[0] as ParsedAddress;
    let targets: Awaited<ReturnType<typeof resolveMailTargets>>;
    try {
      targets = await resolveMailTargets(dns, sample, {
        implicitMx: options.implicitMx,
        allowPrivateTargets: options.allowPrivateTargets,
        signal,
      });
    } finally {
      releaseLookup();
    }
    if (targets.kind === 'stop') {
      const verdict = decideVerdict(targets.outcome);
      for (const parsed of addresses) {
        report(parsed, {
          parsed,
          verdict,
          catchAll: false,
          mx: targets.exchanges,
          smtp: null,
          timings: { dnsMs: targets.dnsMs, connectMs: 0, smtpMs: 0, queuedMs: lookupQueuedMs },
        });
      }
      return;
    }
    const { hosts, exchanges, dnsMs } = targets;
    await Promise.all(
      chunk(addresses, options.recipientsPerSession).map(async (recipients) => {
        const { findings, catchAll } = await probeChunk(context, { domain, hosts, recipients, signal });
        for (const parsed of recipients) {
          const finding = findings.get(parsed);
          if (!finding) throw new Error(`No SMTP finding for ${parsed.normalized}`);
          report(parsed, {
            parsed,
            verdict: decideVerdict(finding.outcome),
            catchAll: catchAll === true,
            mx: exchanges,
            smtp: finding.smtp,
            timings: {
              dnsMs,
              connectMs: finding.connectMs,
              smtpMs: finding.smtpMs,
              queuedMs: lookupQueuedMs + finding.queuedMs,
            },
          });
        }
      }),
    );
  }

  function verifyMany(
    addresses: readonly string[],
    verifyOptions: VerifyManyOptions = {},
  ): Promise<VerificationResult[]> {
    return verifyInputs(addresses, (input) => parseAddress(input), verifyOptions);
  }

  function verifyParsed(
    addresses: readonly ParsedAddress[],
    verifyOptions: VerifyManyOptions = {},
  ): Promise<VerificationResult[]> {
    return verifyInputs(
      addresses.map((address) => address.input),
      (_input, index) => ({ ok: true, address: addresses[index] as ParsedAddress }),
      verifyOptions,
    );
  }

  /** Inputs in order, each parsed by `parse` exactly once. */
  async function verifyInputs(
    addresses: readonly string[],
    parse: (input: string, index: number) => ParseResult,
    verifyOptions: VerifyManyOptions,
  ): Promise<VerificationResult[]> {
    if (closed) throw new EngineError('engine_closed', 'The engine is closed');
    const signal = linkedSignal(verifyOptions.signal);
    const started = performance.now();
    const results = new Array<VerificationResult>(addresses.length);
    const indexesByKey = new Map<string, number[]>();
    const byDomain = new Map<string, ParsedAddress[]>();
    const syntaxErrors: Array<{
      key: string;
      input: string;
      error: Parameters<typeof syntaxErrorResult>[1];
    }> = [];

    const deliver = (key: string, build: (input: string) => VerificationResult) => {
      for (const index of indexesByKey.get(key) ?? []) {
        const result = build(addresses[index] as string);
        results[index] = result;
        verifyOptions.onResult?.(index, result);
      }
    };

    addresses.forEach((input, index) => {
      const parsed = parse(input, index);
      // Duplicates (same normalised address) are verified once and answered for every occurrence.
      const key = parsed.ok ? `address ${parsed.address.normalized}` : `syntax ${input}`;
      const seen = indexesByKey.get(key);
      if (seen) {
        seen.push(index);
        return;
      }
      indexesByKey.set(key, [index]);
      if (!parsed.ok) {
        syntaxErrors.push({ key, input, error: parsed.error });
        return;
      }
      const group = byDomain.get(parsed.address.domain) ?? [];
      group.push(parsed.address);
      byDomain.set(parsed.address.domain, group);
    });

    for (const { key, error } of syntaxErrors) {
      deliver(key, (input) => syntaxErrorResult(input, error));
    }
    const report = (parsed: ParsedAddress, details: AddressReport) =>
      deliver(`address ${parsed.normalized}`, (input) =>
        buildResult(input, details, performance.now() - started),
      );
    await Promise.all([...byDomain].map(([domain, group]) => verifyDomain(domain, group, signal, report)));
    return results;
  }

  return {
    options,
    async verify(address, verifyOptions = {}) {
      const [result] = await verifyMany([address], verifyOptions);
      return result as VerificationResult;
    },
    verifyMany,
    verifyParsed,
    checkSourceAddresses: () => checkSourceAddresses(pool, heloNames, dns),
    holdSourceAddresses: (addresses) => pool.hold(addresses),
    proxyStatus: () => egress.status(),
    async close() {
      if (closed) return;
      closed = true;
      lifetime.abort(new EngineError('engine_closed', 'The engine was closed'));
      await ownLimiter?.close?.();
    },
  };
}
