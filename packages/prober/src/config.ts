import { readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import path from 'node:path';
import type { Reason } from '@mailprobe/core';
import { DEFAULT_DNSBL_ZONES, type EngineOptionsInput, engineOptionsFromEnv } from '@mailprobe/engine';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;
const MEBIBYTE = 1024 * 1024;

/** Default listen address of `mailprobe serve`. */
export const DEFAULT_LISTEN = '127.0.0.1:8025';

/** Default address of the ops listener that serves `/metrics` (loopback, the usual Prometheus exporter port). */
export const DEFAULT_METRICS_LISTEN = '127.0.0.1:9464';
/** `--metrics-listen off` / `MAILPROBE_METRICS_LISTEN=off`: no ops listener. */
export const METRICS_LISTEN_OFF = 'off';

const ListenSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:8025 or [::1]:8025');

const CacheTtlSchema = z.object({
  validMs: z
    .number()
    .int()
    .nonnegative()
    .default(7 * DAY_MS),
  invalidMs: z
    .number()
    .int()
    .nonnegative()
    .default(7 * DAY_MS),
  /** UNKNOWN results whose reason has no row of its own in CACHE_TTL_BY_REASON. */
  unknownMs: z
    .number()
    .int()
    .nonnegative()
    .default(15 * MINUTE_MS),
  /** Transient failures (DNS errors, timeouts, connection failures, temporary failures): asked again soon. */
  transientMs: z
    .number()
    .int()
    .nonnegative()
    .default(30 * SECOND_MS),
  /** Greylisting: until the server's retry time (`retryAfterSeconds`), never longer than this. */
  greylistedMaxMs: z
    .number()
    .int()
    .nonnegative()
    .default(15 * MINUTE_MS),
  /** Accept-all domains stay accept-all for a long time. */
  catchAllMs: z
    .number()
    .int()
    .nonnegative()
    .default(3 * DAY_MS),
});
export type CacheTtl = z.infer<typeof CacheTtlSchema>;

/**
 * How long the results cache keeps a result, by reason (the documented table; README "Results cache"). A reason
 * without a row follows its status: `validMs`, `invalidMs` or `unknownMs`. `not_checked` (a job finished before
 * the address's turn) is never cached: nothing was learnt.
 *
 * | reason                                                         | kept for                                        |
 * | -------------------------------------------------------------- | ----------------------------------------------- |
 * | `dns_error`, `timeout`, `connection_failed`, `temporary_failure` | `transientMs` (30 s)                            |
 * | `greylisted`                                                   | until its retry time, at most `greylistedMaxMs` |
 * | `catch_all`                                                    | `catchAllMs` (3 days)                           |
 * | `not_checked`                                                  | never cached                                    |
 * | other UNKNOWN                                                  | `unknownMs` (15 min)                            |
 * | VALID / INVALID                                                | `validMs` / `invalidMs` (7 days)                |
 */
export const CACHE_TTL_BY_REASON = {
  dns_error: 'transientMs',
  timeout: 'transientMs',
  connection_failed: 'transientMs',
  temporary_failure: 'transientMs',
  greylisted: 'untilRetry',
  catch_all: 'catchAllMs',
  not_checked: 'never',
} as const satisfies Partial<Record<Reason, keyof CacheTtl | 'untilRetry' | 'never'>>;

const LimitsSchema = z.object({
  /** Requests per minute a new key may make unless created with its own limit (each HTTP request counts once). */
  requestsPerMinute: z.number().int().positive().default(600),
  /** Verifications a new key may make in total unless created with its own quota; null = unlimited. */
  quota: z.number().int().nonnegative().nullable().default(null),
});

const JobsSchema = z.object({
  /**
   * Most chunks this node runs at once. Within it, a node claims chunks while the addresses in flight (each domain
   * counted up to what its MX takes at once) are fewer than the engine can probe at once, so every MX address with
   * work can be busy; the engine's per-MX limits still hold across all of them.
   */
  concurrency: z.number().int().positive().default(64),
  /** Most addresses per chunk; a chunk holds one domain's addresses (or several small domains packed together). */
  chunkSize: z.number().int().positive().default(100),
  /**
   * How long a claimed chunk stays with a node without a heartbeat before another node may take it: a dead node's
   * chunks are taken over within this plus one poll. Heartbeats run every quarter of it, on their own timer.
   */
  leaseMs: z
    .number()
    .int()
    .positive()
    .default(8 * SECOND_MS),
  /**
   * Idle wait between queue polls when there is no work. New work wakes idle workers at once (on every node of a
   * fleet); the poll finds what no one announces: delayed re-probes coming due and chunks whose lease ran out.
   */
  pollIntervalMs: z.number().int().positive().default(500),
  /** Delay before greylisted addresses are probed again. */
  greylistRetryDelayMs: z
    .number()
    .int()
    .nonnegative()
    .default(5 * MINUTE_MS),
  /** How many times a greylisted address is probed again before its greylisted result becomes final. */
  greylistMaxRetries: z.number().int().nonnegative().default(2),
  /** Most addresses one job may hold (after de-duplication). */
  maxAddresses: z.number().int().positive().default(1_000_000),
  /**
   * An upload's lease: renewed while it streams; a job whose node died mid-upload is marked failed by any node
   * once the lease has run out for this long.
   */
  ingestLeaseMs: z
    .number()
    .int()
    .positive()
    .default(30 * SECOND_MS),
  /** Addresses written to the store per transaction while a job is uploaded (small enough to keep each write short). */
  ingestBatchSize: z.number().int().positive().default(500),
  /**
   * A job upload must have arrived whole within this (from its first byte of headers); a slower one is answered
   * 408 and closed, and its job fails without having verified anything. Bounds how long an upload holds a socket.
   */
  uploadTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(15 * MINUTE_MS),
  /** Largest job upload body (CSV or JSON). */
  bodyLimitBytes: z
    .number()
    .int()
    .positive()
    .default(256 * MEBIBYTE),
});

/**
 * Timeouts of the API listener: no request, body or idle connection holds a socket longer than these. A request
 * too slow is answered 408 `request_timeout` (when nothing was answered yet) and its connection closed.
 */
const HttpSchema = z.object({
  /** A request other than a job upload (headers and body) must have arrived whole within this. */
  requestTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(30 * SECOND_MS),
  /** A request's headers must have arrived within this (Node's `headersTimeout`). */
  headersTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(15 * SECOND_MS),
  /** A body (any request, uploads included) that sends no byte for this long is timed out. */
  bodyIdleTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(30 * SECOND_MS),
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(10 * SECOND_MS),
  /**
   * A request answered before its body was read (refused upload, bad key) has the rest of its body read and
   * discarded for at most this long and `drainLimitBytes`, so the client sees the answer; then it is closed.
   */
  drainTimeoutMs: z
    .number()
    .int()
    .nonnegative()
    .default(5 * SECOND_MS),
  drainLimitBytes: z
    .number()
    .int()
    .nonnegative()
    .default(16 * MEBIBYTE),
  /** How often Node checks requests and headers against their deadlines (the timeouts' granularity). */
  connectionsCheckingIntervalMs: z.number().int().positive().default(SECOND_MS),
});

const WebhookSchema = z.object({
  /**
   * Server-wide HMAC-SHA256 secret: signs the callbacks of keys created before per-key secrets (until `keys
   * rotate-webhook-secret` gives them one); unset = generated once and kept in the store (`keys webhook-secret`).
   */
  secret: z.string().min(16).nullable().default(null),
  /**
   * Key that encrypts the per-key signing secrets at rest (any string of 32+ characters, the same on every node).
   * Unset = derived from the server-wide secret kept in the store. Changing it makes the stored secrets unreadable.
   */
  secretsKey: z.string().min(32).nullable().default(null),
  /** How long a rotated-out per-key secret keeps signing beside the new one (`keys rotate-webhook-secret`). */
  rotationOverlapMs: z
    .number()
    .int()
    .nonnegative()
    .default(24 * 60 * MINUTE_MS),
  /** Most webhook subscriptions (`POST /v1/webhooks`) one key may hold. */
  maxSubscriptionsPerKey: z.number().int().positive().default(25),
  /** Most deliveries this node sends at once, all keys together (each holds one outbound connection). */
  maxConcurrent: z.number().int().positive().default(32),
  /** Most deliveries this node sends at once for one key; the key's others wait in the store. */
  maxConcurrentPerKey: z.number().int().positive().default(4),
  /** How often a node looks in the store for due deliveries (its own new events are sent at once). */
  pollIntervalMs: z.number().int().positive().default(SECOND_MS),
  /** Cuts each attempt (DNS check, connect, answer); a claimed delivery's lease is this plus 10 s. */
  timeoutMs: z
    .number()
    .int()
    .positive()
    .default(10 * SECOND_MS),
  maxAttempts: z.number().int().positive().default(6),
  initialBackoffMs: z.number().int().positive().default(SECOND_MS),
  maxBackoffMs: z
    .number()
    .int()
    .positive()
    .default(5 * MINUTE_MS),
});

/** `mailprobe doctor` run by the node itself, over its dedicated source addresses (none configured: not run). */
const DoctorSchema = z.object({
  /** Between runs after the one at start-up; 0 = only at start-up. A listed address stays benched until a run finds it clear. */
  intervalMs: z
    .number()
    .int()
    .nonnegative()
    .default(60 * MINUTE_MS),
  /** DNS blocklists asked (query through a resolver they serve: Spamhaus refuses public resolvers). */
  dnsblZones: z.array(z.string().min(1)).default([...DEFAULT_DNSBL_ZONES]),
  /** `host[:port]` for the outbound port-25 test; null = the MX of the MAIL FROM domain. */
  probeHost: z.string().min(1).nullable().default(null),
});

/** In-memory copies that keep the authenticated cache-hit path off the store; each bound is documented. */
const HotPathSchema = z.object({
  /** How long a node trusts its in-memory copy of a key record: a key revoked elsewhere (`keys revoke`, another node) is refused within this. */
  keyRecordTtlMs: z.number().int().nonnegative().default(SECOND_MS),
  /** Embedded store: quota usage is counted in memory (exactly) and written at this interval and on close. */
  usageFlushIntervalMs: z.number().int().positive().default(SECOND_MS),
  /** Embedded store: usage is written at once when a key has this many unwritten units (bounds what a crash loses). */
  usageFlushMaxUnits: z.number().int().positive().default(1000),
  /** Results kept in memory (LRU) in front of the store, already checked against the contract. */
  resultMemoryEntries: z.number().int().nonnegative().default(10_000),
  /** Fleet only: how long a node answers from its memory copy before asking Redis again (another node's newer result shows within this). */
  resultMemoryMaxAgeMs: z
    .number()
    .int()
    .nonnegative()
    .default(5 * SECOND_MS),
});

/** The one typed configuration of a prober node, every field with a documented default. */
export const ProberConfigSchema = z.object({
  listen: ListenSchema.default(DEFAULT_LISTEN),
  /**
   * The ops listener serving `/metrics` (not on the API listener); null = none. Defaults to loopback: expose it
   * only to the metrics scraper.
   */
  metricsListen: ListenSchema.nullable().default(DEFAULT_METRICS_LISTEN),
  /** When set, the API listener serves `/metrics` too, to `Authorization: Bearer <metricsToken>` only. */
  metricsToken: z.string().min(16).nullable().default(null),
  /**
   * Base URL clients reach this API at (behind a proxy), used for the `resultsUrl` of webhook events;
   * default the URL the node listens on.
   */
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
  dataDir: z.string().min(1).default(defaultDataDir()),
  redisUrl: z.string().url().nullable().default(null),
  /** Identifies this node in the queue (Redis consumer name) and in logs. */
  nodeId: z.string().min(1).default(`${hostname()}-${process.pid}`),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Fleet only: an MX session slot not renewed for this long frees up (a killed node's slots come back). */
  mxLeaseMs: z
    .number()
    .int()
    .positive()
    .default(8 * SECOND_MS),
  /** Largest body of a single/batch API request. */
  bodyLimitBytes: z.number().int().positive().default(MEBIBYTE),
  /**
   * Graceful stop (SIGTERM): how long requests and job chunks in flight may run on once the node stops taking
   * new ones; then what is left is aborted and its chunks handed back. Under Docker's 10 s stop timeout.
   */
  drainMs: z
    .number()
    .int()
    .nonnegative()
    .default(8 * SECOND_MS),
  /** Serve HTTPS with this PEM certificate chain and key (files); both or neither. */
  tls: z
    .object({ certFile: z.string().min(1), keyFile: z.string().min(1) })
    .nullable()
    .default(null),
  cacheTtl: CacheTtlSchema.prefault({}),
  http: HttpSchema.prefault({}),
  limits: LimitsSchema.prefault({}),
  jobs: JobsSchema.prefault({}),
  /**
   * Days a finished job (its rows, addresses and results) is kept before it is deleted; cached results are never
   * kept longer either. Uploaded lists are personal data.
   */
  retentionDays: z.number().positive().default(30),
  /** How often each node looks for finished jobs past the retention period. */
  retentionSweepIntervalMs: z
    .number()
    .int()
    .positive()
    .default(60 * MINUTE_MS),
  webhook: WebhookSchema.prefault({}),
  hotPath: HotPathSchema.prefault({}),
  doctor: DoctorSchema.prefault({}),
  /** Options of the engine (see @mailprobe/engine); env `MAILPROBE_*` as for the CLI. */
  engine: z.custom<EngineOptionsInput>((value) => typeof value === 'object' && value !== null).default({}),
});

export type ProberConfig = z.infer<typeof ProberConfigSchema>;
export type ProberConfigInput = z.input<typeof ProberConfigSchema>;

/** `serve` flags that override file and env. */
export interface ProberFlags {
  listen?: string;
  metricsListen?: string | null;
  tlsCert?: string;
  tlsKey?: string;
  dataDir?: string;
  redisUrl?: string;
  logLevel?: string;
  /** `--retention-days`. */
  retentionDays?: number;
}

/** The OS-appropriate folder for the embedded store: XDG data home, Application Support, or LOCALAPPDATA. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') {
    return path.join(env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'), 'mailprobe');
  }
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'mailprobe');
  return path.join(env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share'), 'mailprobe');
}

/** Prober-specific environment variables (the engine reads its own through engineOptionsFromEnv). */
const ENV_NUMBERS: Array<[string, string[]]> = [
  ['MAILPROBE_BODY_LIMIT_BYTES', ['bodyLimitBytes']],
  ['MAILPROBE_RETENTION_DAYS', ['retentionDays']],
  ['MAILPROBE_DRAIN_MS', ['drainMs']],
  ['MAILPROBE_MX_LEASE_MS', ['mxLeaseMs']],
  ['MAILPROBE_CACHE_TTL_VALID_MS', ['cacheTtl', 'validMs']],
  ['MAILPROBE_CACHE_TTL_INVALID_MS', ['cacheTtl', 'invalidMs']],
  ['MAILPROBE_CACHE_TTL_UNKNOWN_MS', ['cacheTtl', 'unknownMs']],
  ['MAILPROBE_CACHE_TTL_TRANSIENT_MS', ['cacheTtl', 'transientMs']],
  ['MAILPROBE_CACHE_TTL_GREYLISTED_MAX_MS', ['cacheTtl', 'greylistedMaxMs']],
  ['MAILPROBE_CACHE_TTL_CATCH_ALL_MS', ['cacheTtl', 'catchAllMs']],
  ['MAILPROBE_DEFAULT_REQUESTS_PER_MINUTE', ['limits', 'requestsPerMinute']],
  ['MAILPROBE_DEFAULT_QUOTA', ['limits', 'quota']],
  ['MAILPROBE_JOB_CONCURRENCY', ['jobs', 'concurrency']],
  ['MAILPROBE_JOB_CHUNK_SIZE', ['jobs', 'chunkSize']],
  ['MAILPROBE_JOB_LEASE_MS', ['jobs', 'leaseMs']],
  ['MAILPROBE_JOB_POLL_INTERVAL_MS', ['jobs', 'pollIntervalMs']],
  ['MAILPROBE_GREYLIST_RETRY_DELAY_MS', ['jobs', 'greylistRetryDelayMs']],
  ['MAILPROBE_GREYLIST_MAX_RETRIES', ['jobs', 'greylistMaxRetries']],
  ['MAILPROBE_JOB_INGEST_LEASE_MS', ['jobs', 'ingestLeaseMs']],
  ['MAILPROBE_MAX_JOB_ADDRESSES', ['jobs', 'maxAddresses']],
  ['MAILPROBE_JOB_BODY_LIMIT_BYTES', ['jobs', 'bodyLimitBytes']],
  ['MAILPROBE_JOB_UPLOAD_TIMEOUT_MS', ['jobs', 'uploadTimeoutMs']],
  ['MAILPROBE_REQUEST_TIMEOUT_MS', ['http', 'requestTimeoutMs']],
  ['MAILPROBE_HEADERS_TIMEOUT_MS', ['http', 'headersTimeoutMs']],
  ['MAILPROBE_BODY_IDLE_TIMEOUT_MS', ['http', 'bodyIdleTimeoutMs']],
  ['MAILPROBE_KEEP_ALIVE_TIMEOUT_MS', ['http', 'keepAliveTimeoutMs']],
  ['MAILPROBE_WEBHOOK_MAX_ATTEMPTS', ['webhook', 'maxAttempts']],
  ['MAILPROBE_WEBHOOK_INITIAL_BACKOFF_MS', ['webhook', 'initialBackoffMs']],
  ['MAILPROBE_WEBHOOK_ROTATION_OVERLAP_MS', ['webhook', 'rotationOverlapMs']],
  ['MAILPROBE_WEBHOOK_TIMEOUT_MS', ['webhook', 'timeoutMs']],
  ['MAILPROBE_WEBHOOK_MAX_CONCURRENT', ['webhook', 'maxConcurrent']],
  ['MAILPROBE_WEBHOOK_MAX_CONCURRENT_PER_KEY', ['webhook', 'maxConcurrentPerKey']],
  ['MAILPROBE_KEY_RECORD_TTL_MS', ['hotPath', 'keyRecordTtlMs']],
  ['MAILPROBE_USAGE_FLUSH_INTERVAL_MS', ['hotPath', 'usageFlushIntervalMs']],
  ['MAILPROBE_RESULT_MEMORY_ENTRIES', ['hotPath', 'resultMemoryEntries']],
  ['MAILPROBE_DOCTOR_INTERVAL_MS', ['doctor', 'intervalMs']],
];
const ENV_STRINGS: Array<[string, string]> = [
  ['MAILPROBE_LISTEN', 'listen'],
  ['MAILPROBE_DATA_DIR', 'dataDir'],
  ['MAILPROBE_REDIS_URL', 'redisUrl'],
  ['MAILPROBE_NODE_ID', 'nodeId'],
  ['MAILPROBE_LOG_LEVEL', 'logLevel'],
  ['MAILPROBE_METRICS_LISTEN', 'metricsListen'],
  ['MAILPROBE_METRICS_TOKEN', 'metricsToken'],
  ['MAILPROBE_PUBLIC_URL', 'publicUrl'],
];
const ENV_NESTED_STRINGS: Array<[string, string[]]> = [
  ['MAILPROBE_WEBHOOK_SECRET', ['webhook', 'secret']],
  ['MAILPROBE_WEBHOOK_SECRETS_KEY', ['webhook', 'secretsKey']],
  ['MAILPROBE_TLS_CERT', ['tls', 'certFile']],
  ['MAILPROBE_TLS_KEY', ['tls', 'keyFile']],
  ['MAILPROBE_PROBE_HOST', ['doctor', 'probeHost']],
];

type Tree = Record<string, unknown>;

function setPath(target: Tree, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    node[key] = typeof child === 'object' && child !== null ? child : {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1] as string] = value;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: Tree, override: Tree): Tree {
  const merged: Tree = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const existing = merged[key];
    merged[key] = isTree(existing) && isTree(value) ? deepMerge(existing, value) : value;
  }
  return merged;
}

