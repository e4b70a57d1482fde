import { describe, expect, it } from 'vitest';
import { candidatesInValue, findAddressesInText, isEmailKey } from './address-pattern.js';

const values = (text: string) => findAddressesInText(text).map((match) => match.value);

describe('findAddressesInText', () => {
  it('finds addresses in prose with their offsets, without surrounding punctuation', () => {
    const text = 'Write to <ana.lopez@acme.io>, or (bob+tag@mail.acme.io).';
    expect(findAddressesInText(text)).toEqual([
      { value: 'ana.lopez@acme.io', index: 10 },
      { value: 'bob+tag@mail.acme.io', index: 34 },
    ]);
  });

  it('stops before a sentence-ending dot and after mailto:', () => {
    expect(values('Mail mailto:ops@acme.io. Done')).toEqual(['ops@acme.io']);
  });

  it('keeps doubled dots in the local part so the parser can report them', () => {
    expect(values('john..doe@acme.io')).toEqual(['john..doe@acme.io']);
  });

  it('finds internationalised addresses', () => {
    expect(values('josé@bücher.de and user@xn--bcher-kva.de')).toEqual([
      'josé@bücher.de',
      'user@xn--bcher-kva.de',
    ]);
  });

  it('ignores asset names, package specifiers and hosts without a TLD', () => {
    expect(values('logo@2x.png icon@3x.webp @scope/pkg@1.2.3 git@localhost')).toEqual([]);
  });

  it('does not split a longer token', () => {
    expect(values('a@b.com@c.com x@y.com-z')).toEqual([]);
  });
});

describe('candidatesInValue', () => {
  it('takes a whole value that looks like one address, even a malformed one', () => {
    expect(candidatesInValue('  a..b@x.com ', null)).toEqual([{ value: 'a..b@x.com', index: 2 }]);
    expect(candidatesInValue('Ana <ana@x.com>', null)).toEqual([{ value: 'Ana <ana@x.com>', index: 0 }]);
  });

  it('takes any value under an email key, so non-addresses are reported', () => {
    expect(candidatesInValue('not an address', 'email')).toEqual([{ value: 'not an address', index: 0 }]);
  });

  it('splits lists under an email key', () => {
    expect(candidatesInValue('a@x.com, b@y.com', 'emails').map((match) => match.value)).toEqual([
      'a@x.com',
      'b@y.com',
    ]);
  });

  it('scans other values as text', () => {
    expect(candidatesInValue('Contact ops@acme.io today', 'note')).toEqual([
      { value: 'ops@acme.io', index: 8 },
    ]);
    expect(candidatesInValue('', 'email')).toEqual([]);
  });
});

describe('isEmailKey', () => {
  it.each(['email', 'userEmail', 'E-Mail', 'EMAIL_ADDRESS', 'mail'])('%s names an address field', (key) => {
    expect(isEmailKey(key)).toBe(true);
  });
  it.each(['emailVerified', 'email_subject', 'name', 'mailbox_count', 'from'])('%s does not', (key) => {
    expect(isEmailKey(key)).toBe(false);
  });
});
