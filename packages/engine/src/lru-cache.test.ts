import { describe, expect, it } from 'vitest';
import { LruTtlCache } from './lru-cache.js';

describe('LruTtlCache', () => {
  it('evicts the least recently used entry beyond its size', () => {
    const cache = new LruTtlCache<string, number>(2);
    cache.set('a', 1, 1000);
    cache.set('b', 2, 1000);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3, 1000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('forgets entries when their TTL runs out and stores nothing for TTL 0', () => {
    let now = 0;
    const cache = new LruTtlCache<string, number>(10, () => now);
    cache.set('a', 1, 100);
    cache.set('zero', 1, 0);
    now = 99;
    expect(cache.get('a')).toBe(1);
    now = 100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('zero')).toBeUndefined();
  });
});
