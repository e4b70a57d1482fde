import { isIP } from 'node:net';
import { createDnsClient, type DnsClient } from '../dns/dns-client.js';
import { lookupMx, type MxAddress } from '../dns/mx-lookup.js';
import { isAllowedTarget } from '../ip-policy.js';
import { type EngineOptions, type EngineOptionsInput, resolveEngineOptions } from '../options.js';
import { checkSourceAddresses, type SourceAddressReport } from '../pool/check-source-addresses.js';
import { HeloNames } from '../pool/helo-names.js';
import { SourcePool } from '../pool/source-pool.js';
import { checkDnsbl, DEFAULT_DNSBL_ZONES } from './dnsbl.js';
import type {
  DnsblFinding,
  DoctorCheck,
  DoctorReport,
  ProxyDoctorReport,
  SourceDoctorReport,
} from './doctor-report.js';
import { nodeStyleResolver } from './mailauth-resolver.js';
import { checkProxy } from './proxy-checks.js';
import { checkDmarc, checkMailFromDomain, checkSpf, mailFromDomain } from './sender-domain.js';
import { checkBind, checkOutboundSmtp } from './source-socket.js';

export interface DoctorOptions {
  /** The engine's options: source addresses, HELO names, MAIL FROM, DNS servers, ports, timeouts. */
  engine?: EngineOptionsInput;
  /** `host` or `host:port` for the outbound port-25 test; default: the MX of the MAIL FROM domain. */
  probeHost?: string;
  /** DNS blocklist zones; default `DEFAULT_DNSBL_ZONES`. */
  dnsblZones?: readonly string[];
  /** Leave out the outbound connection (serve's periodic run: it only needs DNS). */
  skipOutbound?: boolean;
}

interface ProbeTarget {
  name: string;
  port: number;
  addresses: MxAddress[];
}

function parseProbeHost(probeHost: string, defaultPort: number): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(probeHost);
  if (bracketed) return { host: bracketed[1] as string, port: Number(bracketed[2] ?? defaultPort) };
  const parts = probeHost.split(':');
  if (parts.length === 2) return { host: parts[0] as string, port: Number(parts[1]) };
  return { host: probeHost, port: defaultPort };
}

async function resolveTarget(
  dns: DnsClient,
  options: EngineOptions,
  probeHost: string | undefined,
  mailFrom: string,
): Promise<ProbeTarget | string> {
  const port = options.ports[0] as number;
  if (probeHost) {
    const { host, port: givenPort } = parseProbeHost(probeHost, port);
    const family = isIP(host);
    if (family !== 0)
      return { name: host, port: givenPort, addresses: [{ ip: host, family: family as 4 | 6 }] };
    const outcome = await lookupMx(dns, host, { implicitMx: true });
    const addresses = outcome.kind === 'mx' ? (outcome.hosts[0]?.addresses ?? []) : [];
    return addresses.length > 0
      ? { name: host, port: givenPort, addresses }
      : `--probe-host ${host} does not resolve`;
  }
  const domain = mailFromDomain(mailFrom);
  if (domain === null) return 'no --mail-from domain to take an MX from: give --probe-host';
  const outcome = await lookupMx(dns, domain, { implicitMx: false });
  if (outcome.kind !== 'mx' || !outcome.hosts[0])
    return `the MAIL FROM domain ${domain} has no usable MX (${outcome.kind}): give --probe-host`;
  return { name: outcome.hosts[0].host, port, addresses: outcome.hosts[0].addresses };
}

