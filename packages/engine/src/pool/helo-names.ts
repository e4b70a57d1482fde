import { hostname } from 'node:os';
import ipaddr from 'ipaddr.js';
import type { DnsClient } from '../dns/dns-client.js';
import { forwardConfirms, lookupPtr } from '../dns/reverse-dns.js';

/** Where a source's HELO name came from. */
export type HeloNameSource = 'config' | 'ptr' | 'default';

export interface HeloChoice {
  name: string;
  source: HeloNameSource;
}

/** Something about the engine's set-up that makes mail servers refuse or distrust it; said once per name. */
export interface EngineWarning {
  code: 'helo_name_not_fqdn' | 'helo_name_not_forward_confirmed';
  message: string;
  heloName: string;
  /** The source address the name was checked against (the one the OS chose, when none is configured). */
  sourceAddress: string;
  /** The engine option that fixes it, and its environment variable. */
  setting: 'defaultHeloName' | 'heloNames';
  environment: 'MAILPROBE_HELO_NAME' | 'MAILPROBE_HELO_NAMES';
}

// A PTR name goes into EHLO verbatim, so it must look like a host name and nothing more.
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
// Postfix's `mydomain` when the host name says nothing better.
const LOCAL_DOMAIN = 'localdomain';
const FALLBACK_HOST = 'localhost';

/** A syntactically fully qualified host name: at least two labels, the last not numeric (what Postfix checks). */
export function isFullyQualified(name: string): boolean {
  const trimmed = name.replace(/\.$/, '');
  if (!HOST_NAME.test(trimmed) || !trimmed.includes('.')) return false;
  return !/^\d+$/.test(trimmed.slice(trimmed.lastIndexOf('.') + 1));
}

/**
 * The name this machine greets with when nothing is configured, by Postfix's rule for `myhostname`: the host name
 * when it is fully qualified, else the host name plus `.localdomain`.
 */
export function systemHeloName(host: string = hostname()): string {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  if (isFullyQualified(name)) return name;
  const label = HOST_NAME.test(name) && !name.includes('.') ? name : FALLBACK_HOST;
  return `${label}.${LOCAL_DOMAIN}`;
}

function normalizeIp(ip: string): string {
  return ipaddr.isValid(ip) ? ipaddr.process(ip).toNormalizedString() : ip;
}

export interface HeloNamesOptions {
  /** HELO name per configured source IP. */
  configured: Record<string, string>;
  /** The name set by the user for every source without its own (undefined: automatic). */
  defaultName: string | undefined;
  dns: DnsClient;
  /** The automatic name (default: `systemHeloName()`). */
  systemName?: string;
  /** Told once per name when the name in use is not fully qualified or not forward-confirmed. */
  onWarning?: (warning: EngineWarning) => void;
}

/**
 * Chooses the HELO name per source address. A configured source: its `heloNames` entry, else its
 * forward-confirmed PTR name, else the default. A source the OS chose (known once connected): the configured
 * default, else the local address's forward-confirmed PTR name, else the system name (Postfix's rule).
 */
export class HeloNames {
  readonly #configured = new Map<string, string>();
  readonly #resolved = new Map<string, Promise<HeloChoice>>();
  readonly #local = new Map<string, Promise<HeloChoice>>();
  readonly #warned = new Set<string>();
  readonly #options: HeloNamesOptions;
  readonly #fallback: HeloChoice;

  constructor(options: HeloNamesOptions) {
    for (const [ip, name] of Object.entries(options.configured)) this.#configured.set(normalizeIp(ip), name);
    this.#options = options;
    this.#fallback = {
      name: options.defaultName ?? options.systemName ?? systemHeloName(),
      source: 'default',
    };
  }

  /** The name used before the source is known (the OS chooses it while connecting). */
  get fallback(): HeloChoice {
    return this.#fallback;
  }

  /** The name to greet with from configured source `sourceAddress` (undefined: the fallback). Cached per source. */
  choose(sourceAddress: string | undefined): Promise<HeloChoice> {
    if (sourceAddress === undefined) return Promise.resolve(this.#fallback);
    return this.#cached(this.#resolved, sourceAddress, async (ip) => {
      const configured = this.#configured.get(ip);
      if (configured) return { name: configured, source: 'config' };
      return (await this.#confirmedPtr(ip)) ?? this.#fallback;
    });
  }

  /** The name to greet with from the address the OS chose for a connection; looked up once per address. */
  forLocalAddress(localAddress: string): Promise<HeloChoice> {
    return this.#cached(this.#local, localAddress, async (ip) => {
      if (this.#options.defaultName !== undefined) return this.#fallback;
      return (await this.#confirmedPtr(ip)) ?? this.#fallback;
    });
  }

  #cached(
    cache: Map<string, Promise<HeloChoice>>,
    address: string,
    resolve: (ip: string) => Promise<HeloChoice>,
  ): Promise<HeloChoice> {
    const key = normalizeIp(address);
    let choice = cache.get(key);
    if (!choice) {
      choice = resolve(key).then((chosen) => {
        this.#check(chosen, key);
        return chosen;
      });
      cache.set(key, choice);
    }
    return choice;
  }

  async #confirmedPtr(ip: string): Promise<HeloChoice | null> {
    const ptr = await lookupPtr(this.#options.dns, ip);
    if (!ptr || !isFullyQualified(ptr)) return null;
    return (await forwardConfirms(this.#options.dns, ptr, ip)) ? { name: ptr, source: 'ptr' } : null;
  }

  /** Warns (once per name and problem) when receivers would refuse or distrust the name; only when someone listens. */
  #check(choice: HeloChoice, address: string): void {
    const { onWarning, dns } = this.#options;
    if (!onWarning || choice.source === 'ptr') return;
    const setting = choice.source === 'config' ? 'heloNames' : 'defaultHeloName';
    const environment = choice.source === 'config' ? 'MAILPROBE_HELO_NAMES' : 'MAILPROBE_HELO_NAME';
    const fix =
      choice.source === 'config'
        ? `set ${environment} (engine option ${setting}) for ${address}`
        : `set ${environment} (--helo-name, engine option ${setting})`;
    const warn = (code: EngineWarning['code'], problem: string) => {
      const key = `${code} ${choice.name}`;
      if (this.#warned.has(key)) return;
      this.#warned.add(key);
      onWarning({
        code,
        message: `HELO name ${choice.name} ${problem}; ${fix} to a fully qualified name whose A/AAAA record is ${address}, ideally the PTR name of ${address}`,
        heloName: choice.name,
        sourceAddress: address,
        setting,
        environment,
      });
    };
    if (!isFullyQualified(choice.name)) {
      warn(
        'helo_name_not_fqdn',
        'is not fully qualified: servers with reject_non_fqdn_helo_hostname refuse it',
      );
      return;
    }
    forwardConfirms(dns, choice.name, address).then(
      (confirmed) => {
        if (!confirmed)
          warn(
            'helo_name_not_forward_confirmed',
            `does not resolve to ${address}, the address mail servers see: servers that check it refuse or distrust the session`,
          );
      },
      () => {},
    );
  }
}
