import ipaddr from 'ipaddr.js';

/** The reverse-lookup name of an IP address: '127.0.2.1' → '1.2.0.127.in-addr.arpa' (ip6.arpa for IPv6). */
export function reverseName(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') {
    return `${parsed.toByteArray().reverse().join('.')}.in-addr.arpa`;
  }
  const nibbles = parsed
    .toByteArray()
    .flatMap((byte) => [byte >> 4, byte & 0x0f])
    .map((nibble) => nibble.toString(16));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}
