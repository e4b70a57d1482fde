import { findForbiddenCharacter, octetLength, trimSurroundingWhitespace } from './characters.js';
import { parseDomain } from './domain.js';
import { syntaxError } from './error-codes.js';
import { MAX_ADDRESS_OCTETS, MAX_DOMAIN_OCTETS, MAX_INPUT_LENGTH, MAX_LOCAL_PART_OCTETS } from './limits.js';
import { parseLocalPart } from './local-part.js';
import type { AddressSyntaxError, ParseResult } from './types.js';
import { unwrapAddress } from './unwrap.js';
import { chargeVisits } from './work-meter.js';

function fail(error: AddressSyntaxError): ParseResult {
  return { ok: false, error };
}

/** Strips wrappers and refuses forbidden characters; returns the bare addr-spec to split at its last `@`. */
function bareAddress(
  input: string,
): { ok: true; address: string } | { ok: false; error: AddressSyntaxError } {
  // Trimming never removes a control character, so one at the edges is still reported, never hidden.
  const trimmed = trimSurroundingWhitespace(input);
  const forbidden = findForbiddenCharacter(trimmed);
  if (forbidden) return { ok: false, error: forbidden };
  if (trimmed === '') return { ok: false, error: syntaxError('empty') };
  if (trimmed.length > MAX_INPUT_LENGTH) return { ok: false, error: syntaxError('input_too_long') };
  const unwrapped = unwrapAddress(trimmed);
  if (!unwrapped.ok) return unwrapped;
  // Percent-decoding a mailto: URI can produce anything (%0D%0A…), so look again.
  const decodedForbidden = unwrapped.fromMailto ? findForbiddenCharacter(unwrapped.address) : null;
  if (decodedForbidden) return { ok: false, error: decodedForbidden };
  if (unwrapped.address === '') return { ok: false, error: syntaxError('empty') };
  return { ok: true, address: unwrapped.address };
}

/** Parses one email address (bare, `Name <addr>` or `mailto:`) into its normalised SMTP form, or a precise error. */
export function parseAddress(input: string): ParseResult {
  const bare = bareAddress(input);
  if (!bare.ok) return fail(bare.error);
  const address = bare.address;

  // lastIndexOf and the two slices read the address once each.
  chargeVisits(address.length * 2);
  const at = address.lastIndexOf('@');
  if (at < 0) return fail(syntaxError('missing_at'));
  const localText = address.slice(0, at);
  const domainText = address.slice(at + 1);
  if (localText === '') return fail(syntaxError('missing_local_part'));
  if (domainText === '') return fail(syntaxError('missing_domain'));

  const local = parseLocalPart(localText);
  if (!local.ok) return fail(local.error);
  const localOctets = octetLength(local.localPart);
  if (localOctets > MAX_LOCAL_PART_OCTETS)
    return fail(syntaxError('local_part_too_long', `${localOctets} octets`));

  const domain = parseDomain(domainText);
  if (!domain.ok) return fail(domain.error);
  const domainOctets = octetLength(domain.domain);
  if (domainOctets > MAX_DOMAIN_OCTETS) return fail(syntaxError('domain_too_long', `${domainOctets} octets`));

  const normalized = `${local.localPart}@${domain.domain}`;
  const addressOctets = octetLength(normalized);
  if (addressOctets > MAX_ADDRESS_OCTETS)
    return fail(syntaxError('address_too_long', `${addressOctets} octets`));

  return {
    ok: true,
    address: {
      input,
      localPart: local.localPart,
      domain: domain.domain,
      domainUnicode: domain.domainUnicode,
      normalized,
      quoted: local.quoted,
      needsSmtpUtf8: local.needsSmtpUtf8,
      literal: domain.literal,
    },
  };
}

/** The domain of an input that may not parse as a whole (best effort, for reporting); null if none is usable. */
export function domainHint(input: string): string | null {
  const bare = bareAddress(input);
  if (!bare.ok) return null;
  chargeVisits(bare.address.length * 2);
  const at = bare.address.lastIndexOf('@');
  if (at < 0) return null;
  const domain = parseDomain(bare.address.slice(at + 1));
  if (!domain.ok || octetLength(domain.domain) > MAX_DOMAIN_OCTETS) return null;
  return domain.domain;
}
