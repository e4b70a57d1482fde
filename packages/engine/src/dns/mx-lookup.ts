import { isIP } from 'node:net';
import type { DnsAnswer, DnsClient } from './dns-client.js';

export interface MxAddress {
  ip: string;
  family: 4 | 6;
}

/** One mail exchange with its resolved addresses (IPv4 first, then IPv6). */
export interface MxHost {
  host: string;
  preference: number;
  addresses: MxAddress[];
}

/** The typed outcome of the DNS stage. */
export type MxOutcome =
  | { kind: 'mx'; hosts: MxHost[]; implicit: boolean }
  | { kind: 'domain_not_found' }
  | { kind: 'no_mx' }
  | { kind: 'null_mx' }
  | { kind: 'dns_error'; message: string }
  /** Every exchange is a name without addresses: mail cannot be delivered, but nothing is proven. */
  | { kind: 'mx_unresolvable'; exchanges: string[] };

export interface MxLookupOptions {
  implicitMx: boolean;
  signal?: AbortSignal;
  /** Random source for ordering equal preferences; injectable for tests. */
  random?: () => number;
}

// Resolving dozens of exchanges would be slow and pointless: only the first few are ever tried.
const MAX_EXCHANGES_RESOLVED = 10;

function stripDot(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

function describeFailure(answer: DnsAnswer, what: string): string {
  return `${what}: ${answer.rcode}`;
}

type HostResolution = { kind: 'resolved'; addresses: MxAddress[] } | { kind: 'none' } | { kind: 'error' };

async function resolveHost(dns: DnsClient, host: string, signal?: AbortSignal): Promise<HostResolution> {
  const literalFamily = isIP(host);
  if (literalFamily !== 0)
    return { kind: 'resolved', addresses: [{ ip: host, family: literalFamily as 4 | 6 }] };
  const options = signal ? { signal } : {};
  const [v4, v6] = await Promise.allSettled([
    dns.query(host, 'A', options),
    dns.query(host, 'AAAA', options),
  ]);
  const addresses: MxAddress[] = [];
  let failures = 0;
  for (const [result, family] of [
    [v4, 4],
    [v6, 6],
  ] as const) {
    if (result.status === 'rejected') {
      if (signal?.aborted) throw result.reason;
      failures += 1;
      continue;
    }
    if (result.value.rcode !== 'NOERROR' && result.value.rcode !== 'NXDOMAIN') failures += 1;
    for (const record of result.value.records) {
      if ((record.type === 'A' || record.type === 'AAAA') && typeof record.data === 'string') {
        addresses.push({ ip: record.data, family });
      }
    }
  }
  if (addresses.length > 0) return { kind: 'resolved', addresses };
  return failures > 0 ? { kind: 'error' } : { kind: 'none' };
}

function shuffleEqualPreferences<T extends { preference: number }>(items: T[], random: () => number): T[] {
  const keyed = items.map((item) => ({ item, tieBreak: random() }));
  keyed.sort((left, right) => left.item.preference - right.item.preference || left.tieBreak - right.tieBreak);
  return keyed.map(({ item }) => item);
}

/**
 * The DNS stage: MX records (RFC 7505 null MX, optional RFC 5321 §5.1 implicit MX), sorted by
 * preference with equal preferences shuffled, each exchange resolved to A and AAAA; exchanges
 * that resolve to nothing are skipped.
 */
export async function lookupMx(dns: DnsClient, domain: string, options: MxLookupOptions): Promise<MxOutcome> {
  const random = options.random ?? Math.random;
  const queryOptions = options.signal ? { signal: options.signal } : {};
  let answer: DnsAnswer;
  try {
    answer = await dns.query(domain, 'MX', queryOptions);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { kind: 'dns_error', message: error instanceof Error ? error.message : String(error) };
  }
  if (answer.rcode === 'NXDOMAIN') return { kind: 'domain_not_found' };
  if (answer.rcode !== 'NOERROR')
    return { kind: 'dns_error', message: describeFailure(answer, `MX ${domain}`) };

  const records = answer.records.flatMap((record) =>
    record.type === 'MX'
      ? [{ exchange: stripDot(record.data.exchange), preference: record.data.preference ?? 0 }]
      : [],
  );
  const realRecords = records.filter((record) => record.exchange !== '');
  if (records.length > 0 && realRecords.length === 0) return { kind: 'null_mx' };

  if (realRecords.length === 0) {
    if (!options.implicitMx) return { kind: 'no_mx' };
    const implicit = await resolveHost(dns, domain, options.signal);
    if (implicit.kind === 'error') return { kind: 'dns_error', message: `A/AAAA ${domain} failed` };
    if (implicit.kind === 'none') return { kind: 'no_mx' };
    return {
      kind: 'mx',
      implicit: true,
      hosts: [{ host: domain, preference: 0, addresses: implicit.addresses }],
    };
  }

  const ordered = shuffleEqualPreferences(realRecords, random).slice(0, MAX_EXCHANGES_RESOLVED);
  const resolutions = await Promise.all(
    ordered.map((record) => resolveHost(dns, record.exchange, options.signal)),
  );
  const hosts: MxHost[] = [];
  let errors = 0;
  ordered.forEach((record, index) => {
    const resolution = resolutions[index];
    if (resolution?.kind === 'resolved') {
      hosts.push({ host: record.exchange, preference: record.preference, addresses: resolution.addresses });
    } else if (resolution?.kind === 'error') {
      errors += 1;
    }
  });
  if (hosts.length > 0) return { kind: 'mx', implicit: false, hosts };
  if (errors > 0) return { kind: 'dns_error', message: `No MX exchange of ${domain} could be resolved` };
  return { kind: 'mx_unresolvable', exchanges: ordered.map((record) => record.exchange) };
}
