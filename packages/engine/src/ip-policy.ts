import ipaddr from 'ipaddr.js';

/** Why an address is off limits, or `public` when a probe may connect to it. */
export type IpRange = 'public' | 'invalid' | string;

// ipaddr.js names every special-purpose block; only plain unicast space is the public internet.
const PUBLIC_RANGES = new Set(['unicast']);

/** The ipaddr.js range of an address; IPv4-mapped (and IPv4-translated) IPv6 is judged as the IPv4 inside. */
export function classifyIp(ip: string): IpRange {
  if (!ipaddr.isValid(ip)) return 'invalid';
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress() || v6.range() === 'rfc6145') {
      const bytes = v6.toByteArray().slice(-4);
      address = ipaddr.fromByteArray(bytes);
    }
  }
  const range = address.range();
  return PUBLIC_RANGES.has(range) ? 'public' : range;
}

/**
 * SSRF guard: may the engine open an SMTP connection to `ip`? Private, loopback, link-local, CGNAT,
 * multicast, unspecified, documentation and other reserved space are refused unless allowed.
 */
export function isAllowedTarget(ip: string, allowPrivateTargets: boolean): boolean {
  const range = classifyIp(ip);
  if (range === 'invalid') return false;
  return allowPrivateTargets || range === 'public';
}
