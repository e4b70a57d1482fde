import { describe, expect, it } from 'vitest';
import { SourcePool } from './source-pool.js';

describe('SourcePool', () => {
  it('rotates round-robin within the MX address family', () => {
    const pool = new SourcePool(['127.0.2.0/30', '::1'], 1000);
    expect([pool.pick(4, 'mx'), pool.pick(4, 'mx'), pool.pick(4, 'mx')]).toEqual([
      '127.0.2.1',
      '127.0.2.2',
      '127.0.2.1',
    ]);
    expect(pool.pick(6, 'mx')).toBe('::1');
  });

  it('lets the OS choose when nothing is configured, and has nothing for a missing family', () => {
    expect(new SourcePool([], 1000).pick(4, 'mx')).toBeUndefined();
    const v4only = new SourcePool(['127.0.2.1'], 1000);
    expect(v4only.pick(6, 'mx')).toBeNull();
    expect(v4only.hasFamily(6)).toBe(false);
  });

  it('benches a source for one MX host for the cool-down only', () => {
    let now = 0;
    const pool = new SourcePool(['127.0.2.0/30'], 1000, () => now);
    pool.bench('127.0.2.1', 'mx-a');
    expect([pool.pick(4, 'mx-a'), pool.pick(4, 'mx-a')]).toEqual(['127.0.2.2', '127.0.2.2']);
    expect(pool.pick(4, 'mx-b')).toBe('127.0.2.1');
    pool.bench('127.0.2.2', 'mx-a');
    expect(pool.pick(4, 'mx-a')).toBeNull();
    now = 1000;
    expect(pool.pick(4, 'mx-a')).not.toBeNull();
  });

  it('skips excluded sources', () => {
    const pool = new SourcePool(['127.0.2.0/30'], 1000);
    expect(pool.pick(4, 'mx', new Set(['127.0.2.1', '127.0.2.2']))).toBeNull();
  });

  it('keeps held sources out of every MX until they are released', () => {
    const pool = new SourcePool(['127.0.2.0/30'], 1000);
    pool.hold(['127.0.2.1']);
    expect([pool.pick(4, 'mx-a'), pool.pick(4, 'mx-b'), pool.pick(4, 'mx-a')]).toEqual([
      '127.0.2.2',
      '127.0.2.2',
      '127.0.2.2',
    ]);
    pool.hold(['127.0.2.1', '127.0.2.2']);
    expect(pool.pick(4, 'mx-a')).toBeNull();
    pool.hold([]);
    expect(new Set([pool.pick(4, 'mx-a'), pool.pick(4, 'mx-a')])).toEqual(
      new Set(['127.0.2.1', '127.0.2.2']),
    );
  });
});
