import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { QUEUE_WORKER_DEFAULTS } from './enrich/queue-worker.js';
import { ConfigError } from './errors.js';
import { WEBHOOK_RECEIVER_DEFAULTS } from './webhook/receiver.js';
import { DEFAULT_SIGNATURE_VERSIONS, MAX_SIGNATURE_AGE_MS } from './webhook/signature.js';

/** Where HubSpot's API lives unless HUBSPOT_BASE_URL says otherwise (tests point it at a fake). */
export const HUBSPOT_API_ORIGIN = 'https://api.hubapi.com';

/** HubSpot's documented search limit per account (CRM search guide, "Limitations"). */
export const HUBSPOT_DOCUMENTED_SEARCH_LIMIT = { requests: 5, windowMs: 1000 } as const;
/** The enricher's default search rate: under the documented per-account limit. */
export const HUBSPOT_SEARCH_DEFAULT_LIMIT = { requests: 4, windowMs: 1000 } as const;

const rateLimitSchema = (defaults: { requests: number; windowMs: number }) =>
  z
    .object({
      requests: z.number().int().positive().default(defaults.requests),
      windowMs: z.number().int().positive().default(defaults.windowMs),
    })
    .prefault({});

const ListenSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:8026');

/** The one configuration object, with its documented defaults. */
export const EnricherConfigSchema = z.object({
  hubspot: z
    .object({
      /** Private-app access token (HUBSPOT_ACCESS_TOKEN). */
      accessToken: z.string().min(1).nullable().default(null),
      /** The app's client secret, which signs webhooks (HUBSPOT_CLIENT_SECRET). */
      clientSecret: z.string().min(1).nullable().default(null),
      baseUrl: z.url().default(HUBSPOT_API_ORIGIN),
      /** Private apps get 100 requests per rolling 10 s (190 on some tiers). */
      burstLimit: rateLimitSchema({ requests: 100, windowMs: 10_000 }),
      /**
       * Search is limited separately, per account and across every app in it: HubSpot documents five
       * requests per second (four per token in older docs). Four leaves room for the account's other apps.
       */
      searchLimit: rateLimitSchema(HUBSPOT_SEARCH_DEFAULT_LIMIT),
      retry: z
        .object({
          maxRetries: z.number().int().min(0).max(20).default(6),
          baseDelayMs: z.number().int().positive().default(500),
          maxDelayMs: z.number().int().positive().default(30_000),
        })
        .prefault({}),
    })
    .prefault({}),
  prober: z
    .object({
      /** MAILPROBE_API_URL, e.g. https://prober.example.com */
      url: z.url().nullable().default(null),
      /** MAILPROBE_API_KEY */
      apiKey: z.string().min(1).nullable().default(null),
      timeoutMs: z.number().int().positive().default(120_000),
      maxRetries: z.number().int().min(0).default(4),
    })
    .prefault({}),
  /** Webhook queue, replay guard and backfill checkpoint live here (MAILPROBE_HUBSPOT_DATA_DIR). */
  dataDir: z.string().min(1).default('.mailprobe-hubspot'),
  /** Where `serve` listens (MAILPROBE_HUBSPOT_LISTEN). */
  listen: ListenSchema.default('127.0.0.1:8026'),
  webhook: z
    .object({
      path: z.string().startsWith('/').default('/hubspot/webhooks'),
      /** The URL registered in HubSpot, when a proxy changes scheme or host (MAILPROBE_HUBSPOT_PUBLIC_URL). */
      publicUrl: z.url().nullable().default(null),
      /** v3 only unless v1/v2 are listed explicitly (legacy signatures carry no timestamp). */
      acceptedSignatureVersions: z
        .array(z.enum(['v1', 'v2', 'v3']))
        .min(1)
        .default([...DEFAULT_SIGNATURE_VERSIONS]),
      maxSignatureAgeMs: z.number().int().positive().default(MAX_SIGNATURE_AGE_MS),
      legacyReplayWindowMs: z
        .number()
        .int()
        .positive()
        .default(24 * 60 * 60 * 1000),
      /** A delivery (headers and body) must have arrived whole within this; slower ones get 408 and are closed. */
      requestTimeoutMs: z.number().int().positive().default(WEBHOOK_RECEIVER_DEFAULTS.requestTimeoutMs),
      /** An idle keep-alive connection is closed after this. */
      keepAliveTimeoutMs: z.number().int().positive().default(WEBHOOK_RECEIVER_DEFAULTS.keepAliveTimeoutMs),
    })
    .prefault({}),
  worker: z
    .object({
      pollIntervalMs: z.number().int().positive().default(QUEUE_WORKER_DEFAULTS.pollIntervalMs),
      maxAttempts: z.number().int().positive().default(QUEUE_WORKER_DEFAULTS.maxAttempts),
      retryBaseDelayMs: z.number().int().positive().default(QUEUE_WORKER_DEFAULTS.retryBaseDelayMs),
      retryMaxDelayMs: z.number().int().positive().default(QUEUE_WORKER_DEFAULTS.retryMaxDelayMs),
    })
    .prefault({}),
  backfill: z
    .object({
      /** Contacts per search page (and per verify / write-back batch); HubSpot caps batches at 100. */
      pageSize: z.number().int().min(1).max(100).default(100),
    })
    .prefault({}),
});

