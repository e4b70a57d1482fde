import { describe, expect, it } from 'vitest';
import { readAddressList, readBoolean, readChoices, readText } from './input.js';

describe('inputs', () => {
  it('reads booleans given as booleans or as words', () => {
    expect([true, 'true', 'Yes', ' 1 ', 'on'].map(readBoolean)).toEqual([true, true, true, true, true]);
    expect([false, 'false', 'no', '', undefined, 0].map(readBoolean)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads text, trimmed, from strings and numbers', () => {
    expect(readText('  ann@acme.test ')).toBe('ann@acme.test');
    expect(readText(42)).toBe('42');
    expect(readText(null)).toBe('');
  });

  it('reads address lists from line items, text with new lines, commas or semicolons', () => {
    expect(readAddressList(['a@x.test', 'b@x.test\r\nc@x.test', '', 'd@x.test; e@x.test,'])).toEqual([
      'a@x.test',
      'b@x.test',
      'c@x.test',
      'd@x.test',
      'e@x.test',
    ]);
    expect(readAddressList('a@x.test\nb@x.test')).toEqual(['a@x.test', 'b@x.test']);
    expect(readAddressList(undefined)).toEqual([]);
  });

  it('reads chosen statuses case-insensitively', () => {
    expect(readChoices(['VALID', 'unknown'])).toEqual(new Set(['VALID', 'UNKNOWN']));
    expect(readChoices('valid, invalid')).toEqual(new Set(['VALID', 'INVALID']));
    expect(readChoices(undefined).size).toBe(0);
  });
});
