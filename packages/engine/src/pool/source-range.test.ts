import { describe, expect, it } from 'vitest';
import { EngineOptionsError } from '../errors.js';
import { MAX_ADDRESSES_PER_RANGE, parseSourceRange } from './source-range.js';

describe('parseSourceRange', () => {
  it('expands an IPv4 CIDR without its network and broadcast addresses', () => {
    const range = parseSourceRange('127.0.2.0/29');
    expect(range.family).toBe(4);
    expect(Array.from({ length: range.size }, (_, index) => range.at(index))).toEqual([
      '127.0.2.1',
      '127.0.2.2',
      '127.0.2.3',
      '127.0.2.4',
      '127.0.2.5',
      '127.0.2.6',
    ]);
  });

  it('keeps both addresses of a /31 and the one of a /32 or a bare IP', () => {
    expect(parseSourceRange('192.0.2.4/31').size).toBe(2);
    expect(parseSourceRange('192.0.2.7/32').at(0)).toBe('192.0.2.7');
    expect(parseSourceRange('192.0.2.7').at(0)).toBe('192.0.2.7');
  });

  it('expands IPv6 ranges lazily and bounded', () => {
    const range = parseSourceRange('2001:db8::/32');
    expect(range.family).toBe(6);
    expect(range.size).toBe(MAX_ADDRESSES_PER_RANGE);
    expect(range.at(0)).toBe('2001:db8::');
    expect(range.at(255)).toBe('2001:db8::ff');
    expect(parseSourceRange('::1').at(0)).toBe('::1');
  });

  it('refuses what is not an IP or CIDR', () => {
    expect(() => parseSourceRange('mx.example.com')).toThrow(EngineOptionsError);
    expect(() => parseSourceRange('10.0.0.0/40')).toThrow(EngineOptionsError);
  });
});
