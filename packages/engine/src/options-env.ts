import { parseRoutesFlag, proxyOptions } from './egress/socks5-proxy.js';
import { EngineOptionsError } from './errors.js';
import type { EngineOptionsInput, SmtpTimeouts } from './options.js';

type Env = Readonly<Record<string, string | undefined>>;

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', '']);

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function integer(name: string, value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new EngineOptionsError(name, `expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value.trim());
}

function boolean(name: string, value: string): boolean {
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new EngineOptionsError(name, `expected 1 or 0, got ${JSON.stringify(value)}`);
}

function heloNames(name: string, value: string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const pair of list(value)) {
    const separator = pair.indexOf('=');
    if (separator <= 0 || separator === pair.length - 1) {
      throw new EngineOptionsError(name, `expected ip=name pairs, got ${JSON.stringify(pair)}`);
    }
    names[pair.slice(0, separator).trim()] = pair.slice(separator + 1).trim();
  }
  return names;
}

const INTEGER_VARIABLES = {
  MAILPROBE_DNS_TIMEOUT_MS: 'dnsTimeoutMs',
  MAILPROBE_DNS_RETRIES: 'dnsRetries',
  MAILPROBE_DNS_CACHE_SIZE: 'dnsCacheSize',
  MAILPROBE_CONCURRENCY: 'concurrency',
  MAILPROBE_MAX_SESSIONS_PER_MX: 'maxSessionsPerMx',
  MAILPROBE_MAX_CONNECTIONS_PER_MINUTE: 'maxConnectionsPerMinute',
  MAILPROBE_RECIPIENTS_PER_SESSION: 'recipientsPerSession',
  MAILPROBE_MAX_REJECTIONS_PER_SESSION: 'maxRejectionsPerSession',
  MAILPROBE_MAX_MX_ATTEMPTS: 'maxMxAttempts',
  MAILPROBE_CATCH_ALL_TTL_MS: 'catchAllTtlMs',
  MAILPROBE_BLOCKED_COOLDOWN_MS: 'blockedCooldownMs',
  MAILPROBE_PROXY_BENCH_MS: 'proxyBenchMs',
} as const satisfies Record<string, keyof EngineOptionsInput>;

const BOOLEAN_VARIABLES = {
  MAILPROBE_ALLOW_PRIVATE_TARGETS: 'allowPrivateTargets',
  MAILPROBE_IMPLICIT_MX: 'implicitMx',
  MAILPROBE_STARTTLS: 'starttls',
} as const satisfies Record<string, keyof EngineOptionsInput>;

const TIMEOUT_VARIABLES = {
  MAILPROBE_TIMEOUT_MS: 'totalMs',
  MAILPROBE_CONNECT_TIMEOUT_MS: 'connectMs',
  MAILPROBE_GREETING_TIMEOUT_MS: 'greetingMs',
  MAILPROBE_COMMAND_TIMEOUT_MS: 'commandMs',
} as const satisfies Record<string, keyof SmtpTimeouts>;

/** The environment variables `engineOptionsFromEnv` reads, for help texts. */
export const ENGINE_ENV_VARIABLES = [
  'MAILPROBE_DNS_SERVERS',
  'MAILPROBE_SOURCE_ADDRESSES',
  'MAILPROBE_HELO_NAME',
  'MAILPROBE_HELO_NAMES',
  'MAILPROBE_MAIL_FROM',
  'MAILPROBE_PORT',
  'MAILPROBE_PORTS',
  'MAILPROBE_FALLBACK_PORTS',
  'MAILPROBE_PROXIES',
  'MAILPROBE_PROXY_HELO_NAMES',
  'MAILPROBE_EGRESS_ROUTES',
  ...Object.keys(TIMEOUT_VARIABLES),
  ...Object.keys(INTEGER_VARIABLES),
  ...Object.keys(BOOLEAN_VARIABLES),
] as const;

/**
 * Reads `MAILPROBE_*` variables into an options input (unset variables are left out, so defaults apply).
 * Lists are comma-separated; `MAILPROBE_HELO_NAMES` is `ip=name,ip=name`; booleans are 1/0.
 */
export function engineOptionsFromEnv(env: Env = process.env): EngineOptionsInput {
  const input: EngineOptionsInput = {};
  const read = (name: string): string | undefined => env[name];

  const dnsServers = read('MAILPROBE_DNS_SERVERS');
  if (dnsServers !== undefined) input.dnsServers = list(dnsServers);
  const sources = read('MAILPROBE_SOURCE_ADDRESSES');
  if (sources !== undefined) input.sourceAddresses = list(sources);
  const helo = read('MAILPROBE_HELO_NAME');
  if (helo !== undefined) input.defaultHeloName = helo.trim();
  const helos = read('MAILPROBE_HELO_NAMES');
  if (helos !== undefined) input.heloNames = heloNames('MAILPROBE_HELO_NAMES', helos);
  const sender = read('MAILPROBE_MAIL_FROM');
  if (sender !== undefined) input.mailFrom = sender.trim();

  const ports = read('MAILPROBE_PORTS') ?? read('MAILPROBE_PORT');
  if (ports !== undefined) input.ports = list(ports).map((port) => integer('MAILPROBE_PORTS', port));
  const fallback = read('MAILPROBE_FALLBACK_PORTS');
  if (fallback !== undefined) {
    input.fallbackPorts = list(fallback).map((port) => integer('MAILPROBE_FALLBACK_PORTS', port));
  }

  // `MAILPROBE_PROXIES=p1=socks5://user:pass@host:1080,p2=socks5://host2:1080` (userinfo `,` percent-encoded).
  const proxies = read('MAILPROBE_PROXIES');
  if (proxies !== undefined) {
    const helos = read('MAILPROBE_PROXY_HELO_NAMES');
    input.proxies = proxyOptions(
      'MAILPROBE_PROXY_HELO_NAMES',
      list(proxies),
      helos === undefined ? {} : heloNames('MAILPROBE_PROXY_HELO_NAMES', helos),
    );
  }
  const routes = read('MAILPROBE_EGRESS_ROUTES');
  if (routes !== undefined) input.egressRoutes = parseRoutesFlag('MAILPROBE_EGRESS_ROUTES', routes);

  for (const [name, key] of Object.entries(INTEGER_VARIABLES)) {
    const value = read(name);
    if (value !== undefined) input[key] = integer(name, value);
  }
  for (const [name, key] of Object.entries(BOOLEAN_VARIABLES)) {
    const value = read(name);
    if (value !== undefined) input[key] = boolean(name, value);
  }
  const timeouts: Partial<SmtpTimeouts> = {};
  for (const [name, key] of Object.entries(TIMEOUT_VARIABLES)) {
    const value = read(name);
    if (value !== undefined) timeouts[key] = integer(name, value);
  }
  if (Object.keys(timeouts).length > 0) input.timeouts = timeouts;
  return input;
}
