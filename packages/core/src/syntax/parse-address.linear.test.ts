// Parsing is linear in the input whatever it holds: runs of white space, folding white space (CRLF + WSP), comments
// nested to any depth, quotes, escapes and brackets. Proved by counting the characters the grammar visits
// (work-meter.ts), never by reading a clock, over inputs built to make a backtracking or rescanning parser slow.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_LENGTH } from './limits.js';
import { parseAddress } from './parse-address.js';
import { countVisits } from './work-meter.js';

/** Characters visited per input character, at most: each scan of the grammar reads the input a bounded number of times. */
const VISITS_PER_CHARACTER = 40;
/** Visits allowed whatever the length (the fixed checks of a tiny input). */
const VISITS_BASE = 64;
const RUNS = 2_000;

function visits(input: string): number {
  return countVisits(() => parseAddress(input)).visits;
}

// Pieces that a rescanning parser would revisit: white space of every kind, folding white space, comment
// delimiters (nested by repetition), quotes, escapes, brackets, separators and wrappers.
const piece = fc.constantFrom(
  ...[' ', '\t', '\u00a0', '\u3000', '\u2028', '\ufeff', '\r\n ', '\r\n\t', ' \r\n '],
  ...['(', ')', '(a)', '((', '))', '( (', ') )', '\\(', '\\)', '(\\)'],
  ...['"', '\\', '\\"', '\\ ', '" "', '<', '>', ' <', '> ', '@', ' @ ', '.', '..', ',', ';', '[', ']'],
  ...['a', 'é', '😀', 'mailto:', '%20', '%28', 'IPv6:', ':', 'xn--', '-', 'b.c'],
);
/** A run: one piece repeated many times (the shape of the padding attack). */
const run = fc.tuple(piece, fc.integer({ min: 1, max: 400 })).map(([text, times]) => text.repeat(times));
/** An address with adversarial runs spliced into its local part, its domain and around it. */
const adversarial = fc
  .tuple(
    fc.array(run, { maxLength: 3 }),
    fc.array(run, { maxLength: 3 }),
    fc.array(run, { maxLength: 3 }),
    fc.constantFrom('', 'Name <', 'mailto:', '"', '('),
    fc.constantFrom('', '>', ')', '"'),
  )
  .map(
    ([before, local, domain, open, close]) =>
      `${open}${before.join('')}a${local.join('')}@b${domain.join('')}.example${close}`,
  );

describe('parseAddress visits each character a bounded number of times', () => {
  it('on adversarial runs of white space, folding white space, comments, quotes and brackets', () => {
    fc.assert(
      fc.property(adversarial, (input) => {
        expect(visits(input)).toBeLessThanOrEqual(VISITS_PER_CHARACTER * input.length + VISITS_BASE);
      }),
      { numRuns: RUNS },
    );
  });

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2_000 }), (input) => {
        expect(visits(input)).toBeLessThanOrEqual(VISITS_PER_CHARACTER * input.length + VISITS_BASE);
      }),
      { numRuns: RUNS },
    );
  });

  it('grows linearly: four times the padding costs at most about four times the visits', () => {
    const padding = fc.constantFrom(' ', '\u00a0', '\r\n ', '(', '( ', ')(', '((a)', '\\(', '" "', ' <', '.');
    const place = fc.constantFrom(
      (pad: string) => `a${pad}@b.example`,
      (pad: string) => `a@b${pad}.example`,
      (pad: string) => `Name${pad}<a@b.example>`,
      (pad: string) => `<${pad}a@b.example${pad}>`,
      (pad: string) => `"${pad}"@b.example`,
      (pad: string) => `(${pad}a@b.example`,
      (pad: string) => `a(${pad})@b.example`,
      (pad: string) => `mailto:a${pad}@b.example`,
    );
    fc.assert(
      fc.property(padding, place, fc.integer({ min: 50, max: 250 }), (pad, wrap, times) => {
        const small = visits(wrap(pad.repeat(times)));
        const large = visits(wrap(pad.repeat(times * 4)));
        // A quadratic parser would cost ~16 times as much; a linear one 4 times plus the fixed part.
        expect(large).toBeLessThanOrEqual(4 * small + VISITS_BASE);
      }),
      { numRuns: 500 },
    );
  });

  it('the reported case: one local character, 1,020 spaces, "@b" is refused after a few thousand visits', () => {
    const input = `a${' '.repeat(1020)}@b`;
    const { result, visits: count } = countVisits(() => parseAddress(input));
    expect(result.ok ? null : result.error.code).toBe('whitespace');
    expect(count).toBeLessThanOrEqual(VISITS_PER_CHARACTER * input.length);
  });

  it('counts what it reads: more padding, more visits (the meter is live)', () => {
    expect(visits(`a${' '.repeat(2_000)}@b.example`)).toBeGreaterThan(2_000);
    expect(visits(`a${' '.repeat(MAX_INPUT_LENGTH * 4)}`)).toBeGreaterThan(MAX_INPUT_LENGTH);
  });
});
