import { describe, expect, it } from 'vitest';
import { collectAddresses } from './collect.js';
import type { Occurrence } from './extract/occurrence.js';
import { addressKey, createIgnoreMatcher, RESERVED_DOMAINS } from './ignore.js';

describe('createIgnoreMatcher', () => {
  const isIgnored = createIgnoreMatcher(['ops@acme.io', 'partner.io', '*.internal', ...RESERVED_DOMAINS]);

  it.each([
    ['ops@ACME.io', true],
    ['Ops@acme.io', false],
    ['dev@acme.io', false],
    ['a@partner.io', true],
    ['a@eu.partner.io', true],
    ['a@notpartner.io', false],
    ['a@db.internal', true],
    ['a@internal', false],
    ['user@example.com', true],
    ['user@mail.example.org', true],
    ['user@signup.test', true],
    ['user@nowhere.invalid', true],
    ['user@localhost', true],
    ['Ana <user@example.net>', true],
    ['user@examples.com', false],
    ['no-at-sign', false],
  ])('%s → %s', (address, ignored) => {
    expect(isIgnored(address)).toBe(ignored);
  });
});

describe('collectAddresses', () => {
  const at = (address: string, line: number, expected: string | null = null): Occurrence => ({
    address,
    file: 'f.json',
    line,
    column: 1,
    expected,
  });

  it('merges spellings that differ only in the domain case, keeping every location', () => {
    const { checked, ignored } = collectAddresses(
      [
        at('ana@ACME.io', 1),
        at('bob@acme.io', 2),
        at('ana@acme.io', 3, 'valid'),
        at('x@example.com', 4),
        at('Ana@acme.io', 5),
      ],
      createIgnoreMatcher(RESERVED_DOMAINS),
    );
    expect(checked.map((entry) => [entry.address, entry.locations.map((location) => location.line)])).toEqual(
      [
        ['ana@ACME.io', [1, 3]],
        ['bob@acme.io', [2]],
        ['Ana@acme.io', [5]],
      ],
    );
    expect(ignored.map((entry) => entry.address)).toEqual(['x@example.com']);
  });

  it('keys mailto: spellings with the bare address', () => {
    expect(addressKey('mailto:ana@ACME.io')).toBe('ana@acme.io');
  });
});
