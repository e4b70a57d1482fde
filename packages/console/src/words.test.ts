import { describe, expect, it } from 'vitest';
import { countOf } from './words.js';

describe('countOf', () => {
  it('names one row in the singular and every other count in the plural', () => {
    expect(countOf(1, 'row', 'rows')).toBe('1 row');
    expect(countOf(0, 'row', 'rows')).toBe('0 rows');
    expect(countOf(300, 'address', 'addresses')).toBe('300 addresses');
  });
});
