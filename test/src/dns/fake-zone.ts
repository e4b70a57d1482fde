/** One name's records, as data. */
export interface FakeZone {
  mx?: Array<{ exchange: string; priority: number }>;
  a?: string[];
  aaaa?: string[];
  /** For reverse names (key the zone by the reverse name or simply by the IP address). */
  ptr?: string;
  /**
   * TXT records (SPF, DMARC at `_dmarc.<domain>`, DNSBL reasons): one string per record, split into 255-byte
   * character-strings as RFC 7208 §3.3 allows; or give the character-strings of a record yourself as an array.
   */
  txt?: Array<string | string[]>;
  /** Answer MX with the RFC 7505 null MX `0 .`. */
  nullMx?: boolean;
  /** Answer every query for this name with NXDOMAIN (same as leaving the name out). */
  nxdomain?: boolean;
  /** Answer every query for this name with SERVFAIL. */
  servfail?: boolean;
  /** Answer every query for this name with REFUSED (as a DNS blocklist does to resolvers it does not serve). */
  refused?: boolean;
  /** TTL of every record of this name, in seconds. */
  ttl?: number;
  /** Hold each answer this long; more than the client's timeout simulates a DNS timeout. */
  delayMs?: number;
}

/** TTL used when a zone gives none, in seconds. */
export const DEFAULT_TTL_SECONDS = 300;
