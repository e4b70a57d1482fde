import type { DnsClient } from '../dns/dns-client.js';
import { forwardConfirms, lookupPtr } from '../dns/reverse-dns.js';
import type { HeloNameSource, HeloNames } from './helo-names.js';
import type { SourcePool } from './source-pool.js';

/** Start-up check of one source address. */
export interface SourceAddressReport {
  address: string;
  /** The name this source will greet with, and where it came from. */
  heloName: string;
  heloNameSource: HeloNameSource;
  /** The address's PTR name, or null when it has none. */
  ptr: string | null;
  /** PTR exists and that name resolves back to this address (FCrDNS); many MX hosts require it. */
  forwardConfirmed: boolean;
  /** The HELO name equals the forward-confirmed PTR name, as receivers expect. */
  heloMatchesPtr: boolean;
}

/** Addresses checked at most, so a configured /16 does not mean 65,000 lookups. */
export const MAX_SOURCES_CHECKED = 256;

/** Reports, per source address, whether it has forward-confirmed reverse DNS and which HELO name it uses. */
export async function checkSourceAddresses(
  pool: SourcePool,
  heloNames: HeloNames,
  dns: DnsClient,
): Promise<SourceAddressReport[]> {
  return Promise.all(
    pool.list(MAX_SOURCES_CHECKED).map(async (address) => {
      const [helo, ptr] = await Promise.all([heloNames.choose(address), lookupPtr(dns, address)]);
      const forwardConfirmed = ptr !== null && (await forwardConfirms(dns, ptr, address));
      return {
        address,
        heloName: helo.name,
        heloNameSource: helo.source,
        ptr,
        forwardConfirmed,
        heloMatchesPtr: forwardConfirmed && ptr?.toLowerCase() === helo.name.toLowerCase(),
      };
    }),
  );
}
