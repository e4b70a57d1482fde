import { trimSurroundingWhitespace } from './characters.js';
import { syntaxError } from './error-codes.js';
import type { AddressSyntaxError } from './types.js';
import { chargeVisits } from './work-meter.js';

const MAILTO_PREFIX = /^mailto:/i;
// RFC 6068: the addresses end where the query (or a fragment) begins; both are dropped.
const MAILTO_QUERY_OR_FRAGMENT = /[?#]/;
const ADDRESS_SEPARATORS = new Set([',', ';']);

export type UnwrapResult =
  | { ok: true; address: string; fromMailto: boolean }
  | { ok: false; error: AddressSyntaxError };

/** What one scan finds outside double-quoted segments (backslash escapes honoured inside quotes). */
interface UnquotedScan {
  /** Index of the first unquoted `<`, or -1. */
  firstOpenAngle: number;
  angles: number;
  ats: number;
  separators: number;
}

/** One pass over `text`; a plain loop, as this runs on every address of every request. */
function scanUnquoted(text: string): UnquotedScan {
  const scan: UnquotedScan = { firstOpenAngle: -1, angles: 0, ats: 0, separators: 0 };
  chargeVisits(text.length);
  let inQuotes = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (inQuotes) {
      if (character === '\\') index++;
      else if (character === '"') inQuotes = false;
      continue;
    }
    if (character === '"') inQuotes = true;
    else if (character === '@') scan.ats++;
    else if (ADDRESS_SEPARATORS.has(character)) scan.separators++;
    else if (character === '<' || character === '>') {
      scan.angles++;
      if (character === '<' && scan.firstOpenAngle < 0) scan.firstOpenAngle = index;
    }
  }
  return scan;
}

function holdsSeveralAddresses(scan: UnquotedScan): boolean {
  return scan.separators > 0 && scan.ats > 1;
}

/** Strips the `Display Name <addr>` and `mailto:` wrappers from a trimmed input, leaving the bare addr-spec. */
export function unwrapAddress(trimmed: string): UnwrapResult {
  let address = trimmed;
  let scan = scanUnquoted(address);
  // A raw `mailto:` URI is not wrapped in a display-name form; `<mailto:…>` is (as in List-Unsubscribe).
  const openAngle = MAILTO_PREFIX.test(address) ? -1 : scan.firstOpenAngle;
  if (openAngle >= 0) {
    if (!address.endsWith('>')) return { ok: false, error: syntaxError('unbalanced_angle_brackets') };
    chargeVisits(address.length - openAngle);
    address = trimSurroundingWhitespace(address.slice(openAngle + 1, -1));
    scan = scanUnquoted(address);
    if (scan.angles > 0) return { ok: false, error: syntaxError('unbalanced_angle_brackets') };
  } else if (!MAILTO_PREFIX.test(address) && address.endsWith('>')) {
    return { ok: false, error: syntaxError('unbalanced_angle_brackets') };
  }

  let fromMailto = false;
  if (MAILTO_PREFIX.test(address)) {
    fromMailto = true;
    // Each built-in below reads the URI once.
    chargeVisits(address.length * 3);
    const uri = address.replace(MAILTO_PREFIX, '');
    const queryStart = uri.search(MAILTO_QUERY_OR_FRAGMENT);
    const encoded = queryStart >= 0 ? uri.slice(0, queryStart) : uri;
    try {
      address = decodeURIComponent(encoded);
    } catch {
      return { ok: false, error: syntaxError('invalid_mailto', 'bad percent-encoding') };
    }
    if (address === '') return { ok: false, error: syntaxError('invalid_mailto', 'no address') };
    scan = scanUnquoted(address);
  }

  if (holdsSeveralAddresses(scan)) return { ok: false, error: syntaxError('multiple_addresses') };
  return { ok: true, address, fromMailto };
}
