import { syntaxError } from './error-codes.js';
import type { AddressSyntaxError } from './types.js';

// C0 controls, DEL and C1 controls (U+0080–U+009F): any of them could end or corrupt an SMTP command line.
const CONTROL = /\p{Cc}/u;
// With the `u` flag only an unpaired surrogate matches; it has no UTF-8 encoding.
const LONE_SURROGATE = /\p{Cs}/u;
// Zero-width characters, bidi overrides, soft hyphen, BOM…: invisible, so they make look-alike addresses.
const INVISIBLE = /\p{Cf}/u;
const WHITESPACE = /\p{White_Space}/u;
// Surrounding whitespace that may be trimmed: white space that is not also a control character, plus the BOM.
const EDGE_WHITESPACE = /^(?:(?!\p{Cc})[\p{White_Space}\uFEFF])+|(?:(?!\p{Cc})[\p{White_Space}\uFEFF])+$/gu;
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
  for (const character of text) {
    if (CONTROL.test(character)) return syntaxError('control_character', describeCharacter(character));
    if (LONE_SURROGATE.test(character)) return syntaxError('invalid_unicode', describeCharacter(character));
    if (INVISIBLE.test(character)) return syntaxError('invisible_character', describeCharacter(character));
  }
  return null;
}

/** Removes surrounding white space, but never control characters (those must be reported, not hidden). */
export function trimSurroundingWhitespace(text: string): string {
  return text.replace(EDGE_WHITESPACE, '');
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
  return Buffer.byteLength(text, 'utf8');
}
