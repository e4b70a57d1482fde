import {
  EngineOptionsError,
  type EngineOptionsInput,
  engineOptionsFromEnv,
  type SmtpTimeouts,
} from '@mailprobe/engine';
import { type Command, InvalidArgumentError } from 'commander';
import { CliUsageError } from './cli-errors.js';

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
}

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

/** Flag and environment variable behind each engine option, for error messages. */
const OPTION_SOURCES: Record<string, string> = {
  dnsServers: '--dns-server / MAILPROBE_DNS_SERVERS',
  sourceAddresses: '--source-address / MAILPROBE_SOURCE_ADDRESSES',
  defaultHeloName: '--helo-name / MAILPROBE_HELO_NAME',
  mailFrom: '--mail-from / MAILPROBE_MAIL_FROM',
  ports: '--port / MAILPROBE_PORTS',
  fallbackPorts: '--fallback-port / MAILPROBE_FALLBACK_PORTS',
  'timeouts.totalMs': '--timeout-ms / MAILPROBE_TIMEOUT_MS',
  concurrency: '--concurrency / MAILPROBE_CONCURRENCY',
  maxSessionsPerMx: '--max-sessions-per-mx / MAILPROBE_MAX_SESSIONS_PER_MX',
  maxRejectionsPerSession: '--max-rejections-per-session / MAILPROBE_MAX_REJECTIONS_PER_SESSION',
};

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
    .option('--port <port>', 'SMTP port, repeatable (env MAILPROBE_PORTS; default: 25)', port)
    .option(
      '--fallback-port <port>',
      'port tried when --port is unreachable, repeatable (env MAILPROBE_FALLBACK_PORTS; default: 587)',
      port,
    )
    .option(
      '--timeout-ms <ms>',
      'deadline of one SMTP session; also caps each phase (env MAILPROBE_TIMEOUT_MS; default: 60000)',
      positiveInteger,
    )
    .option(
      '--concurrency <n>',
      'SMTP sessions in flight across all MX hosts (env MAILPROBE_CONCURRENCY; default: 64)',
      positiveInteger,
    )
    .option(
      '--max-sessions-per-mx <n>',
      'concurrent sessions per MX host (env MAILPROBE_MAX_SESSIONS_PER_MX; default: 2)',
      positiveInteger,
    )
    .option(
      '--max-rejections-per-session <n>',
      "refused RCPTs one SMTP session may collect before the rest go to a fresh one; keep it under the servers' error limits (env MAILPROBE_MAX_REJECTIONS_PER_SESSION; default: 8)",
      positiveInteger,
    )
    .option(
      '--allow-private-targets',
      'connect to private, loopback and reserved MX addresses (env MAILPROBE_ALLOW_PRIVATE_TARGETS=1)',
    )
    .option(
      '--implicit-mx',
      'without MX records, try the domain A/AAAA records, RFC 5321 §5.1 (env MAILPROBE_IMPLICIT_MX=1)',
    );
}

function fromFlags(flags: EngineFlagValues): EngineOptionsInput {
  const input: EngineOptionsInput = {};
  if (flags.dnsServer) input.dnsServers = flags.dnsServer;
  if (flags.sourceAddress) input.sourceAddresses = flags.sourceAddress;
  if (flags.heloName !== undefined) input.defaultHeloName = flags.heloName;
  if (flags.mailFrom !== undefined) input.mailFrom = flags.mailFrom;
  if (flags.port) input.ports = flags.port;
  if (flags.fallbackPort) input.fallbackPorts = flags.fallbackPort;
  if (flags.concurrency !== undefined) input.concurrency = flags.concurrency;
  if (flags.maxSessionsPerMx !== undefined) input.maxSessionsPerMx = flags.maxSessionsPerMx;
  if (flags.maxRejectionsPerSession !== undefined)
    input.maxRejectionsPerSession = flags.maxRejectionsPerSession;
  if (flags.allowPrivateTargets) input.allowPrivateTargets = true;
  if (flags.implicitMx) input.implicitMx = true;
  return input;
}

/** Engine options from MAILPROBE_* variables overridden by flags; bad values become usage errors. */
export function engineOptionsFrom(
  flags: EngineFlagValues,
  env: Readonly<Record<string, string | undefined>>,
): EngineOptionsInput {
  let fromEnv: EngineOptionsInput;
  try {
    fromEnv = engineOptionsFromEnv(env);
  } catch (error) {
    throw toUsageError(error);
  }
  const flagged = fromFlags(flags);
  const timeouts: Partial<SmtpTimeouts> = { ...fromEnv.timeouts };
  if (flags.timeoutMs !== undefined) timeouts.totalMs = flags.timeoutMs;
  return { ...fromEnv, ...flagged, ...(Object.keys(timeouts).length > 0 ? { timeouts } : {}) };
}

/** Turns an engine configuration error into a usage error naming the flag and variable. */
export function toUsageError(error: unknown): unknown {
  if (!EngineOptionsError.isInstance(error) || error.code !== 'invalid_option') return error;
  const option = 'option' in error && typeof error.option === 'string' ? error.option : '';
  const source = OPTION_SOURCES[option] ?? option;
  return new CliUsageError(`invalid ${source}: ${error.message.replace(`${option}: `, '')}`);
}