function fromEnv(env: NodeJS.ProcessEnv): Tree {
  const tree: Tree = {};
  for (const [name, key] of ENV_STRINGS) {
    const value = env[name];
    if (value !== undefined && value !== '') tree[key] = value;
  }
  // `off` turns the ops listener off (no /metrics at all unless metricsToken serves it on the API listener).
  if (tree.metricsListen === METRICS_LISTEN_OFF) tree.metricsListen = null;
  for (const [name, keys] of ENV_NESTED_STRINGS) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(tree, keys, value);
  }
  for (const [name, keys] of ENV_NUMBERS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const number = Number(value);
    if (!Number.isFinite(number)) throw new ConfigError(`${name} must be a number, got "${value}"`);
    setPath(tree, keys, number);
  }
  const zones = env.MAILPROBE_DNSBL_ZONES;
  if (zones !== undefined) {
    const list = zones
      .split(',')
      .map((zone) => zone.trim())
      .filter(Boolean);
    setPath(tree, ['doctor', 'dnsblZones'], list);
  }
  tree.engine = engineOptionsFromEnv(env);
  return tree;
}

function readConfigFile(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isTree(parsed)) throw new ConfigError(`config file ${file} must hold a JSON object`);
  return parsed;
}

/** Validates and fills defaults of a partial configuration. */
export function resolveProberConfig(input: ProberConfigInput | Tree): ProberConfig {
  const result = ProberConfigSchema.safeParse(input);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first?.path.join('.') || '(root)';
    throw new ConfigError(`invalid configuration at ${where}: ${first?.message ?? 'invalid'}`, {
      issues: result.error.issues,
    });
  }
  return result.data;
}

