import ipaddr from 'ipaddr.js';
import type { DnsClient } from './dns-client.js';

/** The reverse-lookup name of an IP: `4.3.2.1.in-addr.arpa` or the ip6.arpa nibble form. */
export function reverseName(ip: string): string {
  const address = ipaddr.parse(ip);
  if (address.kind() === 'ipv4') return `${address.toByteArray().reverse().join('.')}.in-addr.arpa`;
  const nibbles = address
    .toByteArray()
    .flatMap((byte) => [byte >> 4, byte & 0xf])
    .map((nibble) => nibble.toString(16));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

/** The first PTR name of `ip`, without trailing dot; null when there is none or DNS fails. */
export async function lookupPtr(dns: DnsClient, ip: string, signal?: AbortSignal): Promise<string | null> {
  try {
    const answer = await dns.query(reverseName(ip), 'PTR', signal ? { signal } : {});
    for (const record of answer.records) {
      if (record.type === 'PTR') return record.data.replace(/\.$/, '');
    }
    return null;
  } catch {
    return null;
  }
}

/** Forward confirmation: does `name` resolve (A or AAAA) back to `ip`? */
export async function forwardConfirms(
  dns: DnsClient,
  name: string,
  ip: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const wanted = ipaddr.process(ip).toNormalizedString();
  const type = ipaddr.process(ip).kind() === 'ipv4' ? 'A' : 'AAAA';
  try {
    const answer = await dns.query(name, type, signal ? { signal } : {});
    return answer.records.some(
      (record) =>
        (record.type === 'A' || record.type === 'AAAA') &&
        ipaddr.isValid(record.data) &&
        ipaddr.process(record.data).toNormalizedString() === wanted,
    );
  } catch {
    return false;
  }
}
