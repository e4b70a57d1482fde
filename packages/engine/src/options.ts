import type { CatchAllCache } from './catch-all-cache.js';
import { parseDnsServer } from './dns/dns-server-address.js';
import type { ProxyBench } from './egress/egress-router.js';
import type { ProxyTimeouts } from './egress/socks5-dial.js';
import {
  checkRoutes,
  type EgressRoutes,
  type ProxyOption,
  parseProxy,
  type Socks5Proxy,
} from './egress/socks5-proxy.js';
import { EngineOptionsError } from './errors.js';
import type { EngineWarning } from './pool/helo-names.js';
import type { MxLimiter } from './pool/mx-limiter.js';
import { parseSourceRange } from './pool/source-range.js';

/** Named SMTP timeouts, per phase, plus the deadline of a whole session. */
export interface SmtpTimeouts {
  /** TCP connect to one MX address and port. */
  connectMs: number;
  /** From connection to the 220 greeting (tarpits stall here). */
  greetingMs: number;
  /** Each command's reply (EHLO, STARTTLS, MAIL, RCPT, RSET, QUIT). */
  commandMs: number;
  /** Hard deadline of one SMTP session, whatever happens inside it. */
  totalMs: number;
}

/** The engine's whole configuration. Every field has a documented default (see `ENGINE_DEFAULTS`). */
export interface EngineOptions {
  /** DNS resolvers as `ip` or `ip:port` (`[v6]:port`); empty = the system's resolvers. */
  dnsServers: string[];
  /** Time to wait for one DNS reply before retrying. */
  dnsTimeoutMs: number;
  /** Extra attempts after a DNS timeout (rotating through `dnsServers`). */
  dnsRetries: number;
  /** Upper bound of DNS answers kept in the TTL-honouring LRU cache. */
  dnsCacheSize: number;
  /** RFC 5321 §5.1: with no MX, deliver to the domain's A/AAAA. Off: no MX means `no_mx`, no probe. */
  implicitMx: boolean;
  /** Connect to private, loopback and reserved MX addresses (tests only; an SSRF guard otherwise). */
  allowPrivateTargets: boolean;
  /** Dedicated source addresses: IPs or CIDRs, IPv4 and IPv6. Empty = the OS chooses. */
  sourceAddresses: string[];
  /** HELO name per source IP; a source without one uses its forward-confirmed PTR name, else the default name. */
  heloNames: Record<string, string>;
  /**
   * HELO name for sources without their own. Unset (automatic): when the OS chooses the source, the forward-confirmed
   * PTR name of the connection's local address (looked up once); else, by Postfix's `myhostname` rule, the host
   * name when fully qualified, or the host name plus `.localdomain`.
   */
  defaultHeloName?: string;
  /** Envelope sender for `MAIL FROM:<…>`; empty string = the null reverse-path `<>`. Unset: `verify@<HELO name in use>`. */
  mailFrom?: string;
  /** SMTP ports tried first on every MX address. */
  ports: number[];
  /** Ports tried on the same address only when none of `ports` could be reached. */
  fallbackPorts: number[];
  timeouts: SmtpTimeouts;
  /** Upper bound of SMTP sessions in flight across all MX hosts (DNS lookups: at most 64 at once, or this if lower). */
  concurrency: number;
  /** Politeness: concurrent sessions per MX host name and per MX IP address. */
  maxSessionsPerMx: number;
  /** Politeness: new connections per minute per (source address, MX host name) and per (source, MX IP address). */
  maxConnectionsPerMinute: number;
  /**
   * Recipients asked in one SMTP session by `verifyMany`, across every domain the session serves (domains whose MX
   * is the same address share sessions: one transaction per domain, RSET between).
   */
  recipientsPerSession: number;
  /**
   * Refused RCPTs (the catch-all probe included) one session may collect before it ends and the rest go to a
   * fresh session: the most Postfix's `smtpd_soft_error_limit` (10) answers without delay (from the 10th on, every
   * reply waits 1 s; at `smtpd_hard_error_limit`, 20, the session is cut). Every refusal the cap allows is one fewer
   * session; many refusals in one session also read as address harvesting.
   */
  maxRejectionsPerSession: number;
  /** MX addresses tried, in preference order, when connecting fails. */
  maxMxAttempts: number;
  /** How long a domain's catch-all verdict is trusted. */
  catchAllTtlMs: number;
  /** How long a source address refused as `blocked` by an MX host is not used for that host. */
  blockedCooldownMs: number;
  /** Upgrade with STARTTLS when offered (certificate not checked, as MTAs do). */
  starttls: boolean;
  /** SOCKS5 egresses (`socks5://[user:password@]host:port`, a name, an optional HELO name); passwords never shown. */
  proxies: Socks5Proxy[];
  /** Provider id (or `default`) → proxy name or `direct`. Unset providers follow `default`; no default: direct. */
  egressRoutes: EgressRoutes;
  /** Named timeouts of the proxy phases (inside `timeouts.totalMs`). */
  proxyTimeouts: ProxyTimeouts;
  /** How long a proxy that failed itself (unreachable, auth refused, not allowed, stalled) is left unused. */
  proxyBenchMs: number;
  /** Shared per-MX limits; default in memory (one process). The prober plugs a Redis one for a fleet. */
  mxLimiter?: MxLimiter;
  /** Shared proxy benching; default this process alone. The prober plugs a Redis one for a fleet. */
  proxyBench?: ProxyBench;
  /** Shared catch-all verdicts; default in memory. */
  catchAllCache?: CatchAllCache;
  /** Told once per name when the HELO name in use is not fully qualified or not forward-confirmed. */
  onWarning?: (warning: EngineWarning) => void;
}

