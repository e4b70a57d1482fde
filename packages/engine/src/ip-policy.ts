import ipaddr from 'ipaddr.js';

/** Why an address is off limits, or `public` when a probe may connect to it. */
export type IpRange = 'public' | 'invalid' | string;

// ipaddr.js names every special-purpose block; only plain unicast space is the public internet.
const PUBLIC_RANGES = new Set(['unicast']);

/**
 * IPv6 forms that carry an IPv4 address, with where its four bytes sit. A connection to one of them may end at
 * that IPv4 (the host's stack, a NAT64 or a 6to4 relay translates it), so the IPv4 decides, never the IPv6 range:
 * `::7f00:1` (IPv4-compatible, ::/96, deprecated by RFC 4291 but still routed by some stacks) is loopback.
 */
const EMBEDDED_IPV4: ReadonlyArray<{ prefix: ipaddr.IPv6; bits: number; offset: number }> = [
  { prefix: ipaddr.IPv6.parse('::ffff:0:0'), bits: 96, offset: 12 }, // IPv4-mapped
  { prefix: ipaddr.IPv6.parse('::ffff:0:0:0'), bits: 96, offset: 12 }, // IPv4-translated (RFC 6145)
  { prefix: ipaddr.IPv6.parse('::'), bits: 96, offset: 12 }, // IPv4-compatible (::/96, incl. ::2)
  { prefix: ipaddr.IPv6.parse('64:ff9b::'), bits: 96, offset: 12 }, // NAT64 well-known prefix (RFC 6052)
  { prefix: ipaddr.IPv6.parse('64:ff9b:1::'), bits: 48, offset: 12 }, // local-use NAT64 (RFC 8215)
  { prefix: ipaddr.IPv6.parse('2002::'), bits: 16, offset: 2 }, // 6to4 (RFC 3056)
];

/** The IPv4 address an IPv6 address embeds, or null when it is plain IPv6. `::` and `::1` stay IPv6. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = address.range();
  if (range === 'unspecified' || range === 'loopback') return null;
  for (const { prefix, bits, offset } of EMBEDDED_IPV4) {
    if (address.match(prefix, bits)) {
      const bytes = address.toByteArray().slice(offset, offset + 4);
      return ipaddr.fromByteArray(bytes) as ipaddr.IPv4;
    }
  }
  return null;
}

/** The ipaddr.js range of an address; an IPv6 form that embeds an IPv4 (mapped, compatible, NAT64, 6to4) is judged as that IPv4. */
export function classifyIp(ip: string): IpRange {
  if (!ipaddr.isValid(ip)) return 'invalid';
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6') address = embeddedIpv4(address as ipaddr.IPv6) ?? address;
  const range = address.range();
  return PUBLIC_RANGES.has(range) ? 'public' : range;
}

/**
 * SSRF guard: may the engine open an SMTP connection to `ip`? Private, loopback, link-local, CGNAT,
 * multicast, unspecified, documentation and other reserved space are refused unless allowed, also when
 * embedded in an IPv6 address.
 */
export function isAllowedTarget(ip: string, allowPrivateTargets: boolean): boolean {
  const range = classifyIp(ip);
  if (range === 'invalid') return false;
  return allowPrivateTargets || range === 'public';
}
