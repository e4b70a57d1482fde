/**
 * How candidate addresses are recognised. Structured formats hand whole string values to
 * `candidatesInValue`; free text (plain files, .env values, script string literals) is scanned with
 * `ADDRESS_PATTERN`, which is deliberately stricter so prose and code produce few false positives.
 */

// Local part: common atom characters; inner dots allowed (even doubled, so `a..b@x.com` is found and
// reported as invalid syntax rather than silently skipped). Domain: labels plus an alphabetic or
// punycode TLD. Unicode letters are allowed for internationalised addresses.
const LOCAL = String.raw`[\p{L}\p{N}_%+\-](?:[\p{L}\p{N}._%+\-]*[\p{L}\p{N}_%+\-])?`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?`;
const TLD = String.raw`(?:\p{L}{2,63}|xn--[a-z0-9\-]{1,59})`;
const PATTERN_SOURCE = String.raw`(?<![\p{L}\p{N}._%+\-@])${LOCAL}@(?:${LABEL}\.)+${TLD}(?![\p{L}\p{N}\-@]|\.[\p{L}\p{N}])`;

// Asset names such as `logo@2x.png` match the shape of an address; these suffixes are file
// extensions, not top-level domains anyone mails.
const FILE_EXTENSION_TLDS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'avif',
  'ico',
  'bmp',
  'css',
  'scss',
  'less',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'json',
  'map',
  'wasm',
  'html',
]);

// A value that is "one address" in a structured file: optional `mailto:` or `Name <…>` wrapper
// around something with exactly one unquoted-looking `@` and no spaces. Loose on purpose: whatever
// is wrong with it (double dots, bad labels) is for core's parser to report.
const WHOLE_VALUE = /^(?:mailto:)?[^\s@<>]+@[^\s@<>]+$|^[^<>@]*<[^\s<>@]+@[^\s<>@]+>$/i;

// Keys that name an email field, e.g. `email`, `userEmail`, `e-mail`, `EMAIL_ADDRESS`, `mail` — but
// not fields *about* email (`emailVerified`, `email_subject`), whose values are not addresses.
const EMAIL_KEY = /e-?mail|^mail$/i;
const EMAIL_ATTRIBUTE_KEY =
  /verified|confirmed|enabled|opt|count|subject|template|type|status|sent|body|format/i;

/** A candidate found inside a larger string, at `index` (0-based) within it. */
export interface TextMatch {
  value: string;
  index: number;
}

/** Every address-shaped substring of free text. */
export function findAddressesInText(text: string): TextMatch[] {
  const matches: TextMatch[] = [];
  for (const match of text.matchAll(new RegExp(PATTERN_SOURCE, 'gu'))) {
    const value = match[0];
    const tld = value.slice(value.lastIndexOf('.') + 1).toLowerCase();
    if (FILE_EXTENSION_TLDS.has(tld)) continue;
    matches.push({ value, index: match.index });
  }
  return matches;
}

/** Whether a key names a field that holds an email address. */
export function isEmailKey(key: string | null): boolean {
  return key !== null && EMAIL_KEY.test(key) && !EMAIL_ATTRIBUTE_KEY.test(key);
}

/**
 * The candidates in one string value of a structured file: the whole value when it looks like one
 * address, or sits under an email-ish key (so `"email": "not-an-address"` is reported as invalid);
 * otherwise every address found in it as text.
 */
export function candidatesInValue(value: string, key: string | null): TextMatch[] {
  const trimmed = value.trim();
  if (trimmed === '') return [];
  if (WHOLE_VALUE.test(trimmed) || (isEmailKey(key) && !isList(trimmed))) {
    return [{ value: trimmed, index: value.indexOf(trimmed) }];
  }
  return findAddressesInText(value);
}

// `a@x.com, b@y.com` under an `emails` key holds several addresses, not one malformed one.
function isList(value: string): boolean {
  return /[,;\s]/.test(value) && value.split('@').length > 2;
}
