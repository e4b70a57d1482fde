import {
  EngineOptionsError,
  type EngineOptionsInput,
  engineOptionsFromEnv,
  parseRoutesFlag,
  proxyOptions,
  type SmtpTimeouts,
} from '@mailprobe/engine';
import { CliUsageError } from './cli-errors.js';
import type { EngineFlagValues } from './engine-flags.js';

// Kept apart from engine-flags.ts: this module loads the engine, which only commands that probe need.

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
  proxies: '--proxy / MAILPROBE_PROXIES',
  egressRoutes: '--route / MAILPROBE_EGRESS_ROUTES',
};

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
  if (flags.proxy) {
    const helos = Object.fromEntries(
      (flags.proxyHeloName ?? []).map((pair) => {
        const separator = pair.indexOf('=');
        return [pair.slice(0, separator), pair.slice(separator + 1)];
      }),
    );
    input.proxies = proxyOptions('--proxy-helo-name', flags.proxy, helos);
  }
  if (flags.route) input.egressRoutes = parseRoutesFlag('--route', flags.route.join(','));
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
  let flagged: EngineOptionsInput;
  try {
    flagged = fromFlags(flags);
  } catch (error) {
    throw toUsageError(error);
  }
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
