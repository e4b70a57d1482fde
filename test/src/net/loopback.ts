import { randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import ipaddr from 'ipaddr.js';
import { FakeNetworkError } from '../errors.js';

/** How many fresh addresses to try before giving up on a bind. */
export const MAX_BIND_ATTEMPTS = 20;

const FAKE_MX_FIRST_OCTETS = [127, 1] as const;

/** A random address in 127.1.0.0/16 (never .0 or .255 in the last octet). */
export function randomLoopbackAddress(): string {
  const [a, b] = FAKE_MX_FIRST_OCTETS;
  return `${a}.${b}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** True when the error is a bind collision worth retrying on another address or port. */
export function isAddressInUse(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    (error.code === 'EADDRINUSE' || error.code === 'EACCES')
  );
}

/** Listen on host:port, resolving with the bound port; rejects on the listen error. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new FakeNetworkError('listen_failed', `unexpected server address ${String(address)}`));
        return;
      }
      resolve(address.port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/**
 * A TCP port free right now on `host` (nothing listens there): for servers that cannot listen on port 0 and
 * report it, and for "connection refused" targets.
 */
export async function unusedPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  const port = await listen(server, host, 0);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Normalise a socket's remote address: IPv4-mapped IPv6 ('::ffff:127.0.2.1') becomes plain IPv4. */
export function normalizeAddress(address: string | undefined): string {
  if (address === undefined) return '';
  if (!ipaddr.isValid(address)) return address;
  return ipaddr.process(address).toString();
}

/** A predicate telling whether an address falls inside any of the given CIDRs (or single addresses). */
export function cidrMatcher(cidrs: readonly string[]): (address: string) => boolean {
  const ranges = cidrs.map((cidr) => {
    try {
      return cidr.includes('/')
        ? ipaddr.parseCIDR(cidr)
        : ((parsed) => [parsed, parsed.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number])(
            ipaddr.parse(cidr),
          );
    } catch (error) {
      throw new FakeNetworkError('invalid_option', `allowedClients: not an IP or CIDR: ${cidr}`, {
        cause: error,
      });
    }
  });
  return (address) => {
    if (!ipaddr.isValid(address)) return false;
    const parsed = ipaddr.process(address);
    return ranges.some(([network, bits]) => parsed.kind() === network.kind() && parsed.match(network, bits));
  };
}
