import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { describeCharacter, isNonAscii, isWhitespace } from './characters.js';
import { syntaxError } from './error-codes.js';
import { MAX_LABEL_OCTETS } from './limits.js';
import type { AddressSyntaxError } from './types.js';
import { chargeVisits } from './work-meter.js';

export type DomainResult =
  | { ok: true; domain: string; domainUnicode: string; literal: boolean }
  | { ok: false; error: AddressSyntaxError };

const LDH_CHARACTER = /^[A-Za-z0-9.-]$/;
const ALL_DIGITS = /^[0-9]+$/;
const A_LABEL_PREFIX = 'xn--';
const IPV6_TAG = /^IPv6:/i;
// RFC 5321 §4.1.3 General-address-literal: `Standardized-tag ":" 1*dcontent`.
const GENERAL_LITERAL = /^[A-Za-z0-9-]*[A-Za-z0-9]:/;
const MIN_LABELS = 2;

function fail(error: AddressSyntaxError): DomainResult {
  return { ok: false, error };
}

/** RFC 5321 §4.1.3 address literal: `[IPv4]` or `[IPv6:…]`; general literals are refused. */
function parseLiteral(text: string): DomainResult {
  if (!text.endsWith(']')) return fail(syntaxError('invalid_address_literal', 'missing "]"'));
  // The slice, the tag strip, the two IP parsers and the general-literal pattern read the literal once each.
  chargeVisits(text.length * 5);
  const inner = text.slice(1, -1);
  if (IPV6_TAG.test(inner)) {
    const ip = inner.replace(IPV6_TAG, '');
    // A zone index (fe80::1%eth0) names an interface on the sender's host; it means nothing to anyone else.
    if (!isIPv6(ip) || ip.includes('%'))
      return fail(syntaxError('invalid_address_literal', 'bad IPv6 address'));
    const literal = `[IPv6:${ip.toLowerCase()}]`;
    return { ok: true, domain: literal, domainUnicode: literal, literal: true };
  }
  // Node's isIPv4 refuses leading zeros, which some resolvers read as octal: refusing them avoids ambiguity.
  if (isIPv4(inner)) return { ok: true, domain: text, domainUnicode: text, literal: true };
  if (GENERAL_LITERAL.test(inner)) return fail(syntaxError('unsupported_address_literal'));
  return fail(syntaxError('invalid_address_literal'));
}

/** Checks characters and dot placement of an ASCII (or ASCII-mapped) domain. */
function checkStructure(domain: string, allowNonAscii: boolean): AddressSyntaxError | null {
  for (const character of domain) {
    chargeVisits(1);
    if (isWhitespace(character)) return syntaxError('whitespace', describeCharacter(character));
    if (allowNonAscii && isNonAscii(character)) continue;
    if (!LDH_CHARACTER.test(character))
      return syntaxError('invalid_domain_label', describeCharacter(character));
  }
  if (domain.startsWith('.')) return syntaxError('domain_leading_dot');
  if (domain.endsWith('.')) return syntaxError('domain_trailing_dot');
  chargeVisits(domain.length);
  if (domain.includes('..')) return syntaxError('domain_consecutive_dots');
  return null;
}

function checkLabels(domain: string): AddressSyntaxError | null {
  // The split, then each label's checks (constant per label), then the numeric-TLD pattern over the last label.
  chargeVisits(domain.length * 3);
  const labels = domain.split('.');
  if (labels.length < MIN_LABELS) return syntaxError('single_label_domain', domain);
  for (const label of labels) {
    if (label.length > MAX_LABEL_OCTETS) return syntaxError('label_too_long', `${label.length} octets`);
    if (label.startsWith('-') || label.endsWith('-')) return syntaxError('hyphen_edge', label);
  }
  // RFC 3696 §2: a top-level domain is never all-numeric (and a dotted quad is an IP address, not a name).
  if (ALL_DIGITS.test(labels[labels.length - 1] as string)) return syntaxError('numeric_tld');
  return null;
}

/** IDNA (UTS #46, as in WHATWG URL) to A-labels; ASCII input with `xn--` labels must round-trip. */
function toALabels(domain: string): string | null {
  // Array.from, toLowerCase, split and (at most) IDNA read the domain once each.
  chargeVisits(domain.length * 4);
  const hasNonAscii = Array.from(domain).some(isNonAscii);
  const lower = domain.toLowerCase();
  if (!hasNonAscii && !lower.split('.').some((label) => label.startsWith(A_LABEL_PREFIX))) return lower;
  const ascii = domainToASCII(domain);
  if (ascii === '') return null;
  if (!hasNonAscii && ascii !== lower) return null;
  return ascii;
}

/**
 * Domains parsed well lately (a bulk list names a few hundred domains over thousands of addresses, and IDNA is the
 * costliest step of an address): emptied when full, so memory stays bounded whatever the input. Results are shared
 * and never changed by their readers.
 */
const parsedDomains = new Map<string, DomainResult>();
const PARSED_DOMAINS_MAX = 4096;

/** Parses a non-empty domain (everything after the last `@`). Its total length is checked by the caller. */
export function parseDomain(text: string): DomainResult {
  // The lookup hashes the text: one read.
  chargeVisits(text.length);
  const known = parsedDomains.get(text);
  if (known) return known;
  const parsed = parseDomainOnce(text);
  if (parsed.ok) {
    if (parsedDomains.size >= PARSED_DOMAINS_MAX) parsedDomains.clear();
    parsedDomains.set(text, parsed);
  }
  return parsed;
}

function parseDomainOnce(text: string): DomainResult {
  if (text.startsWith('[')) return parseLiteral(text);

  // Refuse stray ASCII before IDNA sees it: the WHATWG host parser would percent-decode or map it silently.
  const rawError = checkStructure(text, true);
  if (rawError) return fail(rawError);
  // A numeric last label would make the WHATWG host parser read the whole name as an IPv4 address.
  chargeVisits(text.length * 2);
  const rawLabels = text.split('.');
  if (rawLabels.length >= MIN_LABELS && ALL_DIGITS.test(rawLabels[rawLabels.length - 1] as string)) {
    return fail(syntaxError('numeric_tld'));
  }

  const ascii = toALabels(text);
  if (ascii === null) return fail(syntaxError('invalid_idn', text));
  const structureError = checkStructure(ascii, false) ?? checkLabels(ascii);
  if (structureError) return fail(structureError);

  // includes, IDNA back to Unicode and the split read the name once each.
  chargeVisits(ascii.length * 3);
  const unicode = ascii.includes(A_LABEL_PREFIX) ? domainToUnicode(ascii) : ascii;
  if (unicode === '') return fail(syntaxError('invalid_idn', text));
  // RFC 5891 §4.2.3.1: a U-label may not start or end with a hyphen either (-bücher is xn---bcher-4ya).
  const unicodeLabel = unicode.split('.').find((label) => label.startsWith('-') || label.endsWith('-'));
  if (unicodeLabel !== undefined) return fail(syntaxError('hyphen_edge', unicodeLabel));
  return { ok: true, domain: ascii, domainUnicode: unicode, literal: false };
}