function summarizeDnsbl(findings: DnsblFinding[]): DoctorCheck {
  const listed = findings.filter((finding) => finding.state === 'listed');
  if (listed.length > 0) {
    const which = listed
      .map(
        (finding) =>
          `${finding.zone} (${finding.codes.join(',')}${finding.reason ? `: ${finding.reason}` : ''})`,
      )
      .join('; ');
    return { id: 'dnsbl', status: 'fail', detail: `listed on ${which}` };
  }
  const unknown = findings.filter((finding) => finding.state !== 'clear');
  if (unknown.length > 0) {
    const which = unknown.map(
      (finding) =>
        `${finding.zone}: ${finding.state} (${finding.reason ?? ''}${finding.codes.length ? ` ${finding.codes.join(',')}` : ''})`,
    );
    return {
      id: 'dnsbl',
      status: 'warn',
      detail: `not known for ${which.join('; ')} — use a resolver the list serves; clear on the others`,
    };
  }
  return {
    id: 'dnsbl',
    status: 'pass',
    detail: `not listed on ${findings.map((finding) => finding.zone).join(', ')}`,
  };
}

function reverseDnsChecks(report: SourceAddressReport): DoctorCheck[] {
  const ptr: DoctorCheck = report.ptr
    ? { id: 'ptr', status: 'pass', detail: `PTR ${report.ptr}` }
    : {
        id: 'ptr',
        status: 'fail',
        detail: `no PTR for ${report.address}: ask the provider of the range to set one`,
      };
  const fcrdns: DoctorCheck = report.forwardConfirmed
    ? { id: 'fcrdns', status: 'pass', detail: `${report.ptr} resolves back to ${report.address}` }
    : {
        id: 'fcrdns',
        status: 'fail',
        detail: report.ptr
          ? `${report.ptr} does not resolve back to ${report.address}: add that A/AAAA record`
          : 'no PTR to confirm',
      };
  const helo: DoctorCheck = report.heloMatchesPtr
    ? {
        id: 'helo',
        status: 'pass',
        detail: `HELO ${report.heloName} equals the PTR (${report.heloNameSource})`,
      }
    : {
        id: 'helo',
        status: 'fail',
        detail: `HELO ${report.heloName} (${report.heloNameSource}) is not the forward-confirmed PTR${report.ptr ? ` ${report.ptr}` : ''}`,
      };
  return [ptr, fcrdns, helo];
}

