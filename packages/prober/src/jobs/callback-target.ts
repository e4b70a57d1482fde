import { lookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isAllowedTarget } from '@mailprobe/engine';
import { ProberError } from '../errors.js';

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (A and AAAA); rejects with the resolver's error `code`. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Where completion webhooks may go: the engine's `allowPrivateTargets`, and how host names are resolved. */
export interface CallbackPolicy {
  allowPrivateTargets: boolean;
  resolve: HostResolver;
}

export type CallbackRefusal = 'invalid_url' | 'scheme' | 'credentials' | 'private_address' | 'not_found';

/** A callback URL the prober will not call; reaches HTTP as 400 `bad_request`. */
export class CallbackUrlError extends ProberError {
  readonly reason: CallbackRefusal;

  constructor(reason: CallbackRefusal, message: string) {
    super('bad_request', message, 400, { reason });
    this.name = 'CallbackUrlError';
    this.reason = reason;
  }
}

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);
/** Resolver answers that say the name has no address for sure (not a passing failure). */
const DEFINITE_DNS_ERRORS = new Set(['ENOTFOUND', 'ENODATA', 'NOTFOUND', 'NODATA']);

/**
 * Host resolution for callback hosts: the DNS servers the engine uses when configured (`MAILPROBE_DNS_SERVERS`),
 * otherwise the system resolver.
 */
export function createHostResolver(dnsServers: readonly string[]): HostResolver {
  if (dnsServers.length === 0) {
    return async (hostname) => {
      const found = await lookup(hostname, { all: true, verbatim: true });
      return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
    };
  }
  const resolver = new Resolver();
  resolver.setServers([...dnsServers]);
  return async (hostname) => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
    const found: ResolvedAddress[] = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (found.length > 0) return found;
    if (v4.status === 'rejected') throw v4.reason;
    if (v6.status === 'rejected') throw v6.reason;
    return [];
  };
}

/** Checks the form of a callback URL: absolute http(s), no user name or password. */
export function parseCallbackUrl(raw: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CallbackUrlError('invalid_url', `${field}: not an absolute URL`);
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    throw new CallbackUrlError('scheme', `${field}: only http and https callback URLs are allowed`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new CallbackUrlError('credentials', `${field}: credentials in the URL are not allowed`);
  }
  return url;
}

function literalAddress(url: URL): ResolvedAddress | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  return family === 0 ? null : { address: host, family: family === 6 ? 6 : 4 };
}

function refusedAddress(field: string, host: string): CallbackUrlError {
  return new CallbackUrlError(
    'private_address',
    `${field}: ${host} is a private, loopback, link-local or reserved address; callbacks go to public hosts only`,
  );
}

/**
 * The addresses a delivery may connect to: the literal IP, or every address the host resolves to that the
 * policy allows (the engine's `isAllowedTarget`). Throws CallbackUrlError when there is none; rethrows passing
 * resolver failures (timeouts, SERVFAIL) as they are.
 */
export async function allowedCallbackAddresses(
  url: URL,
  policy: CallbackPolicy,
  field: string,
): Promise<ResolvedAddress[]> {
  const literal = literalAddress(url);
  if (literal) {
    if (!isAllowedTarget(literal.address, policy.allowPrivateTargets))
      throw refusedAddress(field, url.hostname);
    return [literal];
  }
  let found: ResolvedAddress[];
  try {
    found = await policy.resolve(url.hostname);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (DEFINITE_DNS_ERRORS.has(code)) {
      throw new CallbackUrlError('not_found', `${field}: ${url.hostname} does not resolve (${code})`);
    }
    throw error;
  }
  if (found.length === 0) {
    throw new CallbackUrlError('not_found', `${field}: ${url.hostname} has no address`);
  }
  const allowed = found.filter(({ address }) => isAllowedTarget(address, policy.allowPrivateTargets));
  if (allowed.length === 0) throw refusedAddress(field, url.hostname);
  return allowed;
}

/**
 * The check made when a job is created: form, then addresses. A host that cannot be resolved right now (a
 * passing DNS failure) is accepted; the check before each delivery still guards it.
 */
export async function checkCallbackUrl(raw: string, policy: CallbackPolicy, field: string): Promise<string> {
  const url = parseCallbackUrl(raw, field);
  try {
    await allowedCallbackAddresses(url, policy, field);
  } catch (error) {
    if (error instanceof CallbackUrlError) throw error;
  }
  return raw;
}
