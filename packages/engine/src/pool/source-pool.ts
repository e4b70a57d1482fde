import { parseSourceRange, type SourceRange } from './source-range.js';

// Looking further than this for a source that is not benched would cost more than it saves.
const MAX_ROTATION_SCAN = 1024;

/**
 * The dedicated source addresses: round-robin rotation per address family, and a bench of
 * (source, MX host) pairs that the MX refused as `blocked`, each kept out for a cool-down.
 */
export class SourcePool {
  readonly #ranges: Record<4 | 6, SourceRange[]> = { 4: [], 6: [] };
  readonly #sizes: Record<4 | 6, number> = { 4: 0, 6: 0 };
  readonly #cursor: Record<4 | 6, number> = { 4: 0, 6: 0 };
  readonly #benchedUntil = new Map<string, number>();
  /** Sources kept out of every probe (e.g. listed on a DNS blocklist) until released. */
  #held: ReadonlySet<string> = new Set();
  readonly #cooldownMs: number;
  readonly #now: () => number;

  constructor(sources: readonly string[], cooldownMs: number, now: () => number = Date.now) {
    for (const range of sources.map(parseSourceRange)) {
      this.#ranges[range.family].push(range);
      this.#sizes[range.family] += range.size;
    }
    this.#cooldownMs = cooldownMs;
    this.#now = now;
  }

  /** False when no source address is configured: the OS picks one per connection. */
  get configured(): boolean {
    return this.#sizes[4] + this.#sizes[6] > 0;
  }

  /** Whether a source of `family` can be picked (always true when the OS chooses). */
  hasFamily(family: 4 | 6): boolean {
    return !this.configured || this.#sizes[family] > 0;
  }

  /** Every configured address, expanded (bounded by the caller's `limit`). */
  list(limit: number): string[] {
    const addresses: string[] = [];
    for (const range of [...this.#ranges[4], ...this.#ranges[6]]) {
      for (let index = 0; index < range.size && addresses.length < limit; index += 1)
        addresses.push(range.at(index));
    }
    return addresses;
  }

  #addressAt(family: 4 | 6, index: number): string {
    let rest = index;
    for (const range of this.#ranges[family]) {
      if (rest < range.size) return range.at(rest);
      rest -= range.size;
    }
    throw new RangeError(`source index ${index} out of range`);
  }

  /**
   * The next source of `family` for `mxHost`, skipping benched and `exclude`d ones.
   * `undefined` when none are configured at all (let the OS choose); `null` when none is usable.
   */
  pick(family: 4 | 6, mxHost: string, exclude: ReadonlySet<string> = new Set()): string | null | undefined {
    if (!this.configured) return undefined;
    const size = this.#sizes[family];
    for (let step = 0; step < Math.min(size, MAX_ROTATION_SCAN); step += 1) {
      const index = (this.#cursor[family] + step) % size;
      const candidate = this.#addressAt(family, index);
      if (exclude.has(candidate) || this.#held.has(candidate) || this.isBenched(candidate, mxHost)) continue;
      this.#cursor[family] = (index + 1) % size;
      return candidate;
    }
    return null;
  }

  /** Keeps exactly these sources out of every probe (replaces the previous set; empty releases all). */
  hold(sources: readonly string[]): void {
    this.#held = new Set(sources);
  }

  /** Keeps `source` away from `mxHost` for the cool-down. */
  bench(source: string, mxHost: string): void {
    this.#benchedUntil.set(`${source} ${mxHost}`, this.#now() + this.#cooldownMs);
  }

  isBenched(source: string, mxHost: string): boolean {
    const key = `${source} ${mxHost}`;
    const until = this.#benchedUntil.get(key);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#benchedUntil.delete(key);
    return false;
  }
}
