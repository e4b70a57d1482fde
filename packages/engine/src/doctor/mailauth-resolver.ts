import type { DnsClient } from '../dns/dns-client.js';
import type { DnsRecordType } from '../dns/dns-transport.js';
import { DnsQueryError } from '../errors.js';

/** A `dns.promises.resolve`-shaped function, the resolver mailauth's SPF and DMARC code expects. */
export type NodeStyleResolver = (name: string, type: string) => Promise<unknown[]>;

const SUPPORTED = new Set<DnsRecordType>(['A', 'AAAA', 'MX', 'TXT', 'PTR']);

function dnsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * Adapts the engine's DNS client (the configured resolvers, TTL cache) to the node:dns shapes and error codes
 * mailauth relies on: ENOTFOUND / ENODATA are "void" lookups in SPF, ETIMEOUT / ESERVFAIL / EREFUSED temperrors.
 */
export function nodeStyleResolver(dns: DnsClient): NodeStyleResolver {
  return async (name, type) => {
    if (!SUPPORTED.has(type as DnsRecordType)) throw dnsError('ENOTIMP', `${type} lookups are not supported`);
    let answer: Awaited<ReturnType<DnsClient['query']>>;
    try {
      answer = await dns.query(name, type as DnsRecordType);
    } catch (error) {
      if (error instanceof DnsQueryError && error.code === 'dns_timeout')
        throw dnsError('ETIMEOUT', `DNS timeout for ${name}`);
      throw dnsError('ECONNREFUSED', `DNS failed for ${name}: ${(error as Error).message}`);
    }
    if (answer.rcode === 'NXDOMAIN') throw dnsError('ENOTFOUND', `${name} does not exist`);
    if (answer.rcode !== 'NOERROR') throw dnsError(`E${answer.rcode}`, `${answer.rcode} for ${name} ${type}`);
    if (answer.records.length === 0) throw dnsError('ENODATA', `no ${type} record at ${name}`);
    return answer.records.map((record) => {
      switch (record.type) {
        case 'TXT':
          return (Array.isArray(record.data) ? record.data : [record.data]).map((part) => part.toString());
        case 'MX':
          return { exchange: record.data.exchange.replace(/\.$/, ''), priority: record.data.preference };
        case 'PTR':
          return record.data.replace(/\.$/, '');
        case 'A':
        case 'AAAA':
          return record.data;
        default:
          return String(record.type);
      }
    });
  };
}
