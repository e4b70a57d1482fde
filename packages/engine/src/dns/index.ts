export type { DnsAnswer, DnsClient, DnsClientOptions } from './dns-client.js';
export { createDnsClient } from './dns-client.js';
export type { DnsServerAddress } from './dns-server-address.js';
export { parseDnsServer } from './dns-server-address.js';
export type { MxAddress, MxHost, MxLookupOptions, MxOutcome } from './mx-lookup.js';
export { lookupMx } from './mx-lookup.js';
export { forwardConfirms, lookupPtr, reverseName } from './reverse-dns.js';