export type EnricherConfig = z.infer<typeof EnricherConfigSchema>;
export type EnricherConfigInput = z.input<typeof EnricherConfigSchema>;

/** Environment variables read, and where each lands. */
export const CONFIG_ENV = {
  HUBSPOT_ACCESS_TOKEN: 'hubspot.accessToken',
  HUBSPOT_CLIENT_SECRET: 'hubspot.clientSecret',
  HUBSPOT_BASE_URL: 'hubspot.baseUrl',
  HUBSPOT_BURST_REQUESTS: 'hubspot.burstLimit.requests',
  HUBSPOT_BURST_WINDOW_MS: 'hubspot.burstLimit.windowMs',
  HUBSPOT_SEARCH_REQUESTS: 'hubspot.searchLimit.requests',
  HUBSPOT_SEARCH_WINDOW_MS: 'hubspot.searchLimit.windowMs',
  MAILPROBE_API_URL: 'prober.url',
  MAILPROBE_API_KEY: 'prober.apiKey',
  MAILPROBE_HUBSPOT_DATA_DIR: 'dataDir',
  MAILPROBE_HUBSPOT_LISTEN: 'listen',
  MAILPROBE_HUBSPOT_PUBLIC_URL: 'webhook.publicUrl',
} as const;

const NUMERIC_PATHS = new Set<string>([
  'hubspot.burstLimit.requests',
  'hubspot.burstLimit.windowMs',
  'hubspot.searchLimit.requests',
  'hubspot.searchLimit.windowMs',
]);

/** The file named by `file` or MAILPROBE_HUBSPOT_CONFIG (JSON, same shape as the config), then env, then overrides. */
export function loadEnricherConfig(
  options: { env?: NodeJS.ProcessEnv; file?: string; overrides?: EnricherConfigInput } = {},
): EnricherConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.MAILPROBE_HUBSPOT_CONFIG;
  let merged: Record<string, unknown> = {};
  if (file) merged = deepMerge(merged, readConfigFile(file));
  for (const [name, path] of Object.entries(CONFIG_ENV)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parsed = NUMERIC_PATHS.has(path) ? Number(value) : value;
    merged = deepMerge(merged, nested(path, parsed));
  }
  if (options.overrides) merged = deepMerge(merged, options.overrides as Record<string, unknown>);
  const result = EnricherConfigSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(
      `invalid configuration at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      {
        issues: result.error.issues.map((entry) => ({ path: entry.path.join('.'), message: entry.message })),
      },
    );
  }
  return result.data;
}

/** Throws a ConfigError naming the env variable of each required value that is missing. */
export function requireSettings(
  config: EnricherConfig,
  needed: ReadonlyArray<'accessToken' | 'clientSecret' | 'prober'>,
): void {
  const missing: string[] = [];
  if (needed.includes('accessToken') && config.hubspot.accessToken === null)
    missing.push('HUBSPOT_ACCESS_TOKEN');
  if (needed.includes('clientSecret') && config.hubspot.clientSecret === null)
    missing.push('HUBSPOT_CLIENT_SECRET');
  if (needed.includes('prober')) {
    if (config.prober.url === null) missing.push('MAILPROBE_API_URL');
    if (config.prober.apiKey === null) missing.push('MAILPROBE_API_KEY');
  }
  if (missing.length > 0) throw new ConfigError(`missing configuration: ${missing.join(', ')}`, { missing });
}

/** Splits `host:port` (IPv6 in brackets). */
export function parseListen(listen: string): { host: string; port: number } {
  const separator = listen.lastIndexOf(':');
  const host = listen.slice(0, separator).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(listen.slice(separator + 1)) };
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`config file ${file} is not a JSON object: ${(error as Error).message}`);
  }
}

function nested(path: string, value: unknown): Record<string, unknown> {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<
    string,
    unknown
  >;
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
