import ipaddr from 'ipaddr.js';
import type { DnsClient } from '../dns/dns-client.js';
import type { DnsblFinding } from './doctor-report.js';

/**
 * Blocklists checked when none are configured: the three most MX hosts consult. Spamhaus refuses queries that
 * come through large public resolvers, and Barracuda answers only registered resolvers: run the doctor
 * through your own recursive resolver (`--dns-server`), or it says "refused" rather than "not listed".
 */
export const DEFAULT_DNSBL_ZONES = ['zen.spamhaus.org', 'bl.spamcop.net', 'b.barracudacentral.org'] as const;

// 127.255.255.0/24 is where blocklists put "I will not answer you" codes (Spamhaus: .252 typo in the query,
// .254 query through a public/open resolver, .255 excessive number of queries); a real listing is in 127.0.0.0/8
// below that. Anything outside 127/8 is a resolver rewriting NXDOMAIN (ads), not a blocklist answer.
const REFUSAL_CODES = ipaddr.parseCIDR('127.255.255.0/24');
const LISTING_CODES = ipaddr.parseCIDR('127.0.0.0/8');

/** The DNSBL query name of `ip` in `zone`: reversed octets (IPv4) or reversed nibbles (IPv6), then the zone. */
export function dnsblQueryName(ip: string, zone: string): string {
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return `${address.toByteArray().reverse().join('.')}.${zone}`;
  const nibbles = address
    .toByteArray()
    .flatMap((byte) => [byte >> 4, byte & 0xf])
    .map((nibble) => nibble.toString(16));
  return `${nibbles.reverse().join('.')}.${zone}`;
}

/** Asks one blocklist about one address. Never throws: DNS failures are `error` findings. */
export async function checkDnsbl(dns: DnsClient, ip: string, zone: string): Promise<DnsblFinding> {
  const name = dnsblQueryName(ip, zone);
  const finding: DnsblFinding = { zone, state: 'error', codes: [], reason: null };
  let answer: Awaited<ReturnType<DnsClient['query']>>;
  try {
    answer = await dns.query(name, 'A');
  } catch (error) {
    finding.reason = `no answer: ${(error as Error).message}`;
    return finding;
  }
  if (answer.rcode === 'NXDOMAIN') return { ...finding, state: 'clear' };
  if (answer.rcode === 'REFUSED')
    return { ...finding, state: 'refused', reason: 'the list refused the query' };
  if (answer.rcode !== 'NOERROR') return { ...finding, reason: `${answer.rcode} from the resolver` };
  const codes = answer.records.flatMap((record) => (record.type === 'A' ? [record.data] : []));
  if (codes.length === 0) return { ...finding, state: 'clear' };
  finding.codes = codes;
  const parsed = codes.filter((code) => ipaddr.IPv4.isValid(code)).map((code) => ipaddr.IPv4.parse(code));
  if (
    parsed.some((code) => code.match(REFUSAL_CODES)) ||
    !parsed.every((code) => code.match(LISTING_CODES))
  ) {
    return { ...finding, state: 'refused', reason: 'the list answered with a refusal code, not a listing' };
  }
  finding.state = 'listed';
  try {
    const txt = await dns.query(name, 'TXT');
    const first = txt.records.find((record) => record.type === 'TXT');
    if (first?.type === 'TXT') {
      const parts = Array.isArray(first.data) ? first.data : [first.data];
      finding.reason = parts.map((part) => part.toString()).join('');
    }
  } catch {
    // The listing stands without its reason.
  }
  return finding;
}
