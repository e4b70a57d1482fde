import type { AddressSyntaxErrorCode } from '../error-codes.js';
import type { ParsedAddress } from '../types.js';

/** One row of the syntax table: an input, the rule it exercises, and what parseAddress must return. */
export interface AddressCase {
  input: string;
  rule: string;
  expected:
    | ({ ok: true; normalized: string } & Partial<Omit<ParsedAddress, 'input' | 'normalized'>>)
    | { ok: false; code: AddressSyntaxErrorCode };
}

const valid = (
  input: string,
  normalized: string,
  rule: string,
  extra: Partial<Omit<ParsedAddress, 'input' | 'normalized'>> = {},
): AddressCase => ({ input, rule, expected: { ok: true, normalized, ...extra } });
const invalid = (input: string, code: AddressSyntaxErrorCode, rule: string): AddressCase => ({
  input,
  rule,
  expected: { ok: false, code },
});

// Rule names used below.
const DOT_ATOM = 'RFC 5322 §3.2.3 dot-atom local part (atext *("." atext))';
const ATEXT = 'RFC 5322 §3.2.3 atext: ALPHA / DIGIT / "!#$%&\'*+-/=?^_`{|}~"';
const QUOTED = 'RFC 5321 §4.1.2 Quoted-string = DQUOTE *QcontentSMTP DQUOTE';
const QUOTED_PAIR = 'RFC 5321 §4.1.2 quoted-pairSMTP = "\\" %d32-126';
const LOCAL_LENGTH = 'RFC 5321 §4.5.3.1.1 local part ≤ 64 octets';
const DOMAIN_LENGTH = 'RFC 1035 §2.3.4 / RFC 5321 §4.5.3.1.2 domain ≤ 253 octets';
const PATH_LENGTH = 'RFC 5321 §4.5.3.1.3 path ≤ 256 octets incl. <> → address ≤ 254';
const LABEL_LENGTH = 'RFC 1035 §2.3.4 label ≤ 63 octets';
const LDH = 'RFC 1035 §2.3.1 / RFC 5321 §4.1.2 sub-domain = Let-dig [Ldh-str]';
const HYPHEN = 'RFC 5321 §4.1.2 Ldh-str ends in Let-dig; RFC 952/1123 no leading hyphen';
const DOTTED_DOMAIN = 'RFC 5321 §4.1.2 Domain = sub-domain *("." sub-domain); no empty labels';
const SINGLE_LABEL = 'RFC 7085 / ICANN SSAC 053: dotless domains do not receive public mail (Mailprobe decision)';
const NUMERIC_TLD = 'RFC 3696 §2: top-level domains are not all-numeric';
const IDNA = 'RFC 5890/5891 IDNA: U-labels → A-labels (UTS #46 mapping as in WHATWG URL)';
const SMTPUTF8 = 'RFC 6531 §3.3 UTF8-non-ascii allowed in local parts with SMTPUTF8';
const LITERAL_V4 = 'RFC 5321 §4.1.3 IPv4-address-literal = Snum 3("." Snum)';
const LITERAL_V6 = 'RFC 5321 §4.1.3 IPv6-address-literal = "IPv6:" IPv6-addr';
const LITERAL_GENERAL = 'RFC 5321 §4.1.3 General-address-literal (refused: no use for mailbox probing)';
const SMTP_LINE = 'RFC 5321 §2.3.8 / §4.1.1: CR, LF and other controls never appear inside a command';
const NO_FWS = 'RFC 5321 §4.1.2 Mailbox has no CFWS: whitespace only inside a Quoted-string';
const ANGLE = 'RFC 5322 §3.4 name-addr = [display-name] angle-addr';
const MAILTO = 'RFC 6068 mailto: URI: to = addr-spec, percent-encoded; hfields after "?" dropped';
const AT_SIGN = 'RFC 5321 §4.1.2 Mailbox = Local-part "@" ( Domain / address-literal )';
const NORMALISE = 'RFC 5321 §2.4 domains are case-insensitive; local parts are case-sensitive';
const INVISIBLE = 'Unicode Cf (format) characters are invisible: refused to prevent look-alike addresses';
const UTF8 = 'RFC 3629: UTF-8 cannot encode unpaired surrogates';

