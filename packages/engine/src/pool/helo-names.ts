import ipaddr from 'ipaddr.js';
import type { DnsClient } from '../dns/dns-client.js';
import { lookupPtr } from '../dns/reverse-dns.js';

/** Where a source's HELO name came from. */
export type HeloNameSource = 'config' | 'ptr' | 'default';

export interface HeloChoice {
  name: string;
  source: HeloNameSource;
}

// A PTR name goes into EHLO verbatim, so it must look like a host name and nothing more.
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function normalizeIp(ip: string): string {
  return ipaddr.isValid(ip) ? ipaddr.process(ip).toNormalizedString() : ip;
}

/** Chooses the HELO name per source address: configured name, else its PTR name, else the default. */
export class HeloNames {
  readonly #configured = new Map<string, string>();
  readonly #resolved = new Map<string, Promise<HeloChoice>>();
  readonly #dns: DnsClient;
  readonly #defaultName: string;

  constructor(configured: Record<string, string>, defaultName: string, dns: DnsClient) {
    for (const [ip, name] of Object.entries(configured)) this.#configured.set(normalizeIp(ip), name);
    this.#dns = dns;
    this.#defaultName = defaultName;
  }

  /** The name to greet with from `sourceAddress` (undefined: the OS chose the source). Cached per source. */
  choose(sourceAddress: string | undefined): Promise<HeloChoice> {
    if (sourceAddress === undefined) return Promise.resolve({ name: this.#defaultName, source: 'default' });
    const key = normalizeIp(sourceAddress);
    let choice = this.#resolved.get(key);
    if (!choice) {
      choice = this.#resolve(key);
      this.#resolved.set(key, choice);
    }
    return choice;
  }

  async #resolve(ip: string): Promise<HeloChoice> {
    const configured = this.#configured.get(ip);
    if (configured) return { name: configured, source: 'config' };
    const ptr = await lookupPtr(this.#dns, ip);
    if (ptr && HOST_NAME.test(ptr)) return { name: ptr, source: 'ptr' };
    return { name: this.#defaultName, source: 'default' };
  }
}
