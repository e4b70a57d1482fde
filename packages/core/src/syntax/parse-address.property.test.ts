import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ADDRESS_OCTETS } from './limits.js';
import { parseAddress } from './parse-address.js';
import type { ParsedAddress } from './types.js';

const RUNS = 5_000;
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;
const WHITESPACE = /\p{White_Space}/u;
const DOMAIN_NAME = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;
const DOMAIN_LITERAL = /^\[(?:[0-9.]+|IPv6:[0-9a-f:.]+)\]$/;

/** Characters of `normalized` outside its quoted local part (the only place whitespace and `<>` may appear). */
function unquotedText(address: ParsedAddress): string {
  return address.quoted ? address.domain : address.normalized;
}

/** Every guarantee a caller building `RCPT TO:<normalized>` relies on. */
function assertSafe(address: ParsedAddress): void {
  expect(address.normalized).toBe(`${address.localPart}@${address.domain}`);
  expect(CONTROL.test(address.normalized)).toBe(false);
  expect(LONE_SURROGATE.test(address.normalized)).toBe(false);
  expect(address.normalized).not.toMatch(/[\r\n\0]/);
  expect(WHITESPACE.test(unquotedText(address))).toBe(false);
  expect(unquotedText(address)).not.toMatch(/[<>]/);
  expect(Buffer.byteLength(address.normalized, 'utf8')).toBeLessThanOrEqual(MAX_ADDRESS_OCTETS);
  expect(address.literal ? DOMAIN_LITERAL.test(address.domain) : DOMAIN_NAME.test(address.domain)).toBe(true);
  const again = parseAddress(address.normalized);
  expect(again.ok && again.address.normalized).toBe(address.normalized);
}

/** Asserts the two invariants for any input: no throw, and nothing with a control character accepted. */
function checkInput(input: string): void {
  const result = parseAddress(input);
  if (CONTROL.test(input) || LONE_SURROGATE.test(input)) expect(result.ok).toBe(false);
  if (result.ok) assertSafe(result.address);
  else expect(result.error.message.length).toBeGreaterThan(0);
}

// Characters that steer the parser into every branch, mixed with arbitrary code points (lone surrogates too).
const interesting = fc.constantFrom(
  ...['a', 'Z', '0', '.', '@', '"', '\\', '<', '>', '[', ']', ':', ',', ';', '%', '?', '+', '-', '_', ' '],
  ...['\r', '\n', '\0', '\t', '\u007f', '\u0085', '\u00a0', '\u200b', '\u202e', '\ufeff', '\u2028'],
  ...['é', 'ß', '例', '。', '😀', 'xn--', 'mailto:', 'IPv6:', '%0D', '%0A', '%00', '%22', '%40'],
);
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const steered = fc
  .array(fc.oneof(interesting, fc.string({ unit: 'binary', maxLength: 3 }), anyCodeUnit), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));
// Address-shaped inputs: mostly valid pieces, sometimes a nasty one, in every wrapper the parser accepts.
const nasty = fc.constantFrom(
  '\r',
  '\n',
  '\0',
  '\t',
  '\u0085',
  ' ',
  '\u00a0',
  '"',
  '\\',
  '<',
  '>',
  '@',
  '..',
  '-',
  '%0A',
);
const atom = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]{1,8}$/) },
  { weight: 2, arbitrary: fc.constantFrom('jöhn', '用户', 'ß', '😀') },
  { weight: 1, arbitrary: nasty },
);
const dotAtom = fc.array(atom, { minLength: 1, maxLength: 4 }).map((atoms) => atoms.join('.'));
const quoted = fc
  .array(fc.oneof(atom, fc.constantFrom(' ', '\\"', '\\\\', '@', ',', '(x)')), { minLength: 0, maxLength: 5 })
  .map((parts) => `"${parts.join('')}"`);
const label = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?$/) },
  { weight: 2, arbitrary: fc.constantFrom('bücher', '例え', 'xn--bcher-kva', 'ＥＸ', 'xn--zz') },
  { weight: 1, arbitrary: nasty },
);
const domainName = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
const domainLiteral = fc.oneof(
  fc.ipV4().map((ip) => `[${ip}]`),
  fc.ipV6().map((ip) => `[IPv6:${ip}]`),
  fc.ipV4Extended().map((ip) => `[${ip}]`),
);
const wrapper = fc.constantFrom(
  (address: string) => address,
  (address: string) => `  ${address}  `,
  (address: string) => `Name <${address}>`,
  (address: string) => `mailto:${address}?subject=x`,
  (address: string) => `mailto:${encodeURIComponent(address)}`,
);
const addressShaped = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: dotAtom }, { weight: 1, arbitrary: quoted }),
    fc.oneof({ weight: 6, arbitrary: domainName }, { weight: 1, arbitrary: domainLiteral }),
    wrapper,
  )
  .map(([local, domain, wrap]) => wrap(`${local}@${domain}`));

const controlCharacter = fc
  .oneof(fc.integer({ min: 0x00, max: 0x1f }), fc.constant(0x7f), fc.integer({ min: 0x80, max: 0x9f }))
  .map((codePoint) => String.fromCodePoint(codePoint));

describe('parseAddress properties', () => {
  it('never throws on arbitrary strings, and accepts only safe addresses', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkInput), { numRuns: RUNS });
  });

  it('never throws on arbitrary grapheme strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), checkInput), { numRuns: RUNS });
  });

  it('never throws on strings steered towards the parser branches', () => {
    fc.assert(fc.property(steered, checkInput), { numRuns: RUNS * 2 });
  });

  it('never throws on address-shaped inputs, and accepts only safe addresses', () => {
    fc.assert(fc.property(addressShaped, checkInput), { numRuns: RUNS * 2 });
  });

  it('accepts generated RFC addresses that fit SMTP limits, and keeps them safe', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const result = parseAddress(email);
        const [local = '', domain = ''] = email.split('@');
        const fitsLimits = email.length <= MAX_ADDRESS_OCTETS && local.length <= 64 && domain.length <= 253;
        const numericTld = /\.[0-9]+$/.test(domain);
        if (fitsLimits && !numericTld) {
          if (!result.ok) expect.fail(`${email} refused: ${result.error.code}`);
          expect(result.address.localPart).toBe(local);
        }
        if (result.ok) assertSafe(result.address);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses any valid address with a control character inserted anywhere', () => {
    fc.assert(
      fc.property(fc.emailAddress(), controlCharacter, fc.nat(), (email, control, position) => {
        const at = position % (email.length + 1);
        const result = parseAddress(`${email.slice(0, at)}${control}${email.slice(at)}`);
        expect(result.ok).toBe(false);
        expect(result.ok ? null : result.error.code).toBe('control_character');
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses control characters smuggled in by mailto: percent-encoding, quotes or a display name', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', maxLength: 10 }),
        controlCharacter,
        fc.constantFrom('mailto', 'quoted', 'display'),
        (text, control, wrapper) => {
          const local = `${text}${control}`;
          const input =
            wrapper === 'mailto'
              ? `mailto:${encodeURIComponent(local)}@example.com`
              : wrapper === 'quoted'
                ? `"${local.replace(/["\\]/g, '')}"@example.com`
                : `${local} <user@example.com>`;
          expect(parseAddress(input).ok).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
