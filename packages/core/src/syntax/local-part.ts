import { describeCharacter, isAsciiAtext, isNonAscii, isPrintableAscii, isWhitespace } from './characters.js';
import { syntaxError } from './error-codes.js';
import type { AddressSyntaxError } from './types.js';
import { chargeVisits } from './work-meter.js';

export type LocalPartResult =
  | { ok: true; localPart: string; quoted: boolean; needsSmtpUtf8: boolean }
  | { ok: false; error: AddressSyntaxError };

const QUOTE = '"';
const BACKSLASH = '\\';
const SPACE = ' ';

function fail(error: AddressSyntaxError): LocalPartResult {
  return { ok: false, error };
}

/**
 * RFC 5321 §4.1.2 Quoted-string with RFC 6531's UTF-8 extension: qtextSMTP is printable ASCII except `"` and `\`
 * (space included) or non-ASCII; quoted-pairSMTP is `\` before printable ASCII. The quotes are kept.
 */
function parseQuoted(text: string): LocalPartResult {
  let needsSmtpUtf8 = false;
  chargeVisits(text.length);
  const characters = Array.from(text);
  for (let index = 1; index < characters.length; index++) {
    chargeVisits(1);
    const character = characters[index] as string;
    if (character === BACKSLASH) {
      const escaped = characters[index + 1];
      // A backslash as the last character escapes nothing; before the closing quote it swallows it.
      if (escaped === undefined || index + 1 === characters.length - 1)
        return fail(syntaxError('unbalanced_quotes'));
      if (!isPrintableAscii(escaped)) {
        return fail(
          syntaxError(
            'invalid_quoted_string',
            `a backslash may only escape printable ASCII, not ${describeCharacter(escaped)}`,
          ),
        );
      }
      index++;
      continue;
    }
    if (character === QUOTE) {
      if (index !== characters.length - 1) {
        return fail(syntaxError('invalid_quoted_string', 'text follows the closing quote'));
      }
      return { ok: true, localPart: text, quoted: true, needsSmtpUtf8 };
    }
    if (character !== SPACE && isWhitespace(character)) {
      return fail(
        syntaxError(
          'whitespace',
          `${describeCharacter(character)} inside quotes; only a plain space may be quoted`,
        ),
      );
    }
    if (isNonAscii(character)) needsSmtpUtf8 = true;
  }
  return fail(syntaxError('unbalanced_quotes'));
}

/** RFC 5322 §3.2.3 dot-atom (no comments, no obsolete forms), with RFC 6531 UTF-8 atext. */
function parseDotAtom(text: string): LocalPartResult {
  let needsSmtpUtf8 = false;
  for (const character of text) {
    chargeVisits(1);
    if (character === '.') continue;
    if (isWhitespace(character)) return fail(syntaxError('whitespace', describeCharacter(character)));
    if (character === '@') return fail(syntaxError('multiple_at'));
    if (character === QUOTE) {
      chargeVisits(text.length);
      const quotes = text.split(QUOTE).length - 1;
      return fail(
        quotes % 2 === 1
          ? syntaxError('unbalanced_quotes')
          : syntaxError('invalid_quoted_string', 'a quoted string must be the whole local part'),
      );
    }
    if (isNonAscii(character)) {
      needsSmtpUtf8 = true;
      continue;
    }
    if (!isAsciiAtext(character))
      return fail(syntaxError('invalid_local_part', describeCharacter(character)));
  }
  if (text.startsWith('.')) return fail(syntaxError('leading_dot'));
  if (text.endsWith('.')) return fail(syntaxError('trailing_dot'));
  chargeVisits(text.length);
  if (text.includes('..')) return fail(syntaxError('consecutive_dots'));
  return { ok: true, localPart: text, quoted: false, needsSmtpUtf8 };
}

/** Parses a non-empty local part (everything before the last `@`). Its length is checked by the caller. */
export function parseLocalPart(text: string): LocalPartResult {
  return text.startsWith(QUOTE) ? parseQuoted(text) : parseDotAtom(text);
}
