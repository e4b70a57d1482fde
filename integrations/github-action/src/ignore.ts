/**
 * Domains reserved for documentation and testing (RFC 2606, RFC 6761): addresses there are
 * placeholders by design and never deliverable, so they are skipped unless `ignore-reserved: false`.
 */
export const RESERVED_DOMAINS = [
  'example.com',
  'example.net',
  'example.org',
  '*.example',
  '*.test',
  '*.invalid',
  '*.localhost',
  'localhost',
];

/** Decides whether an address is skipped. */
export type IgnoreMatcher = (address: string) => boolean;

/**
 * Builds a matcher from entries that are full addresses (`a@x.com`, exact, domain case-insensitive),
 * domains (`x.com`: the domain and its subdomains) or wildcards (`*.x`: subdomains of x only).
 */
export function createIgnoreMatcher(entries: readonly string[]): IgnoreMatcher {
  const addresses = new Set<string>();
  const domains: string[] = [];
  const suffixes: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry.includes('@')) addresses.add(addressKey(entry));
    else if (entry.startsWith('*.')) suffixes.push(entry.slice(1).toLowerCase());
    else if (entry !== '') domains.push(entry.toLowerCase().replace(/^@/, ''));
  }
  return (address) => {
    if (addresses.has(addressKey(address))) return true;
    const domain = domainOf(address);
    if (domain === null) return false;
    return (
      domains.some((entry) => domain === entry || domain.endsWith(`.${entry}`)) ||
      suffixes.some((suffix) => domain.endsWith(suffix))
    );
  };
}

/** The domain after the last `@`, lower-cased, without a trailing `>` or dot; null when there is none. */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  return address
    .slice(at + 1)
    .replace(/>$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** The key two spellings of one address share: the local part as written, the domain lower-cased. */
export function addressKey(address: string): string {
  const trimmed = address.trim().replace(/^mailto:/i, '');
  const at = trimmed.lastIndexOf('@');
  return at < 0 ? trimmed : `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}
