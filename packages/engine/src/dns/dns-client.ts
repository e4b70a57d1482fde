import { getServers } from 'node:dns';
import type { Answer } from 'dns-packet';
import { untilAborted } from '../abort.js';
import { DnsQueryError, EngineError } from '../errors.js';
import { LruTtlCache } from '../lru-cache.js';
import { type DnsServerAddress, parseDnsServer } from './dns-server-address.js';
import { type DnsRecordType, queryDnsServer } from './dns-transport.js';

/** What a resolver said about one question. Failures (SERVFAIL, REFUSED) are answers too. */
export interface DnsAnswer {
  rcode: string;
  /** Answer-section records of the asked type (CNAMEs followed by the resolver are dropped). */
  records: Answer[];
  /** Seconds the answer may be cached: record TTL, or the SOA negative TTL for NXDOMAIN/NODATA. */
  ttlSeconds: number;
}

export interface DnsClient {
  query(name: string, type: DnsRecordType, options?: { signal?: AbortSignal }): Promise<DnsAnswer>;
  readonly servers: readonly DnsServerAddress[];
}

export interface DnsClientOptions {
  servers: readonly string[];
  timeoutMs: number;
  retries: number;
  cacheSize: number;
  now?: () => number;
}

// RFC 2308 lets negative answers be cached for the SOA minimum; without a SOA we keep them briefly.
const DEFAULT_NEGATIVE_TTL_SECONDS = 60;
// Even long TTLs are re-checked daily so a fixed domain recovers within a day.
const MAX_TTL_SECONDS = 86_400;
const CACHEABLE_RCODES = new Set(['NOERROR', 'NXDOMAIN']);

function negativeTtl(authorities: readonly Answer[] | undefined): number {
  const soa = authorities?.find((record) => record.type === 'SOA');
  if (soa?.type !== 'SOA') return DEFAULT_NEGATIVE_TTL_SECONDS;
  return Math.min(soa.ttl ?? DEFAULT_NEGATIVE_TTL_SECONDS, soa.data.minimum ?? DEFAULT_NEGATIVE_TTL_SECONDS);
}

function systemServers(): string[] {
  return getServers();
}

/**
 * A stub resolver over dns-packet (UDP, TCP on truncation) so that answers carry their TTLs —
 * Node's `dns.Resolver.resolveMx` drops them. Caches NOERROR/NXDOMAIN answers in a bounded LRU
 * for their TTL, shares in-flight queries, retries timeouts across the configured servers.
 */
export function createDnsClient(options: DnsClientOptions): DnsClient {
  const configured = options.servers.length > 0 ? options.servers : systemServers();
  const servers = configured.map(parseDnsServer);
  if (servers.length === 0)
    throw new EngineError('invalid_option', 'No DNS server configured and none found on the system');
  const cache = new LruTtlCache<string, DnsAnswer>(options.cacheSize, options.now);
  const inFlight = new Map<string, Promise<DnsAnswer>>();
  let nextServer = 0;

  // Shared by every caller waiting on the same question, so it takes no caller's signal: it is
  // bounded by timeoutMs × (retries + 1) instead, and each caller stops waiting on its own signal.
  async function ask(name: string, type: DnsRecordType): Promise<DnsAnswer> {
    const attempts = options.retries + 1;
    let lastError: unknown;
    let answer: DnsAnswer | undefined;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const server = servers[(nextServer + attempt) % servers.length] as DnsServerAddress;
      try {
        const packet = await queryDnsServer(server, { name, type }, { timeoutMs: options.timeoutMs });
        const rcode = packet.rcode ?? 'NOERROR';
        const records = (packet.answers ?? []).filter((record) => record.type === type);
        const ttlSeconds =
          rcode === 'NOERROR' && records.length > 0
            ? Math.min(...records.map((record) => (record.type === 'OPT' ? 0 : (record.ttl ?? 0))))
            : negativeTtl(packet.authorities);
        answer = { rcode, records, ttlSeconds: Math.min(ttlSeconds, MAX_TTL_SECONDS) };
        // Another resolver may still know: SERVFAIL/REFUSED moves on while servers remain untried.
        if (CACHEABLE_RCODES.has(rcode) || attempt + 1 >= Math.min(attempts, servers.length)) return answer;
      } catch (error) {
        if (!(error instanceof DnsQueryError)) throw error;
        lastError = error;
      }
    }
    nextServer = (nextServer + 1) % servers.length;
    if (answer) return answer;
    throw lastError;
  }

  return {
    servers,
    async query(name, type, queryOptions = {}) {
      const key = `${type} ${name.toLowerCase()}`;
      const cached = cache.get(key);
      if (cached) return cached;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = ask(name, type).then((answer) => {
          if (CACHEABLE_RCODES.has(answer.rcode)) cache.set(key, answer, answer.ttlSeconds * 1000);
          return answer;
        });
        const settled = () => inFlight.delete(key);
        pending.then(settled, settled);
        inFlight.set(key, pending);
      }
      return untilAborted(pending, queryOptions.signal);
    },
  };
}
