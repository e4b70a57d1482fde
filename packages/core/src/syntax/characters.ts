import { syntaxError } from './error-codes.js';
import type { AddressSyntaxError } from './types.js';
import { chargeVisits } from './work-meter.js';

// C0 controls, DEL and C1 controls (U+0080–U+009F): any of them could end or corrupt an SMTP command line.
const CONTROL = /\p{Cc}/u;
// With the `u` flag only an unpaired surrogate matches; it has no UTF-8 encoding.
const LONE_SURROGATE = /\p{Cs}/u;
// Zero-width characters, bidi overrides, soft hyphen, BOM…: invisible, so they make look-alike addresses.
const INVISIBLE = /\p{Cf}/u;
const WHITESPACE = /\p{White_Space}/u;
// Any of the three above, for one native scan before the character-by-character one that names the culprit.
const ANY_FORBIDDEN = /[\p{Cc}\p{Cs}\p{Cf}]/u;
const BYTE_ORDER_MARK = '\uFEFF';
// RFC 5322 §3.2.3 atext, ASCII part.
const ASCII_ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]$/;

const LOWEST_NON_ASCII = 0x80;
const FIRST_PRINTABLE_ASCII = 0x20;
const LAST_PRINTABLE_ASCII = 0x7e;

/** `"x" (U+0078)` — a character named so that a reader can see it even when it is invisible. */
export function describeCharacter(character: string): string {
  const codePoint = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  const visible = !CONTROL.test(character) && !INVISIBLE.test(character) && !WHITESPACE.test(character);
  return visible ? `"${character}" (U+${codePoint})` : `U+${codePoint}`;
}

/** The first control, unpaired-surrogate or invisible character in `text`, as a syntax error; null if none. */
export function findForbiddenCharacter(text: string): AddressSyntaxError | null {
  chargeVisits(text.length);
  if (!ANY_FORBIDDEN.test(text)) return null;
  for (const character of text) {
    chargeVisits(1);
    if (CONTROL.test(character)) return syntaxError('control_character', describeCharacter(character));
    if (LONE_SURROGATE.test(character)) return syntaxError('invalid_unicode', describeCharacter(character));
    if (INVISIBLE.test(character)) return syntaxError('invisible_character', describeCharacter(character));
  }
  return null;
}

/** White space that may be trimmed from the edges: not a control character (TAB, CR, LF…), or the BOM. */
function isEdgeWhitespace(character: string): boolean {
  return character === BYTE_ORDER_MARK || (WHITESPACE.test(character) && !CONTROL.test(character));
}

/**
 * Removes surrounding white space, but never control characters (those must be reported, not hidden). One scan
 * from each end: a regex anchored at the end (`\s+$`) retries from every space of an inner run, which made
 * `a<1,000 spaces>@b` quadratic. Every white-space code point is in the BMP, so code units are characters here.
 */
export function trimSurroundingWhitespace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isEdgeWhitespace(text[start] as string)) start++;
  while (end > start && isEdgeWhitespace(text[end - 1] as string)) end--;
  chargeVisits(start + (text.length - end) + 1);
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

export function isWhitespace(character: string): boolean {
  return WHITESPACE.test(character);
}

export function isAsciiAtext(character: string): boolean {
  return ASCII_ATEXT.test(character);
}

export function isNonAscii(character: string): boolean {
  return (character.codePointAt(0) ?? 0) >= LOWEST_NON_ASCII;
}

/** RFC 5321 quoted-pairSMTP allows a backslash before printable ASCII only (%d32-126). */
export function isPrintableAscii(character: string): boolean {
  const codePoint = character.codePointAt(0) ?? 0;
  return codePoint >= FIRST_PRINTABLE_ASCII && codePoint <= LAST_PRINTABLE_ASCII;
}

/** UTF-8 length in octets, which is what every RFC length limit counts. */
export function octetLength(text: string): number {
  chargeVisits(text.length);
  return Buffer.byteLength(text, 'utf8');
}
