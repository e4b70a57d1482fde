import { describe, expect, it } from 'vitest';
import { ADDRESS_CASES } from './__fixtures__/addresses.js';
import { ADDRESS_SYNTAX_ERROR_CODES, ADDRESS_SYNTAX_ERROR_MESSAGES } from './error-codes.js';
import { parseAddress } from './parse-address.js';

describe('parseAddress table', () => {
  it('has at least 150 cases, each naming its rule', () => {
    expect(ADDRESS_CASES.length).toBeGreaterThanOrEqual(150);
    for (const row of ADDRESS_CASES) expect(row.rule.length).toBeGreaterThan(0);
  });

  it.each(ADDRESS_CASES.map((row) => [JSON.stringify(row.input).slice(0, 80), row] as const))(
    '%s',
    (_, row) => {
      const result = parseAddress(row.input);
      if (row.expected.ok) {
        if (!result.ok)
          expect.fail(`expected valid (${row.rule}), got ${result.error.code}: ${result.error.message}`);
        const { ok: _ok, ...fields } = row.expected;
        expect(result.address).toMatchObject(fields);
        expect(result.address.input).toBe(row.input);
        expect(result.address.normalized).toBe(`${result.address.localPart}@${result.address.domain}`);
      } else {
        if (result.ok)
          expect.fail(`expected ${row.expected.code} (${row.rule}), got ${result.address.normalized}`);
        expect(result.error.code).toBe(row.expected.code);
        expect(
          result.error.message.startsWith(ADDRESS_SYNTAX_ERROR_MESSAGES[row.expected.code].slice(0, -1)),
        ).toBe(true);
      }
    },
  );

  it('exercises every error code at least once', () => {
    const covered = new Set(ADDRESS_CASES.flatMap((row) => (row.expected.ok ? [] : [row.expected.code])));
    expect(ADDRESS_SYNTAX_ERROR_CODES.filter((code) => !covered.has(code))).toEqual([]);
  });
});

describe('parseAddress details', () => {
  it('returns every field of a parsed address', () => {
    expect(parseAddress(' Jöhn.Doe@BÜCHER.de ')).toEqual({
      ok: true,
      address: {
        input: ' Jöhn.Doe@BÜCHER.de ',
        localPart: 'Jöhn.Doe',
        domain: 'xn--bcher-kva.de',
        domainUnicode: 'bücher.de',
        normalized: 'Jöhn.Doe@xn--bcher-kva.de',
        quoted: false,
        needsSmtpUtf8: true,
        literal: false,
      },
    });
  });

  it('names the offending character in the message, visibly even when it is invisible', () => {
    const comma = parseAddress('a,b@example.com');
    expect(comma.ok ? null : comma.error.message).toContain('"," (U+002C)');
    const linefeed = parseAddress('a\nb@example.com');
    expect(linefeed.ok ? null : linefeed.error.message).toContain('U+000A');
    expect(linefeed.ok ? null : linefeed.error.message).not.toContain('\n');
  });

  it('gives the octet count of an over-long part', () => {
    const result = parseAddress(`${'a'.repeat(65)}@example.com`);
    expect(result.ok ? null : result.error.message).toContain('65 octets');
  });

  it('is deterministic and idempotent on its own output', () => {
    for (const row of ADDRESS_CASES) {
      const first = parseAddress(row.input);
      if (!first.ok) continue;
      const again = parseAddress(first.address.normalized);
      expect(again.ok && again.address.normalized).toBe(first.address.normalized);
    }
  });
});