/**
 * The pre-flight check of a prober host: for each configured source address — binds here, reaches port 25,
 * has forward-confirmed reverse DNS matching its HELO name, is authorised by the MAIL FROM domain's SPF, is on
 * no DNS blocklist — and the MAIL FROM domain exists with a DMARC policy.
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const engine = resolveEngineOptions(options.engine);
  const dns = createDnsClient({
    servers: engine.dnsServers,
    timeoutMs: engine.dnsTimeoutMs,
    retries: engine.dnsRetries,
    cacheSize: 1000,
  });
  const resolver = nodeStyleResolver(dns);
  const zones = options.dnsblZones ?? DEFAULT_DNSBL_ZONES;
  const pool = new SourcePool(engine.sourceAddresses, 0);
  const heloNames = new HeloNames({ configured: engine.heloNames, defaultName: engine.defaultHeloName, dns });
  // Unset MAIL FROM means `verify@<HELO name in use>`, so the sender domain may differ per source.
  const senderFor = (heloName: string) => engine.mailFrom ?? `verify@${heloName}`;
  const domainChecks = new Map<string, Promise<[DoctorCheck, DoctorCheck]>>();
  const checkDomain = (mailFrom: string) => {
    const domain = mailFromDomain(mailFrom);
    const key = domain ?? '';
    let checks = domainChecks.get(key);
    if (!checks) {
      checks = Promise.all([checkMailFromDomain(dns, domain), checkDmarc(resolver, domain)]);
      domainChecks.set(key, checks);
    }
    return checks;
  };

  const reports = pool.configured ? await checkSourceAddresses(pool, heloNames, dns) : [];
  const firstSender = senderFor(reports[0]?.heloName ?? heloNames.fallback.name);
  const target = options.skipOutbound
    ? null
    : await resolveTarget(dns, engine, options.probeHost, firstSender);

  // With every provider routed through a proxy, this host's own port 25 is never used.
  const allProxied = engine.egressRoutes.default !== undefined && engine.egressRoutes.default !== 'direct';
  const outbound = async (address: string | null): Promise<DoctorCheck | null> => {
    if (target === null) return null;
    if (allProxied)
      return { id: 'outbound_smtp', status: 'skip', detail: 'every session goes through a SOCKS5 proxy' };
    if (typeof target === 'string') return { id: 'outbound_smtp', status: 'fail', detail: target };
    const family = address === null ? undefined : (isIP(address) as 4 | 6);
    const candidate = target.addresses.find((entry) => family === undefined || entry.family === family);
    if (!candidate)
      return { id: 'outbound_smtp', status: 'skip', detail: `${target.name} has no IPv${family} address` };
    if (!isAllowedTarget(candidate.ip, engine.allowPrivateTargets))
      return {
        id: 'outbound_smtp',
        status: 'fail',
        detail: `${target.name} is a private address ${candidate.ip}`,
      };
    return checkOutboundSmtp(
      { host: candidate.ip, port: target.port, name: target.name },
      address ?? undefined,
      engine.timeouts.connectMs + engine.timeouts.greetingMs,
    );
  };

  const sources: SourceDoctorReport[] = [];
  if (reports.length === 0) {
    const checks: DoctorCheck[] = [
      {
        id: 'bind',
        status: 'warn',
        detail: 'no dedicated source address (--source-address): the OS picks one, which cannot be checked',
      },
    ];
    const connection = await outbound(null);
    if (connection) checks.push(connection);
    const [domainCheck, dmarcCheck] = await checkDomain(firstSender);
    checks.push(domainCheck, dmarcCheck);
    sources.push(finish(null, checks, []));
  }
  for (const report of reports) {
    const mailFrom = senderFor(report.heloName);
    const [bind, connection, [domainCheck, dmarcCheck], spf, findings] = await Promise.all([
      checkBind(report.address),
      outbound(report.address),
      checkDomain(mailFrom),
      checkSpf(resolver, { ip: report.address, mailFrom, heloName: report.heloName }),
      Promise.all(zones.map((zone) => checkDnsbl(dns, report.address, zone))),
    ]);
    const checks = [
      bind,
      ...(connection ? [connection] : []),
      ...reverseDnsChecks(report),
      domainCheck,
      spf,
      dmarcCheck,
    ];
    if (zones.length > 0) checks.push(summarizeDnsbl(findings));
    sources.push(finish(report.address, checks, findings));
  }
  const probeTarget = target && typeof target !== 'string' ? `${target.name}:${target.port}` : null;
  const proxyTarget = (): { ip: string; port: number; name: string } | string => {
    if (target === null) return 'outbound checks skipped';
    if (typeof target === 'string') return target;
    const candidate = target.addresses.find((entry) => isAllowedTarget(entry.ip, engine.allowPrivateTargets));
    return candidate
      ? { ip: candidate.ip, port: target.port, name: target.name }
      : `${target.name} has only private addresses`;
  };
  const proxies: ProxyDoctorReport[] = options.skipOutbound
    ? []
    : await Promise.all(
        engine.proxies.map((proxy) =>
          checkProxy(proxy, proxyTarget(), {
            ...engine.proxyTimeouts,
            greetingMs: engine.timeouts.greetingMs,
          }),
        ),
      );
  return {
    ok: sources.every((source) => source.ok) && proxies.every((proxy) => proxy.ok),
    mailFrom: engine.mailFrom ?? 'verify@<HELO name in use>',
    probeTarget,
    sources,
    proxies,
  };
}

function finish(address: string | null, checks: DoctorCheck[], dnsbl: DnsblFinding[]): SourceDoctorReport {
  return {
    address,
    checks,
    dnsbl,
    listed: dnsbl.some((finding) => finding.state === 'listed'),
    ok: checks.every((check) => check.status !== 'fail'),
  };
}
