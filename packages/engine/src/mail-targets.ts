import { isIP } from 'node:net';
import type { ParsedAddress } from '@mailprobe/core';
import type { DnsClient } from './dns/dns-client.js';
import { lookupMx, type MxHost } from './dns/mx-lookup.js';
import { isAllowedTarget } from './ip-policy.js';
import type { StageOutcome } from './verdict.js';

/** The DNS stage of one domain: where to connect, or the outcome that ends verification there. */
export type MailTargets =
  | { kind: 'hosts'; hosts: MxHost[]; exchanges: string[]; dnsMs: number }
  | { kind: 'stop'; outcome: Extract<StageOutcome, { stage: 'dns' }>; exchanges: string[]; dnsMs: number };

export interface MailTargetOptions {
  implicitMx: boolean;
  allowPrivateTargets: boolean;
  signal?: AbortSignal;
  random?: () => number;
}

// `[192.0.2.1]` or `[IPv6:2001:db8::1]` (RFC 5321 §4.1.3).
function literalIp(domain: string): string | null {
  const inner = domain.replace(/^\[/, '').replace(/\]$/, '');
  const ip = inner.toLowerCase().startsWith('ipv6:') ? inner.slice('ipv6:'.length) : inner;
  return isIP(ip) === 0 ? null : ip;
}

/** Resolves a domain's mail hosts and applies the SSRF guard: only allowed addresses remain. */
export async function resolveMailTargets(
  dns: DnsClient,
  address: Pick<ParsedAddress, 'domain' | 'literal'>,
  options: MailTargetOptions,
): Promise<MailTargets> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let hosts: MxHost[];
  if (address.literal) {
    const ip = literalIp(address.domain);
    if (ip === null)
      return { kind: 'stop', outcome: { stage: 'dns', kind: 'unroutable' }, exchanges: [], dnsMs: 0 };
    hosts = [{ host: ip, preference: 0, addresses: [{ ip, family: isIP(ip) as 4 | 6 }] }];
  } else {
    const outcome = await lookupMx(dns, address.domain, {
      implicitMx: options.implicitMx,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
    if (outcome.kind === 'mx_unresolvable') {
      return {
        kind: 'stop',
        outcome: { stage: 'dns', kind: 'mx_unresolvable' },
        exchanges: outcome.exchanges,
        dnsMs: elapsed(),
      };
    }
    if (outcome.kind !== 'mx') {
      return { kind: 'stop', outcome: { stage: 'dns', kind: outcome.kind }, exchanges: [], dnsMs: elapsed() };
    }
    hosts = outcome.hosts;
  }
  const exchanges = hosts.map((host) => host.host);
  const allowed = hosts
    .map((host) => ({
      ...host,
      addresses: host.addresses.filter((candidate) =>
        isAllowedTarget(candidate.ip, options.allowPrivateTargets),
      ),
    }))
    .filter((host) => host.addresses.length > 0);
  if (allowed.length === 0) {
    return { kind: 'stop', outcome: { stage: 'dns', kind: 'unroutable' }, exchanges, dnsMs: elapsed() };
  }
  return { kind: 'hosts', hosts: allowed, exchanges, dnsMs: elapsed() };
}