const sixtyFour = 'a'.repeat(64);
const label63 = 'b'.repeat(63);
// 63 + 1 + 63 + 1 + 63 + 1 + 56 + 4 (".com") = 252 octets, and so on
const domain252 = `${label63}.${label63}.${label63}.${'c'.repeat(56)}.com`;
const domain253 = `${label63}.${label63}.${label63}.${'c'.repeat(57)}.com`;
const domain254 = `${label63}.${label63}.${label63}.${'c'.repeat(58)}.com`;

export const ADDRESS_CASES: AddressCase[] = [
  // ── Plain dot-atom addresses ──────────────────────────────────────────────
  valid('user@example.com', 'user@example.com', DOT_ATOM),
  valid('first.last@example.com', 'first.last@example.com', DOT_ATOM),
  valid('a.b.c.d@example.com', 'a.b.c.d@example.com', DOT_ATOM),
  valid('x@example.com', 'x@example.com', DOT_ATOM),
  valid('1234567890@example.com', '1234567890@example.com', ATEXT),
  valid('user+tag@example.com', 'user+tag@example.com', ATEXT),
  valid('user-name@example.com', 'user-name@example.com', ATEXT),
  valid('user_name@example.com', 'user_name@example.com', ATEXT),
  valid("o'brien@example.com", "o'brien@example.com", ATEXT),
  valid('!#$%&*+-/=?^_`{|}~@example.com', '!#$%&*+-/=?^_`{|}~@example.com', ATEXT),
  valid("'@example.com", "'@example.com", ATEXT),
  valid('-@example.com', '-@example.com', ATEXT),
  valid('=?utf-8?q?x?=@example.com', '=?utf-8?q?x?=@example.com', ATEXT),
  valid('{curly}@example.com', '{curly}@example.com', ATEXT),
  valid('a/b@example.com', 'a/b@example.com', ATEXT),
  valid('a%b@example.com', 'a%b@example.com', ATEXT),
  valid('user.+tag@example.com', 'user.+tag@example.com', DOT_ATOM),
  valid('_@example.com', '_@example.com', ATEXT),

  // ── Case and trimming ─────────────────────────────────────────────────────
  valid('John.Doe@Example.COM', 'John.Doe@example.com', NORMALISE, { localPart: 'John.Doe', domain: 'example.com' }),
  valid('USER@EXAMPLE.COM', 'USER@example.com', NORMALISE),
  valid('MixedCase@Sub.Example.Org', 'MixedCase@sub.example.org', NORMALISE),
  valid('  user@example.com  ', 'user@example.com', 'Normalisation: surrounding spaces trimmed'),
  valid('\u00a0user@example.com\u00a0', 'user@example.com', 'Normalisation: surrounding no-break spaces trimmed'),
  valid('\u3000user@example.com', 'user@example.com', 'Normalisation: surrounding ideographic space trimmed'),
  valid('\ufeffuser@example.com', 'user@example.com', 'Normalisation: a leading byte-order mark is trimmed'),

  // ── Dot placement in the local part ───────────────────────────────────────
  invalid('.user@example.com', 'leading_dot', DOT_ATOM),
  invalid('user.@example.com', 'trailing_dot', DOT_ATOM),
  invalid('us..er@example.com', 'consecutive_dots', DOT_ATOM),
  invalid('.@example.com', 'leading_dot', DOT_ATOM),
  invalid('..@example.com', 'leading_dot', DOT_ATOM),
  invalid('a...b@example.com', 'consecutive_dots', DOT_ATOM),

  // ── Characters not allowed in a dot-atom ──────────────────────────────────
  invalid('a,b@example.com', 'invalid_local_part', ATEXT),
  invalid('a;b@example.com', 'invalid_local_part', ATEXT),
  invalid('a:b@example.com', 'invalid_local_part', ATEXT),
  invalid('a(b)@example.com', 'invalid_local_part', 'RFC 5321 has no comments (CFWS) in a Mailbox'),
  invalid('(comment)user@example.com', 'invalid_local_part', 'RFC 5321 has no comments (CFWS) in a Mailbox'),
  invalid('a[b]@example.com', 'invalid_local_part', ATEXT),
  invalid('a\\b@example.com', 'invalid_local_part', 'RFC 5321 §4.1.2: backslash only inside a Quoted-string'),
  invalid('a<b@example.com', 'unbalanced_angle_brackets', `${ATEXT}; an unquoted "<" opens an angle-addr`),
  invalid('a]b@example.com', 'invalid_local_part', ATEXT),
  invalid('a>b@example.com', 'invalid_local_part', ATEXT),
  invalid('user@@example.com', 'multiple_at', AT_SIGN),
  invalid('a@b@example.com', 'multiple_at', AT_SIGN),
  invalid('a"b@example.com', 'unbalanced_quotes', QUOTED),
  invalid('a"b"c@example.com', 'invalid_quoted_string', 'RFC 5322 §4.4 obs-local-part (mixed quoted/atom) is obsolete'),
  invalid('"a".b@example.com', 'invalid_quoted_string', 'RFC 5322 §4.4 obs-local-part (mixed quoted/atom) is obsolete'),
  invalid('a."b"@example.com', 'invalid_quoted_string', 'RFC 5322 §4.4 obs-local-part (mixed quoted/atom) is obsolete'),

  // ── Quoted local parts ────────────────────────────────────────────────────
  valid('"john"@example.com', '"john"@example.com', QUOTED, { quoted: true, localPart: '"john"' }),
  valid('"john doe"@example.com', '"john doe"@example.com', QUOTED, { quoted: true }),
  valid('"john..doe"@example.com', '"john..doe"@example.com', QUOTED, { quoted: true }),
  valid('".john"@example.com', '".john"@example.com', QUOTED, { quoted: true }),
  valid('"john."@example.com', '"john."@example.com', QUOTED, { quoted: true }),
  valid('"a@b"@example.com', '"a@b"@example.com', QUOTED, { quoted: true, localPart: '"a@b"' }),
  valid('"a,b;c:d"@example.com', '"a,b;c:d"@example.com', QUOTED, { quoted: true }),
  valid('"(comment)"@example.com', '"(comment)"@example.com', QUOTED, { quoted: true }),
  valid('"<tag>"@example.com', '"<tag>"@example.com', QUOTED, { quoted: true }),
  valid('"[x]"@example.com', '"[x]"@example.com', QUOTED, { quoted: true }),
  valid('""@example.com', '""@example.com', `${QUOTED} (zero QcontentSMTP allowed)`, { quoted: true }),
  valid('" "@example.com', '" "@example.com', `${QUOTED}: qtextSMTP includes %d32 (space)`, { quoted: true }),
  valid('"a\\"b"@example.com', '"a\\"b"@example.com', QUOTED_PAIR, { quoted: true }),
  valid('"a\\\\b"@example.com', '"a\\\\b"@example.com', QUOTED_PAIR, { quoted: true }),
  valid('"\\a"@example.com', '"\\a"@example.com', QUOTED_PAIR, { quoted: true }),
  valid('"Upper Case"@Example.com', '"Upper Case"@example.com', NORMALISE, { quoted: true }),
  valid('"jöhn"@example.com', '"jöhn"@example.com', `${SMTPUTF8} (also in qtextSMTP)`, {
    quoted: true,
    needsSmtpUtf8: true,
  }),
  invalid('"john@example.com', 'unbalanced_quotes', QUOTED),
  invalid('john"@example.com', 'unbalanced_quotes', QUOTED),
  invalid('"@example.com', 'unbalanced_quotes', QUOTED),
  invalid('"a\\"@example.com', 'unbalanced_quotes', `${QUOTED_PAIR}: the closing quote is escaped`),
  invalid('"a"b"@example.com', 'invalid_quoted_string', QUOTED),
  invalid('"a""b"@example.com', 'invalid_quoted_string', QUOTED),
  invalid('"a\\é"@example.com', 'invalid_quoted_string', `${QUOTED_PAIR}: only printable ASCII may be escaped`),
  invalid('"a\tb"@example.com', 'control_character', `${QUOTED}: qtextSMTP excludes HTAB`),
  invalid('"a\rb"@example.com', 'control_character', SMTP_LINE),
  invalid('"a\nb"@example.com', 'control_character', SMTP_LINE),
  invalid('"a\u0000b"@example.com', 'control_character', SMTP_LINE),
  invalid('"a\\\r"@example.com', 'control_character', `${QUOTED_PAIR}: no escaped controls`),
  invalid('"a\u00a0b"@example.com', 'whitespace', `${QUOTED}: only %d32 is allowed as white space`),
  invalid('"a\u2028b"@example.com', 'whitespace', `${QUOTED}: a line separator is not qtextSMTP`),

  // ── UTF-8 local parts (SMTPUTF8) ──────────────────────────────────────────
  valid('jöhn@example.com', 'jöhn@example.com', SMTPUTF8, { needsSmtpUtf8: true }),
  valid('用户@example.com', '用户@example.com', SMTPUTF8, { needsSmtpUtf8: true }),
  valid('Pelé@example.com', 'Pelé@example.com', SMTPUTF8, { needsSmtpUtf8: true, localPart: 'Pelé' }),
  valid('δοκιμή@παράδειγμα.δοκιμή', 'δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp', `${SMTPUTF8}; ${IDNA}`, {
    needsSmtpUtf8: true,
    domainUnicode: 'παράδειγμα.δοκιμή',
  }),
  valid('я@пример.рф', 'я@xn--e1afmkfd.xn--p1ai', `${SMTPUTF8}; ${IDNA}`, { needsSmtpUtf8: true }),
  valid('😀@example.com', '😀@example.com', `${SMTPUTF8} (astral code point)`, { needsSmtpUtf8: true }),
  valid('user@example.com', 'user@example.com', 'ASCII local part needs no SMTPUTF8', { needsSmtpUtf8: false }),
  invalid('jö hn@example.com', 'whitespace', NO_FWS),
  invalid(`${'ö'.repeat(33)}@example.com`, 'local_part_too_long', `${LOCAL_LENGTH} (33 × 2-octet ö = 66)`),
  valid(`${'ö'.repeat(32)}@example.com`, `${'ö'.repeat(32)}@example.com`, `${LOCAL_LENGTH} (32 × 2 = 64)`, {
    needsSmtpUtf8: true,
  }),
  invalid('a\u0085b@example.com', 'control_character', `${SMTP_LINE} (C1 NEL)`),
  invalid('a\u009bb@example.com', 'control_character', `${SMTP_LINE} (C1 CSI)`),

  // ── Length limits ─────────────────────────────────────────────────────────
  valid(`${sixtyFour}@example.com`, `${sixtyFour}@example.com`, LOCAL_LENGTH),
  invalid(`${sixtyFour}a@example.com`, 'local_part_too_long', LOCAL_LENGTH),
  valid(`"${'q'.repeat(62)}"@example.com`, `"${'q'.repeat(62)}"@example.com`, `${LOCAL_LENGTH} (quotes count)`, {
    quoted: true,
  }),
  invalid(`"${'q'.repeat(63)}"@example.com`, 'local_part_too_long', `${LOCAL_LENGTH} (quotes count)`),
  valid(`a@${label63}.com`, `a@${label63}.com`, LABEL_LENGTH),
  invalid(`a@${label63}b.com`, 'label_too_long', LABEL_LENGTH),
  invalid(`a@example.${'c'.repeat(64)}`, 'label_too_long', LABEL_LENGTH),
  valid(`a@${domain252}`, `a@${domain252}`, `${DOMAIN_LENGTH} and ${PATH_LENGTH} (1 + 1 + 252 = 254)`),
  invalid(`a@${domain253}`, 'address_too_long', `${PATH_LENGTH}: a 253-octet domain leaves no room (255)`),
  invalid(`a@${domain254}`, 'domain_too_long', DOMAIN_LENGTH),
  invalid(`${'a'.repeat(10)}@${domain252}`, 'address_too_long', PATH_LENGTH),
  valid(
    `${'a'.repeat(64)}@${label63}.${label63}.${'c'.repeat(57)}.com`,
    `${'a'.repeat(64)}@${label63}.${label63}.${'c'.repeat(57)}.com`,
    `${PATH_LENGTH} (64 + 1 + 189 = 254)`,
  ),
  invalid(
    `${'a'.repeat(64)}@${label63}.${label63}.${'c'.repeat(58)}.com`,
    'address_too_long',
    `${PATH_LENGTH} (64 + 1 + 190 = 255)`,
  ),
  invalid(`user@${'日'.repeat(80)}.jp`, 'label_too_long', `${LABEL_LENGTH} (counted on the A-label)`),
  invalid(`${'x'.repeat(5000)}@example.com`, 'input_too_long', 'Mailprobe bound: inputs over 4096 characters'),

  // ── The "@" ───────────────────────────────────────────────────────────────
  invalid('userexample.com', 'missing_at', AT_SIGN),
  invalid('user', 'missing_at', AT_SIGN),
  invalid('@example.com', 'missing_local_part', AT_SIGN),
  invalid('user@', 'missing_domain', AT_SIGN),
  invalid('@', 'missing_local_part', AT_SIGN),
  invalid('', 'empty', AT_SIGN),
  invalid('   ', 'empty', AT_SIGN),

  // ── Domains ───────────────────────────────────────────────────────────────
  valid('user@sub.example.com', 'user@sub.example.com', DOTTED_DOMAIN),
  valid('user@a.b.c.d.e.example.com', 'user@a.b.c.d.e.example.com', DOTTED_DOMAIN),
  valid('user@x.io', 'user@x.io', DOTTED_DOMAIN),
  valid('user@example-site.com', 'user@example-site.com', LDH),
  valid('user@3com.com', 'user@3com.com', 'RFC 1123 §2.1: labels may start with a digit'),
  valid('user@123.example.com', 'user@123.example.com', 'RFC 1123 §2.1: all-digit labels below the TLD'),
  valid('user@a--b.com', 'user@a--b.com', LDH),
  valid('user@example.museum', 'user@example.museum', DOTTED_DOMAIN),
  valid('user@example.co.uk', 'user@example.co.uk', DOTTED_DOMAIN),
  invalid('user@localhost', 'single_label_domain', SINGLE_LABEL),
  invalid('user@com', 'single_label_domain', SINGLE_LABEL),
  invalid('user@123', 'single_label_domain', SINGLE_LABEL),
  invalid('user@.example.com', 'domain_leading_dot', DOTTED_DOMAIN),
  invalid('user@example.com.', 'domain_trailing_dot', `${DOTTED_DOMAIN} (no root dot in SMTP)`),
  invalid('user@example..com', 'domain_consecutive_dots', DOTTED_DOMAIN),
  invalid('user@-example.com', 'hyphen_edge', HYPHEN),
  invalid('user@example-.com', 'hyphen_edge', HYPHEN),
  invalid('user@example.-com', 'hyphen_edge', HYPHEN),
  invalid('user@example.com-', 'hyphen_edge', HYPHEN),
  invalid('user@exa_mple.com', 'invalid_domain_label', LDH),
  invalid('user@exa!mple.com', 'invalid_domain_label', LDH),
  invalid('user@exa%41mple.com', 'invalid_domain_label', `${LDH} (no percent-decoding of hosts)`),
  invalid('user@example.com:25', 'invalid_domain_label', LDH),
  invalid('user@example.com/path', 'invalid_domain_label', LDH),
  invalid('user@exa"mple.com', 'invalid_domain_label', LDH),
  invalid('user@192.0.2.1', 'numeric_tld', NUMERIC_TLD),
  invalid('user@example.123', 'numeric_tld', NUMERIC_TLD),
  invalid('user@exa mple.com', 'whitespace', NO_FWS),
  invalid('user@example.com extra', 'whitespace', NO_FWS),

  // ── Internationalised domains ─────────────────────────────────────────────
  valid('user@bücher.de', 'user@xn--bcher-kva.de', IDNA, { domain: 'xn--bcher-kva.de', domainUnicode: 'bücher.de' }),
  valid('user@BÜCHER.DE', 'user@xn--bcher-kva.de', `${IDNA} (case folded)`, { domainUnicode: 'bücher.de' }),
  valid('user@xn--bcher-kva.de', 'user@xn--bcher-kva.de', `${IDNA} (A-label given)`, { domainUnicode: 'bücher.de' }),
  valid('user@XN--BCHER-KVA.DE', 'user@xn--bcher-kva.de', `${IDNA} (A-label case-insensitive)`),
  valid('user@例え.jp', 'user@xn--r8jz45g.jp', IDNA, { domainUnicode: '例え.jp' }),
  valid('user@例え。jp', 'user@xn--r8jz45g.jp', `${IDNA} (U+3002 is a label separator)`),
  valid('user@ｅｘａｍｐｌｅ.com', 'user@example.com', `${IDNA} (full-width letters mapped)`),
  valid('user@faß.de', 'user@xn--fa-hia.de', `${IDNA} (IDNA2008: ß kept, non-transitional)`),
  valid('user@münchen.example', 'user@xn--mnchen-3ya.example', IDNA),
  valid('user@пример.испытание', 'user@xn--e1afmkfd.xn--80akhbyknj4f', IDNA, {
    domainUnicode: 'пример.испытание',
  }),
  valid('user@example.xn--p1ai', 'user@example.xn--p1ai', `${IDNA} (IDN TLD)`, { domainUnicode: 'example.рф' }),
  invalid('user@xn--zz.com', 'invalid_idn', `${IDNA}: A-label must decode`),
  invalid('user@xn--.com', 'invalid_idn', `${IDNA}: A-label must decode`),
  invalid('user@bü_cher.de', 'invalid_domain_label', LDH),
  invalid('user@ex\u00adample.com', 'invisible_character', INVISIBLE),
  invalid('user@exa\u200bmple.com', 'invisible_character', INVISIBLE),
  invalid('user@a\u200db.com', 'invisible_character', INVISIBLE),
  invalid('user@bücher', 'single_label_domain', SINGLE_LABEL),
  invalid('user@-bücher.de', 'hyphen_edge', `${HYPHEN}; RFC 5891 §4.2.3.1 (U-label)`),
  invalid('user@xn---bcher-4ya.de', 'hyphen_edge', `${HYPHEN}; RFC 5891 §4.2.3.1 (A-label of -bücher)`),

  // ── Address literals ──────────────────────────────────────────────────────
  valid('user@[192.0.2.1]', 'user@[192.0.2.1]', LITERAL_V4, { literal: true, domain: '[192.0.2.1]' }),
  valid('user@[255.255.255.255]', 'user@[255.255.255.255]', LITERAL_V4, { literal: true }),
  valid('user@[IPv6:2001:db8::1]', 'user@[IPv6:2001:db8::1]', LITERAL_V6, { literal: true }),
  valid('user@[ipv6:2001:DB8::1]', 'user@[IPv6:2001:db8::1]', `${LITERAL_V6} (tag and hex case normalised)`, {
    literal: true,
  }),
  valid('user@[IPv6:::1]', 'user@[IPv6:::1]', LITERAL_V6, { literal: true }),
  valid('user@[IPv6:::ffff:192.0.2.1]', 'user@[IPv6:::ffff:192.0.2.1]', `${LITERAL_V6} (IPv6v4-full)`, {
    literal: true,
  }),
  invalid('user@[256.0.0.1]', 'invalid_address_literal', LITERAL_V4),
  invalid('user@[192.0.2]', 'invalid_address_literal', LITERAL_V4),
  invalid('user@[192.0.2.01]', 'invalid_address_literal', `${LITERAL_V4} (leading zeros refused: octal ambiguity)`),
  invalid('user@[192.0.2.1', 'invalid_address_literal', LITERAL_V4),
  invalid('user@[]', 'invalid_address_literal', LITERAL_V4),
  invalid('user@[2001:db8::1]', 'unsupported_address_literal', `${LITERAL_V6}: the "IPv6:" tag is required`),
  invalid('user@[IPv6:2001:db8::g]', 'invalid_address_literal', LITERAL_V6),
  invalid('user@[IPv6:fe80::1%eth0]', 'invalid_address_literal', `${LITERAL_V6} (no zone index)`),
  invalid('user@[x400:c=us]', 'unsupported_address_literal', LITERAL_GENERAL),
  invalid('user@[example.com]', 'invalid_address_literal', LITERAL_V4),
  invalid('user@192.0.2.1]', 'invalid_domain_label', LDH),

  // ── Control characters, whitespace, invisible characters ──────────────────
  invalid('user@example.com\r\nRCPT TO:<x@evil.com>', 'control_character', SMTP_LINE),
  invalid('user@example.com\n', 'control_character', `${SMTP_LINE} (even at the edges)`),
  invalid('\r\nuser@example.com', 'control_character', `${SMTP_LINE} (even at the edges)`),
  invalid('user@example.com\r', 'control_character', SMTP_LINE),
  invalid('\tuser@example.com', 'control_character', SMTP_LINE),
  invalid('us\u0000er@example.com', 'control_character', SMTP_LINE),
  invalid('user@exam\u0000ple.com', 'control_character', SMTP_LINE),
  invalid('user\u007f@example.com', 'control_character', `${SMTP_LINE} (DEL)`),
  invalid('user\u001b@example.com', 'control_character', `${SMTP_LINE} (ESC)`),
  invalid('user\u000b@example.com', 'control_character', `${SMTP_LINE} (VT)`),
  invalid('user\u000c@example.com', 'control_character', `${SMTP_LINE} (FF)`),
  invalid('user name@example.com', 'whitespace', NO_FWS),
  invalid('user @example.com', 'whitespace', NO_FWS),
  invalid('user@ example.com', 'whitespace', NO_FWS),
  invalid('user\u00a0name@example.com', 'whitespace', `${NO_FWS} (no-break space)`),
  invalid('user\u2028@example.com', 'whitespace', `${NO_FWS} (line separator)`),
  invalid('user\u202e@example.com', 'invisible_character', `${INVISIBLE} (right-to-left override)`),
  invalid('\u200buser@example.com', 'invisible_character', INVISIBLE),
  invalid('user\ud800@example.com', 'invalid_unicode', UTF8),
  invalid('user@example.com\udc00', 'invalid_unicode', UTF8),

  // ── Display-name form ─────────────────────────────────────────────────────
  valid('John Doe <john@example.com>', 'john@example.com', ANGLE),
  valid('<john@example.com>', 'john@example.com', ANGLE),
  valid('"Doe, John" <john@example.com>', 'john@example.com', `${ANGLE} (quoted display-name)`),
  valid('"A <b@c.d>" <john@example.com>', 'john@example.com', `${ANGLE} (angle brackets in quoted name)`),
  valid('John <"j d"@example.com>', '"j d"@example.com', `${ANGLE} with ${QUOTED}`, { quoted: true }),
  valid('John < john@example.com >', 'john@example.com', `${ANGLE} (CFWS around addr-spec)`),
  valid('Jöhn Dœ <John@Example.com>', 'John@example.com', `${ANGLE} (UTF-8 display-name)`),
  invalid('John <john@example.com', 'unbalanced_angle_brackets', ANGLE),
  invalid('john@example.com>', 'unbalanced_angle_brackets', ANGLE),
  invalid('John <john@example.com> extra', 'unbalanced_angle_brackets', ANGLE),
  invalid('John <<john@example.com>>', 'unbalanced_angle_brackets', ANGLE),
  invalid('John <>', 'empty', ANGLE),
  invalid('John <john doe@example.com>', 'whitespace', `${ANGLE}; ${NO_FWS}`),
  invalid('John\r\n <john@example.com>', 'control_character', SMTP_LINE),

  // ── mailto: URIs ──────────────────────────────────────────────────────────
  valid('mailto:user@example.com', 'user@example.com', MAILTO),
  valid('MAILTO:User@Example.com', 'User@example.com', `${MAILTO} (scheme is case-insensitive)`),
  valid('mailto:user@example.com?subject=Hello&body=Hi', 'user@example.com', MAILTO),
  valid('mailto:user%2Btag@example.com', 'user+tag@example.com', `${MAILTO} (percent-decoding)`),
  valid('mailto:%22john%20doe%22@example.com', '"john doe"@example.com', `${MAILTO} (encoded quoted-string)`, {
    quoted: true,
  }),
  valid('mailto:j%C3%B6hn@example.com', 'jöhn@example.com', `${MAILTO} (UTF-8 percent-encoding)`, {
    needsSmtpUtf8: true,
  }),
  valid('mailto:user@b%C3%BCcher.de', 'user@xn--bcher-kva.de', `${MAILTO}; ${IDNA}`),
  valid('<mailto:user@example.com>', 'user@example.com', `${MAILTO} in an angle-addr (List-Unsubscribe style)`),
  valid('mailto:user@example.com#fragment', 'user@example.com', MAILTO),
  invalid('mailto:', 'invalid_mailto', MAILTO),
  invalid('mailto:?subject=x', 'invalid_mailto', MAILTO),
  invalid('mailto:user%ZZ@example.com', 'invalid_mailto', `${MAILTO} (bad percent-encoding)`),
  invalid('mailto:user%C3@example.com', 'invalid_mailto', `${MAILTO} (truncated UTF-8)`),
  invalid('mailto:user%0D%0A@example.com', 'control_character', `${MAILTO}; ${SMTP_LINE}`),
  invalid('mailto:user@example.com%0ARCPT', 'control_character', `${MAILTO}; ${SMTP_LINE}`),
  invalid('mailto:user%00@example.com', 'control_character', `${MAILTO}; ${SMTP_LINE}`),
  invalid('mailto:a@example.com,b@example.org', 'multiple_addresses', `${MAILTO} (to = addr-spec *("," addr-spec))`),
  invalid('mailto:user%20name@example.com', 'whitespace', `${MAILTO}; ${NO_FWS}`),

  // ── Several addresses ─────────────────────────────────────────────────────
  invalid('a@example.com, b@example.org', 'multiple_addresses', 'RFC 5322 §3.4 address-list is not one Mailbox'),
  invalid('a@example.com;b@example.org', 'multiple_addresses', 'One Mailbox per input'),
  valid('"a,b@c"@example.com', '"a,b@c"@example.com', `${QUOTED}: a quoted comma and "@" separate nothing`, {
    quoted: true,
  }),
];
