/** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets (as sent, quotes and escapes included). */
export const MAX_LOCAL_PART_OCTETS = 64;
/** RFC 1035 §2.3.4 / RFC 5321 §4.5.3.1.2: a domain name is at most 253 octets without the root dot. */
export const MAX_DOMAIN_OCTETS = 253;
/** RFC 1035 §2.3.4: a DNS label is at most 63 octets. */
export const MAX_LABEL_OCTETS = 63;
/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets, so 254 for the address. */
export const MAX_ADDRESS_OCTETS = 254;
/**
 * Inputs longer than this (in UTF-16 code units, after trimming) are refused before any parsing. Generous enough
 * for a display name or a percent-encoded `mailto:` URI around a maximal address; it bounds the work per call.
 */
export const MAX_INPUT_LENGTH = 4096;
