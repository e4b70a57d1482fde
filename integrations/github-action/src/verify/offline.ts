import { Resolver } from 'node:dns/promises';
import { parseAddress, REASON_DESCRIPTIONS, type Reason, suggestCorrection } from '@mailprobe/core';
import type { Verdict, Verifier } from './verdict.js';

/** Per-query DNS timeout (ms) and attempts, as node's resolver counts them. */
export const OFFLINE_DNS_TIMEOUT_MS = 3000;
export const OFFLINE_DNS_TRIES = 2;
/** Domains looked up at once. */
export const OFFLINE_CONCURRENCY = 8;

export interface OfflineVerifierOptions {
  /** `host` or `host:port` entries; empty means the system resolvers. */
  dnsServers: readonly string[];
}

type MxOutcome = { ok: true; exchanges: string[] } | { ok: false; reason: Reason; evidence: string };

/**
 * Syntax (core's parser) and MX lookup only — no key, no SMTP. An address whose domain has mail
 * servers passes as VALID with a null reason: the mailbox itself was not checked.
 */
export function createOfflineVerifier(options: OfflineVerifierOptions): Verifier {
  const resolver = new Resolver({ timeout: OFFLINE_DNS_TIMEOUT_MS, tries: OFFLINE_DNS_TRIES });
  if (options.dnsServers.length > 0) resolver.setServers([...options.dnsServers]);
  const lookups = new Map<string, Promise<MxOutcome>>();
  const lookUp = (domain: string): Promise<MxOutcome> => {
    let lookup = lookups.get(domain);
    if (!lookup) {
      lookup = lookUpMx(resolver, domain);
      lookups.set(domain, lookup);
    }
    return lookup;
  };

  const verifyOne = async (address: string): Promise<Verdict> => {
    const parsed = parseAddress(address);
    if (!parsed.ok) {
      return {
        address,
        status: 'INVALID',
        reason: 'invalid_syntax',
        suggestion: null,
        detail: REASON_DESCRIPTIONS.invalid_syntax,
        evidence: `${parsed.error.code}: ${parsed.error.message}`,
      };
    }
    if (parsed.address.literal) {
      return {
        address,
        status: 'VALID',
        reason: null,
        suggestion: null,
        detail:
          'Syntax is valid; the domain is an address literal, so there is no MX to look up (offline mode).',
        evidence: null,
      };
    }
    const mx = await lookUp(parsed.address.domain);
    const suggestion = suggestCorrection(parsed.address);
    if (!mx.ok) {
      const status = mx.reason === 'dns_error' ? 'UNKNOWN' : 'INVALID';
      return {
        address,
        status,
        reason: mx.reason,
        suggestion,
        detail: REASON_DESCRIPTIONS[mx.reason],
        evidence: mx.evidence,
      };
    }
    return {
      address,
      status: 'VALID',
      reason: null,
      suggestion,
      detail:
        'Syntax is valid and the domain publishes MX records; the mailbox was not probed (offline mode).',
      evidence: `MX ${mx.exchanges.join(', ')}`,
    };
  };

  return {
    mode: 'offline',
    async check() {},
    async verify(addresses) {
      const verdicts: Verdict[] = new Array(addresses.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < addresses.length) {
          const index = next;
          next += 1;
          verdicts[index] = await verifyOne(addresses[index] ?? '');
        }
      };
      await Promise.all(Array.from({ length: Math.min(OFFLINE_CONCURRENCY, addresses.length) }, worker));
      return verdicts;
    },
  };
}

async function lookUpMx(resolver: Resolver, domain: string): Promise<MxOutcome> {
  try {
    const records = await resolver.resolveMx(domain);
    const exchanges = records
      .sort((left, right) => left.priority - right.priority)
      .map((record) => record.exchange)
      .filter((exchange) => exchange !== '' && exchange !== '.');
    if (records.length > 0 && exchanges.length === 0) {
      return { ok: false, reason: 'null_mx', evidence: `${domain} publishes a null MX (0 .)` };
    }
    if (exchanges.length === 0)
      return { ok: false, reason: 'no_mx', evidence: `${domain} has no MX records` };
    return { ok: true, exchanges };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    // NXDOMAIN is proof the domain does not exist; NODATA that it exists without MX (no implicit MX,
    // as the engine's default). Anything else (SERVFAIL, refused, timeout) proves nothing.
    if (code === 'ENOTFOUND')
      return { ok: false, reason: 'domain_not_found', evidence: `${domain}: NXDOMAIN` };
    if (code === 'ENODATA') return { ok: false, reason: 'no_mx', evidence: `${domain} has no MX records` };
    return { ok: false, reason: 'dns_error', evidence: `MX lookup for ${domain} failed: ${code}` };
  }
}