/**
 * Loads the configuration: defaults < JSON file (`file` or `MAILPROBE_CONFIG`) < `MAILPROBE_*` env < flags.
 * The file's `engine` object is merged under the engine's own env variables.
 */
export function loadProberConfig(
  options: { env?: NodeJS.ProcessEnv; file?: string; flags?: ProberFlags } = {},
): ProberConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.MAILPROBE_CONFIG;
  const fileTree = file ? readConfigFile(file) : {};
  const { tlsCert, tlsKey, ...plainFlags } = options.flags ?? {};
  const flagTree: Tree = {};
  for (const [key, value] of Object.entries(plainFlags)) {
    if (value !== undefined)
      flagTree[key] = key === 'metricsListen' && value === METRICS_LISTEN_OFF ? null : value;
  }
  if (tlsCert !== undefined) setPath(flagTree, ['tls', 'certFile'], tlsCert);
  if (tlsKey !== undefined) setPath(flagTree, ['tls', 'keyFile'], tlsKey);
  const merged = deepMerge(deepMerge(fileTree, fromEnv(env)), flagTree);
  if (isTree(merged.tls) && (merged.tls.certFile === undefined) !== (merged.tls.keyFile === undefined)) {
    throw new ConfigError('TLS needs both a certificate and a key (--tls-cert and --tls-key)');
  }
  return resolveProberConfig(merged);
}

/** Splits `host:port` (IPv6 in brackets) into its parts. */
export function parseListen(listen: string): { host: string; port: number } {
  const separator = listen.lastIndexOf(':');
  const host = listen.slice(0, separator).replace(/^\[(.*)\]$/, '$1');
  const port = Number(listen.slice(separator + 1));
  if (!host || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`invalid listen address "${listen}"`);
  }
  return { host, port };
}
