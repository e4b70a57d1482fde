import { isIP } from 'node:net';
import { EngineOptionsError } from '../errors.js';

/** One DNS resolver to query. */
export interface DnsServerAddress {
  host: string;
  port: number;
  family: 4 | 6;
}

const DNS_PORT = 53;
const MAX_PORT = 65_535;

/** Parses `1.2.3.4`, `1.2.3.4:5300`, `::1`, `[::1]:5300`. Resolvers must be IP addresses. */
export function parseDnsServer(text: string): DnsServerAddress {
  const trimmed = text.trim();
  let host = trimmed;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
  } else if (trimmed.split(':').length === 2) {
    [host = '', portText] = trimmed.split(':');
  }
  const family = isIP(host);
  if (family === 0)
    throw new EngineOptionsError('dnsServers', `not an IP address (with optional port): ${text}`);
  const port = portText === undefined ? DNS_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) {
    throw new EngineOptionsError('dnsServers', `bad port in ${text}`);
  }
  return { host, port, family: family as 4 | 6 };
}
