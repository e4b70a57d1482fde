import { ENGINE_DEFAULTS } from '@mailprobe/engine';
import { type Command, InvalidArgumentError } from 'commander';

/** Engine settings as commander parses them from the flags shared by `verify` and `serve`. */
export interface EngineFlagValues {
  dnsServer?: string[];
  sourceAddress?: string[];
  heloName?: string;
  mailFrom?: string;
  port?: number[];
  fallbackPort?: number[];
  timeoutMs?: number;
  concurrency?: number;
  maxSessionsPerMx?: number;
  maxRejectionsPerSession?: number;
  allowPrivateTargets?: boolean;
  implicitMx?: boolean;
  proxy?: string[];
  proxyHeloName?: string[];
  route?: string[];
}

/** Every engine flag's key, to tell when one was given (they mean nothing to a remote prober). */
export const ENGINE_FLAG_KEYS = [
  'dnsServer',
  'sourceAddress',
  'heloName',
  'mailFrom',
  'port',
  'fallbackPort',
  'timeoutMs',
  'concurrency',
  'maxSessionsPerMx',
  'maxRejectionsPerSession',
  'allowPrivateTargets',
  'implicitMx',
  'proxy',
  'proxyHeloName',
  'route',
] as const satisfies ReadonlyArray<keyof EngineFlagValues>;

const MAX_PORT = 65_535;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a positive whole number');
  return Number(value);
}

function port(value: string, previous: number[] | undefined): number[] {
  const parsed = positiveInteger(value);
  if (parsed > MAX_PORT) throw new InvalidArgumentError('expected a TCP port (1-65535)');
  return [...(previous ?? []), parsed];
}

/** Adds the engine flags to a command. Every flag also has a MAILPROBE_* environment variable; flags win. */
export function addEngineFlags(command: Command): Command {
  return command
    .option(
      '--dns-server <ip[:port]>',
      'DNS resolver to use, repeatable (env MAILPROBE_DNS_SERVERS, comma-separated; default: the system resolvers)',
      collect,
    )
    .option(
      '--source-address <ip|cidr>',
      'dedicated source address or range to send probes from, repeatable (env MAILPROBE_SOURCE_ADDRESSES)',
      collect,
    )
    .option(
      '--helo-name <name>',
      'EHLO name when a source address has no configured or reverse-DNS name (env MAILPROBE_HELO_NAME; default: the host name)',
    )
    .option(
      '--mail-from <address>',
      'envelope sender for MAIL FROM (env MAILPROBE_MAIL_FROM; default: verify@<helo name>)',
    )
    .option(
      '--port <port>',
      `SMTP port, repeatable (env MAILPROBE_PORTS; default: ${ENGINE_DEFAULTS.ports.join(', ')})`,
      port,
    )
    .option(
      '--fallback-port <port>',
      `port tried when --port is unreachable, repeatable (env MAILPROBE_FALLBACK_PORTS; default: ${ENGINE_DEFAULTS.fallbackPorts.join(', ')})`,
      port,
    )
    .option(
      '--timeout-ms <ms>',
      `deadline of one SMTP session; also caps each phase (env MAILPROBE_TIMEOUT_MS; default: ${ENGINE_DEFAULTS.timeouts.totalMs})`,
      positiveInteger,
    )
    .option(
      '--concurrency <n>',
      `SMTP sessions in flight across all MX hosts (env MAILPROBE_CONCURRENCY; default: ${ENGINE_DEFAULTS.concurrency})`,
      positiveInteger,
    )
    .option(
      '--max-sessions-per-mx <n>',
      `concurrent sessions per MX host (env MAILPROBE_MAX_SESSIONS_PER_MX; default: ${ENGINE_DEFAULTS.maxSessionsPerMx})`,
      positiveInteger,
    )
    .option(
      '--max-rejections-per-session <n>',
      `refused RCPTs one SMTP session may collect before the rest go to a fresh one; keep it under the servers' error limits (env MAILPROBE_MAX_REJECTIONS_PER_SESSION; default: ${ENGINE_DEFAULTS.maxRejectionsPerSession})`,
      positiveInteger,
    )
    .option(
      '--allow-private-targets',
      'connect to private, loopback and reserved MX addresses (env MAILPROBE_ALLOW_PRIVATE_TARGETS=1)',
    )
    .option(
      '--implicit-mx',
      'without MX records, try the domain A/AAAA records, RFC 5321 §5.1 (env MAILPROBE_IMPLICIT_MX=1)',
    )
    .option(
      '--proxy <[name=]socks5://[user:password@]host:port>',
      'SOCKS5 egress for hosts where port 25 is closed, repeatable; one proxy alone carries every session (env MAILPROBE_PROXIES, comma-separated)',
      collect,
    )
    .option(
      '--proxy-helo-name <name=helo>',
      "EHLO name for sessions through a proxy: its egress address's PTR name, repeatable (env MAILPROBE_PROXY_HELO_NAMES)",
      collect,
    )
    .option(
      '--route <provider=proxy>',
      'send one mail provider (google, microsoft365, …, default) through a proxy or direct, repeatable (env MAILPROBE_EGRESS_ROUTES)',
      collect,
    );
}
