import type { AddressSyntaxError } from './types.js';

/** Every syntax error code `parseAddress` can return, with the human-readable message for each. */
export const ADDRESS_SYNTAX_ERROR_MESSAGES = {
  empty: 'The address is empty.',
  input_too_long: 'The input is far too long to be an email address.',
  control_character: 'The address contains a control character (such as CR, LF, NUL or TAB).',
  invalid_unicode: 'The address contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8.',
  invisible_character: 'The address contains an invisible formatting character (zero-width or bidi control).',
  whitespace: 'The address contains whitespace outside a quoted local part.',
  unbalanced_angle_brackets: 'The "Name <address>" form is malformed: angle brackets do not match.',
  invalid_mailto: 'The mailto: URI is malformed (empty or bad percent-encoding).',
  multiple_addresses: 'The input holds more than one address.',
  missing_at: 'The address has no "@" between local part and domain.',
  missing_local_part: 'The address has nothing before the "@".',
  missing_domain: 'The address has nothing after the "@".',
  multiple_at: 'The local part contains an "@"; it is only allowed inside quotes.',
  local_part_too_long: 'The local part is longer than 64 octets (RFC 5321 §4.5.3.1.1).',
  domain_too_long: 'The domain is longer than 253 octets (RFC 1035 §2.3.4).',
  address_too_long: 'The address is longer than 254 octets (RFC 5321 §4.5.3.1.3).',
  invalid_local_part: 'The local part contains a character that is only allowed inside quotes.',
  unbalanced_quotes: 'The local part has an opening quote without a closing quote.',
  invalid_quoted_string: 'The quoted local part is malformed.',
  leading_dot: 'The local part starts with a dot.',
  trailing_dot: 'The local part ends with a dot.',
  consecutive_dots: 'The local part contains two dots in a row.',
  domain_leading_dot: 'The domain starts with a dot.',
  domain_trailing_dot: 'The domain ends with a dot.',
  domain_consecutive_dots: 'The domain contains two dots in a row (an empty label).',
  invalid_domain_label: 'A domain label contains a character other than letters, digits and hyphens.',
  label_too_long: 'A domain label is longer than 63 octets.',
  hyphen_edge: 'A domain label starts or ends with a hyphen.',
  numeric_tld:
    'The top-level domain is all digits; an IP address must be written as a literal like [192.0.2.1].',
  single_label_domain: 'The domain has a single label (like "localhost"); public mail needs a dotted domain.',
  invalid_idn: 'The internationalised domain name cannot be converted to a valid A-label.',
  invalid_address_literal: 'The address literal is not a valid [IPv4] or [IPv6:…] address.',
  unsupported_address_literal: 'General address literals ([tag:value]) other than IPv6 are not supported.',
} as const;

export type AddressSyntaxErrorCode = keyof typeof ADDRESS_SYNTAX_ERROR_MESSAGES;

/** All syntax error codes, in documentation order. */
export const ADDRESS_SYNTAX_ERROR_CODES = Object.keys(ADDRESS_SYNTAX_ERROR_MESSAGES) as [
  AddressSyntaxErrorCode,
  ...AddressSyntaxErrorCode[],
];

/** Builds an error with the code's standard message, optionally followed by a specific detail. */
export function syntaxError(code: AddressSyntaxErrorCode, detail?: string): AddressSyntaxError {
  const base = ADDRESS_SYNTAX_ERROR_MESSAGES[code];
  return { code, message: detail === undefined ? base : `${base.slice(0, -1)}: ${detail}.` };
}
