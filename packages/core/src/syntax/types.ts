import type { AddressSyntaxErrorCode } from './error-codes.js';

/** A syntactically valid address, normalised for use in an SMTP command. */
export interface ParsedAddress {
  /** The input exactly as given. */
  input: string;
  /** Local part with its case kept; a quoted local part keeps its quotes and escapes, as it must be sent. */
  localPart: string;
  /** Lower-case A-label (punycode) domain without a trailing dot; for an address literal, the literal text. */
  domain: string;
  /** The domain in U-label form, for display. */
  domainUnicode: string;
  /** `${localPart}@${domain}` — exactly what goes between the angle brackets of `RCPT TO:<…>`. */
  normalized: string;
  /** The local part is a quoted-string (RFC 5321 §4.1.2). */
  quoted: boolean;
  /** The local part contains non-ASCII characters, so the server must offer SMTPUTF8 (RFC 6531). */
  needsSmtpUtf8: boolean;
  /** The domain is an address literal such as `[192.0.2.1]` or `[IPv6:2001:db8::1]`. */
  literal: boolean;
}

/** Why an input is not a usable address: a stable `code` and a human-readable `message`. */
export interface AddressSyntaxError {
  code: AddressSyntaxErrorCode;
  message: string;
}

export type ParseResult = { ok: true; address: ParsedAddress } | { ok: false; error: AddressSyntaxError };
