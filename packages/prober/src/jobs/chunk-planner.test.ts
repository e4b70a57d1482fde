import { describe, expect, it } from 'vitest';
import { ChunkPlanner } from './chunk-planner.js';

describe('ChunkPlanner', () => {
  it('emits a full chunk of one domain as soon as it fills', () => {
    const planner = new ChunkPlanner(3, 100);
    expect(planner.add('a.test', 0)).toEqual([]);
    expect(planner.add('b.test', 1)).toEqual([]);
    expect(planner.add('a.test', 2)).toEqual([]);
    expect(planner.add('a.test', 3)).toEqual([[0, 2, 3]]);
    expect(planner.flush()).toEqual([[1]]);
  });

  it('packs small domains together without splitting a domain across chunks when it fits', () => {
    const planner = new ChunkPlanner(4, 100);
    for (const [domain, index] of [
      ['c.test', 0],
      ['a.test', 1],
      ['b.test', 2],
      ['a.test', 3],
      ['c.test', 4],
      ['b.test', 5],
    ] as const) {
      planner.add(domain, index);
    }
    expect(planner.flush()).toEqual([
      [1, 3, 2, 5],
      [0, 4],
    ]);
  });

  it('keeps at most maxBuffered items in memory', () => {
    const planner = new ChunkPlanner(10, 5);
    const emitted: number[][] = [];
    for (let index = 0; index < 12; index += 1) emitted.push(...planner.add(`d${index}.test`, index));
    emitted.push(...planner.flush());
    expect(emitted.flat().sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(emitted.length).toBeGreaterThanOrEqual(3);
  });
});