/** What callers pass: every field optional, timeouts merged field by field. */
export type EngineOptionsInput = Partial<Omit<EngineOptions, 'timeouts' | 'proxies' | 'proxyTimeouts'>> & {
  timeouts?: Partial<SmtpTimeouts>;
  proxies?: ProxyOption[];
  proxyTimeouts?: Partial<ProxyTimeouts>;
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Defaults, chosen for a polite verifier on the public internet. */
export const ENGINE_DEFAULTS = {
  dnsServers: [] as string[],
  dnsTimeoutMs: 3000,
  dnsRetries: 2,
  dnsCacheSize: 10_000,
  implicitMx: false,
  allowPrivateTargets: false,
  sourceAddresses: [] as string[],
  ports: [25],
  fallbackPorts: [587],
  timeouts: { connectMs: 10_000, greetingMs: 30_000, commandMs: 30_000, totalMs: 60_000 },
  // Room for every MX address of a list of 50 servers to take its second session while work waits for it
  // (maxSessionsPerMx); the per-MX limits, not this, are what keep each server's load down.
  concurrency: 128,
  maxSessionsPerMx: 2,
  maxConnectionsPerMinute: 30,
  recipientsPerSession: 100,
  maxRejectionsPerSession: 9,
  maxMxAttempts: 3,
  catchAllTtlMs: 24 * HOUR_MS,
  blockedCooldownMs: 30 * MINUTE_MS,
  starttls: true,
  proxyTimeouts: { connectMs: 5000, greetingMs: 5000, replyMs: 15_000 },
  proxyBenchMs: 60_000,
} as const;

// A HELO name or sender must never smuggle a second SMTP command or break the line:
// no control byte, space, DEL or angle bracket.
const SPACE = 0x20;
const DELETE = 0x7f;
function unsafeSmtpText(text: string): boolean {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code <= SPACE || code === DELETE || character === '<' || character === '>') return true;
  }
  return false;
}
const MAX_HELO_NAME_LENGTH = 255;
const MAX_MAIL_FROM_LENGTH = 254;
const MAX_PORT = 65_535;

function positiveInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new EngineOptionsError(option, `expected a positive integer, got ${String(value)}`);
  }
  return value;
}

function nonNegativeInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new EngineOptionsError(option, `expected a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function portList(option: string, ports: readonly number[], allowEmpty: boolean): number[] {
  if (!allowEmpty && ports.length === 0) throw new EngineOptionsError(option, 'at least one port is needed');
  return ports.map((port) => {
    if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) {
      throw new EngineOptionsError(option, `not a TCP port: ${String(port)}`);
    }
    return port;
  });
}

function heloName(option: string, name: string): string {
  if (name.length === 0 || name.length > MAX_HELO_NAME_LENGTH || unsafeSmtpText(name)) {
    throw new EngineOptionsError(option, `not a usable HELO name: ${JSON.stringify(name)}`);
  }
  return name;
}

function mailFrom(value: string): string {
  if (value.length > MAX_MAIL_FROM_LENGTH || unsafeSmtpText(value)) {
    throw new EngineOptionsError('mailFrom', `not a usable envelope sender: ${JSON.stringify(value)}`);
  }
  if (value !== '' && !/^[^@]+@[^@]+$/.test(value)) {
    throw new EngineOptionsError(
      'mailFrom',
      `expected local@domain or an empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function timeouts(input: Partial<SmtpTimeouts> | undefined): SmtpTimeouts {
  const totalMs = positiveInteger('timeouts.totalMs', input?.totalMs ?? ENGINE_DEFAULTS.timeouts.totalMs);
  // A phase never outlives the session deadline, so `--timeout-ms 5000` alone bounds every phase.
  const phase = (name: 'connectMs' | 'greetingMs' | 'commandMs') =>
    Math.min(positiveInteger(`timeouts.${name}`, input?.[name] ?? ENGINE_DEFAULTS.timeouts[name]), totalMs);
  return {
    connectMs: phase('connectMs'),
    greetingMs: phase('greetingMs'),
    commandMs: phase('commandMs'),
    totalMs,
  };
}

function egress(
  input: EngineOptionsInput,
): Pick<EngineOptions, 'proxies' | 'egressRoutes' | 'proxyTimeouts' | 'proxyBenchMs'> {
  const proxies = (input.proxies ?? []).map((option, index) => {
    if (option.heloName !== undefined) heloName(`proxies[${index}].heloName`, option.heloName);
    return parseProxy(option, index);
  });
  const names = new Set<string>();
  for (const proxy of proxies) {
    if (names.has(proxy.name)) throw new EngineOptionsError('proxies', `two proxies named ${proxy.name}`);
    names.add(proxy.name);
  }
  // One proxy and no routes: everything goes through it, which is what `--proxy url` alone means.
  const routes =
    input.egressRoutes ?? (proxies.length === 1 ? { default: (proxies[0] as Socks5Proxy).name } : {});
  const totalMs = input.timeouts?.totalMs ?? ENGINE_DEFAULTS.timeouts.totalMs;
  const phase = (name: keyof ProxyTimeouts) =>
    Math.min(
      positiveInteger(
        `proxyTimeouts.${name}`,
        input.proxyTimeouts?.[name] ?? ENGINE_DEFAULTS.proxyTimeouts[name],
      ),
      totalMs,
    );
  return {
    proxies,
    egressRoutes: checkRoutes(routes, proxies),
    proxyTimeouts: {
      connectMs: phase('connectMs'),
      greetingMs: phase('greetingMs'),
      replyMs: phase('replyMs'),
    },
    proxyBenchMs: nonNegativeInteger('proxyBenchMs', input.proxyBenchMs ?? ENGINE_DEFAULTS.proxyBenchMs),
  };
}

/** Fills defaults and validates every field; throws `EngineOptionsError` (code `invalid_option`). */
export function resolveEngineOptions(input: EngineOptionsInput = {}): EngineOptions {
  const dnsServers = [...(input.dnsServers ?? ENGINE_DEFAULTS.dnsServers)];
  for (const server of dnsServers) parseDnsServer(server);
  const sourceAddresses = [...(input.sourceAddresses ?? ENGINE_DEFAULTS.sourceAddresses)];
  for (const source of sourceAddresses) parseSourceRange(source);
  const heloNames: Record<string, string> = {};
  for (const [ip, name] of Object.entries(input.heloNames ?? {}))
    heloNames[ip] = heloName(`heloNames.${ip}`, name);

  const options: EngineOptions = {
    dnsServers,
    dnsTimeoutMs: positiveInteger('dnsTimeoutMs', input.dnsTimeoutMs ?? ENGINE_DEFAULTS.dnsTimeoutMs),
    dnsRetries: nonNegativeInteger('dnsRetries', input.dnsRetries ?? ENGINE_DEFAULTS.dnsRetries),
    dnsCacheSize: nonNegativeInteger('dnsCacheSize', input.dnsCacheSize ?? ENGINE_DEFAULTS.dnsCacheSize),
    implicitMx: input.implicitMx ?? ENGINE_DEFAULTS.implicitMx,
    allowPrivateTargets: input.allowPrivateTargets ?? ENGINE_DEFAULTS.allowPrivateTargets,
    sourceAddresses,
    heloNames,
    ports: portList('ports', input.ports ?? ENGINE_DEFAULTS.ports, false),
    fallbackPorts: portList('fallbackPorts', input.fallbackPorts ?? ENGINE_DEFAULTS.fallbackPorts, true),
    timeouts: timeouts(input.timeouts),
    concurrency: positiveInteger('concurrency', input.concurrency ?? ENGINE_DEFAULTS.concurrency),
    maxSessionsPerMx: positiveInteger(
      'maxSessionsPerMx',
      input.maxSessionsPerMx ?? ENGINE_DEFAULTS.maxSessionsPerMx,
    ),
    maxConnectionsPerMinute: positiveInteger(
      'maxConnectionsPerMinute',
      input.maxConnectionsPerMinute ?? ENGINE_DEFAULTS.maxConnectionsPerMinute,
    ),
    recipientsPerSession: positiveInteger(
      'recipientsPerSession',
      input.recipientsPerSession ?? ENGINE_DEFAULTS.recipientsPerSession,
    ),
    maxRejectionsPerSession: positiveInteger(
      'maxRejectionsPerSession',
      input.maxRejectionsPerSession ?? ENGINE_DEFAULTS.maxRejectionsPerSession,
    ),
    maxMxAttempts: positiveInteger('maxMxAttempts', input.maxMxAttempts ?? ENGINE_DEFAULTS.maxMxAttempts),
    catchAllTtlMs: nonNegativeInteger('catchAllTtlMs', input.catchAllTtlMs ?? ENGINE_DEFAULTS.catchAllTtlMs),
    blockedCooldownMs: nonNegativeInteger(
      'blockedCooldownMs',
      input.blockedCooldownMs ?? ENGINE_DEFAULTS.blockedCooldownMs,
    ),
    starttls: input.starttls ?? ENGINE_DEFAULTS.starttls,
    ...egress(input),
  };
  if (input.defaultHeloName !== undefined)
    options.defaultHeloName = heloName('defaultHeloName', input.defaultHeloName);
  if (input.mailFrom !== undefined) options.mailFrom = mailFrom(input.mailFrom);
  if (input.onWarning) options.onWarning = input.onWarning;
  if (input.mxLimiter) options.mxLimiter = input.mxLimiter;
  if (input.proxyBench) options.proxyBench = input.proxyBench;
  if (input.catchAllCache) options.catchAllCache = input.catchAllCache;
  return options;
}
