import type { Occurrence } from './extract/occurrence.js';
import { addressKey, type IgnoreMatcher } from './ignore.js';

/** One distinct address and every place it appears. */
export interface AddressEntry {
  /** The address as first written. */
  address: string;
  locations: Occurrence[];
}

export interface Collected {
  /** Addresses to verify, in order of first appearance. */
  checked: AddressEntry[];
  /** Addresses skipped by `ignore` / `ignore-reserved`. */
  ignored: AddressEntry[];
}

/** De-duplicates occurrences (same local part, domain case-insensitive) and sets ignored ones aside. */
export function collectAddresses(occurrences: readonly Occurrence[], isIgnored: IgnoreMatcher): Collected {
  const byKey = new Map<string, AddressEntry>();
  for (const occurrence of occurrences) {
    const key = addressKey(occurrence.address);
    const entry = byKey.get(key);
    if (entry) entry.locations.push(occurrence);
    else byKey.set(key, { address: occurrence.address, locations: [occurrence] });
  }
  const checked: AddressEntry[] = [];
  const ignored: AddressEntry[] = [];
  for (const entry of byKey.values()) (isIgnored(entry.address) ? ignored : checked).push(entry);
  return { checked, ignored };
}
