import { trimSurroundingWhitespace } from './characters.js';
import { syntaxError } from './error-codes.js';
import type { AddressSyntaxError } from './types.js';

const MAILTO_PREFIX = /^mailto:/i;
// RFC 6068: the addresses end where the query (or a fragment) begins; both are dropped.
const MAILTO_QUERY_OR_FRAGMENT = /[?#]/;
const ADDRESS_SEPARATORS = new Set([',', ';']);

export type UnwrapResult =
  | { ok: true; address: string; fromMailto: boolean }
  | { ok: false; error: AddressSyntaxError };

/** Positions of characters outside double-quoted segments (backslash escapes honoured inside quotes). */
function* unquotedCharacters(text: string): Generator<[index: number, character: string]> {
  let inQuotes = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (inQuotes && character === '\\') {
      index++;
      continue;
    }
    if (character === '"') {
      inQuotes = !inQuotes;
      continue;
    }
    if (!inQuotes) yield [index, character];
  }
}

function indexOfUnquoted(text: string, wanted: string): number {
  for (const [index, character] of unquotedCharacters(text)) if (character === wanted) return index;
  return -1;
}

function holdsSeveralAddresses(text: string): boolean {
  let ats = 0;
  let separators = 0;
  for (const [, character] of unquotedCharacters(text)) {
    if (character === '@') ats++;
    if (ADDRESS_SEPARATORS.has(character)) separators++;
  }
  return separators > 0 && ats > 1;
}

/** Strips the `Display Name <addr>` and `mailto:` wrappers from a trimmed input, leaving the bare addr-spec. */
export function unwrapAddress(trimmed: string): UnwrapResult {
  let address = trimmed;
  // A raw `mailto:` URI is not wrapped in a display-name form; `<mailto:…>` is (as in List-Unsubscribe).
  const openAngle = MAILTO_PREFIX.test(address) ? -1 : indexOfUnquoted(address, '<');
  if (openAngle >= 0) {
    if (!address.endsWith('>')) return { ok: false, error: syntaxError('unbalanced_angle_brackets') };
    address = trimSurroundingWhitespace(address.slice(openAngle + 1, -1));
    if (indexOfUnquoted(address, '<') >= 0 || indexOfUnquoted(address, '>') >= 0) {
      return { ok: false, error: syntaxError('unbalanced_angle_brackets') };
    }
  } else if (!MAILTO_PREFIX.test(address) && address.endsWith('>')) {
    return { ok: false, error: syntaxError('unbalanced_angle_brackets') };
  }

  let fromMailto = false;
  if (MAILTO_PREFIX.test(address)) {
    fromMailto = true;
    const uri = address.replace(MAILTO_PREFIX, '');
    const queryStart = uri.search(MAILTO_QUERY_OR_FRAGMENT);
    const encoded = queryStart >= 0 ? uri.slice(0, queryStart) : uri;
    try {
      address = decodeURIComponent(encoded);
    } catch {
      return { ok: false, error: syntaxError('invalid_mailto', 'bad percent-encoding') };
    }
    if (address === '') return { ok: false, error: syntaxError('invalid_mailto', 'no address') };
  }

  if (holdsSeveralAddresses(address)) return { ok: false, error: syntaxError('multiple_addresses') };
  return { ok: true, address, fromMailto };
}
