import ipaddr from 'ipaddr.js';
import { EngineOptionsError } from '../errors.js';

/** A configured source address or CIDR, expanded lazily: `at(i)` computes the i-th usable address. */
export interface SourceRange {
  text: string;
  family: 4 | 6;
  /** Usable addresses in the range (capped at `MAX_ADDRESSES_PER_RANGE`). */
  size: number;
  at(index: number): string;
}

/** Only this many addresses of one range are ever used, so `2001:db8::/32` costs nothing. */
export const MAX_ADDRESSES_PER_RANGE = 65_536;
// An IPv4 subnet's first and last addresses are network and broadcast, except in /31 and /32 (RFC 3021).
const IPV4_POINT_TO_POINT_PREFIX = 31;

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function fromBigInt(value: bigint, byteLength: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  for (let index = 0; index < byteLength; index += 1) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return bytes;
}

/** Parses `192.0.2.7`, `192.0.2.0/29`, `2001:db8::1`, `2001:db8::/120` into a lazy range. */
export function parseSourceRange(text: string): SourceRange {
  const trimmed = text.trim();
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    if (trimmed.includes('/')) {
      [address, prefix] = ipaddr.parseCIDR(trimmed);
    } else {
      address = ipaddr.parse(trimmed);
      prefix = address.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    throw new EngineOptionsError('sourceAddresses', `not an IP address or CIDR: ${text}`);
  }
  const family = address.kind() === 'ipv4' ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  const byteLength = bits / 8;
  const hostBits = BigInt(bits - prefix);
  const network = (toBigInt(address.toByteArray()) >> hostBits) << hostBits;
  let first = network;
  let count = 1n << hostBits;
  if (family === 4 && prefix < IPV4_POINT_TO_POINT_PREFIX) {
    first += 1n;
    count -= 2n;
  }
  const size = Number(count < BigInt(MAX_ADDRESSES_PER_RANGE) ? count : BigInt(MAX_ADDRESSES_PER_RANGE));
  return {
    text: trimmed,
    family,
    size,
    at(index) {
      if (!Number.isInteger(index) || index < 0 || index >= size)
        throw new RangeError(`index ${index} outside ${trimmed}`);
      return ipaddr.fromByteArray(fromBigInt(first + BigInt(index), byteLength)).toString();
    },
  };
}
