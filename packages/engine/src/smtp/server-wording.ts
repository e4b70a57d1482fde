import { isIPv6 } from 'node:net';

/**
 * What replaces an echo in the text. Not a letter, so no wording pattern can match it, but one token, so
 * patterns such as "doesn't have a … account" still see a word where the echo was.
 */
export const ECHO_PLACEHOLDER = '_';
/**
 * What replaces an echoed host or domain name, IP literal, client tag or URL: not a letter either, and not the
 * address placeholder, so "<address> does not exist" can prove a missing mailbox while "<host> does not exist"
 * (a DNS answer, often about our own domain) cannot.
 */
export const HOST_PLACEHOLDER = '~';
/**
 * What replaces a URL on a DNS blocklist operator's site, or a blocklist's zone named bare. A server chooses the
 * links it sends, and a reply that only points at a blocklist (qmail's rblsmtpd answers with nothing but a Spamhaus
 * URL) is still a refusal of us. Other bare host names are echoes (a recipient domain may be called anything); a zone
 * ("found in dnsbl.sorbs.net", "rejected by bl.spamcop.net") is the server naming the list it looked us up in.
 */
export const BLOCKLIST_PLACEHOLDER = 'dnsbl';
/**
 * What replaces a link to the SPF project's explanation page (policyd-spf's "Please see
 * http://www.openspf.org/Why?s=mfrom…"): the server refused our SPF record, whatever else the reply says.
 */
export const SPF_PLACEHOLDER = 'spf';
const SPF_SITES = ['openspf.org', 'openspf.net', 'open-spf.org'];

// The sites of DNS blocklist and reputation operators: a link to one of them ("http://www.spamhaus.org/query/bl?ip=…")
// names a blocklist. Matched as the link's registered domain, so "spamhaus.example.org" is not one.
const BLOCKLIST_SITES = [
  'spamhaus.org',
  'spamcop.net',
  'sorbs.net',
  'barracudacentral.org',
  'barracudanetworks.com',
  'abuseat.org',
  'uceprotect.net',
  'mailspike.net',
  'spameatingmonkey.com',
  'surbl.org',
  'junkemailfilter.com',
  'senderbase.org',
  'senderscore.org',
  'dronebl.org',
  'psbl.org',
  // Round 9: Commtouch's IP-reputation check page (now Cyren), linked from deferrals of a listed IP.
  'commtouch.com',
  'cyren.com',
  // The FI sweep: zones named bare in refusals ("psbl.surriel.com", "ix.dnsbl.manitu.net", "b.barracudacentral.org").
  'spamhaus.net',
  'surriel.com',
  'manitu.net',
  'spamrats.com',
  'backscatterer.org',
  'blocklist.de',
  'abusix.zone',
  'invaluement.com',
  'lashback.com',
  'nordspam.com',
];
// A zone's own label in a bare host name, before its registered domain: "dnsbl.example.net", "rbl.example.org",
// "dnsbl-1.uceprotect.net", "bl.score.example.com". Not the registered domain itself ("rbl.com" may be anyone's), and
// only where a reply names the list it looked in ("blocked using", "found in", "listed on", "rejected by"): a
// recipient's own subdomain may carry such a label, and an echo never decides.
const BLOCKLIST_LABEL =
  /^(?:[a-z]+-)?(?:dnsbl|rbl|rhsbl|uribl|surbl|bl|sbl|xbl|pbl|cbl|dbl|blacklist|blocklist)(?:-?\d+)?$/i;
const LIST_NAMED_BEFORE = /\b(?:using|in|on|at|by)\s+$/i;

// Order matters: a URL holds hosts, addresses and IPs; an address holds a host; a client tag holds an IP.
// A URL ends before Sendmail's "..." ("http://x.example/help...User unknown" keeps "...User unknown"); ",", ";" and
// ":" are a URL's own characters.
const URL = /\b(?:(?:https?|ftp):\/\/|www\.)(?:(?!\.{3})[^\s<>"'()[\]])+/gi;
const ANGLE_BRACKETS = /<[^<>]*>/g;
// Exactly the address: a dot-atom or quoted local part and a domain of labels (or an address literal). Words
// glued to it by Sendmail's "..." ("user@example.com...User unknown") or by ":", ",", ";", ">", ")", "]" and
// quotes are the server's own and stay.
// CJK punctuation (「」、。and the full-width brackets, comma, colon) ends a local part as ASCII's does: Japanese and
// Chinese replies put no space before an echo, so "アドレス「x@example.jp」は" must not take the words before the bracket
// into the address (round 14 held-out #2687, fml8's pakeo.ne.jp bounce, added after its measurement). For the same
// reason a local part is written in one script: CJK words glued to a Latin address ("收件人user@example.cn不存在") are
// the server's, and a local part wholly in CJK (an internationalised address) is still one echo.
// The lookahead lets a match start only where an "@" follows within a local part's 64 characters (RFC 5321), so a
// long run of letters with no "@" costs a bounded look per character, not a pass to its end per character (a hostile
// server's 2 KB line of letters would otherwise take quadratic time).
// CJK letters (kana, ideographs, hangul) and CJK punctuation (「」、。, full-width brackets, comma, colon, ! and ?).
const CJK_LETTERS = '\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff';
const CJK_PUNCTUATION = '\\u3000-\\u303f\\uff01\\uff08\\uff09\\uff0c\\uff1a\\uff1b\\uff1f';
/** A dot-atom atom of one script: anything but space, ASCII or CJK punctuation, and CJK letters. */
const LATIN_ATOM = `[^\\s<>()[\\]"',;:@.${CJK_PUNCTUATION}${CJK_LETTERS}]+`;
/** A dot-atom atom of CJK letters alone. */
const CJK_ATOM = `[${CJK_LETTERS}]+`;
// A domain label of one script, as a local part is: Latin letters (accents too: "bücher") and digits, another
// alphabet's letters ("пример", "παράδειγμα"), or CJK letters ("例子") — an internationalised domain is echoed as
// its U-labels when the address was sent with SMTPUTF8. One script per label, so CJK words glued after a Latin domain
// ("user@example.cn不存在") stay the server's.
const LATIN_LABEL = '[\\p{Script=Latin}0-9](?:[\\p{Script=Latin}0-9-]{0,61}[\\p{Script=Latin}0-9])?';
const OTHER_ALPHABET =
  '\\p{Script=Cyrillic}\\p{Script=Greek}\\p{Script=Arabic}\\p{Script=Hebrew}\\p{Script=Thai}\\p{Script=Devanagari}';
const OTHER_LABEL = `[${OTHER_ALPHABET}0-9](?:[${OTHER_ALPHABET}0-9-]{0,61}[${OTHER_ALPHABET}0-9])?`;
const CJK_LABEL = `[${CJK_LETTERS}0-9]{1,63}`;
const DOMAIN_LABEL = `(?:${LATIN_LABEL}|${OTHER_LABEL}|${CJK_LABEL})`;
const EMAIL = new RegExp(
  `(?="[^"]{0,64}"@|[^\\s"@]{1,64}@)(?:"[^"]{0,64}"|${LATIN_ATOM}(?:\\.${LATIN_ATOM})*|${CJK_ATOM}(?:\\.${CJK_ATOM})*)@(?:\\[[^\\]\\s]{1,64}\\]|${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*)`,
  'giu',
);
// An address a web page hid behind its e-mail protection (Cloudflare writes "[email protected]" in its place), as replies
// quoted on help pages and forums carry it: an echo like any other (held-out #842, after its measurement).
const WEB_PAGE_EMAIL = /\[email protected\]/gi;
// Postfix's "unknown[192.0.2.1]" / "mx.example.com[192.0.2.1]", Sendmail's "[192.0.2.1]", "[IPv6:2001:db8::1]".
// Both start only where their token starts (the lookbehinds): the same matches, a single pass over a long token.
const CLIENT_TAG = /(?<![\w.-])[\w.-]*\[(?:IPv6:)?[0-9a-f:.]+\]/gi;
const IPV6_CANDIDATE = /(?<![0-9a-f:])[0-9a-f]*:[0-9a-f:]*:[0-9a-f:.]*/gi;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
// Two or more dot-separated labels, the last alphabetic: "mx.example.com", "Yahoo.com", "BN1NAM02FT040.eop-nam02…",
// "mail.bücher.example" (a Latin U-label, whole: not "bü" left before an "cher.example").
const HOST_NAME = new RegExp(
  `(?<![\\p{Script=Latin}0-9_.@-])(?:${LATIN_LABEL}\\.)+[a-z]{2,63}(?![\\w-])`,
  'giu',
);
// A later label written like the start of a sentence ("unknown.Please", "RESOLVER.ADR.RecipientNotFound") is
// the server's own text run together, not a host name.
const SENTENCE_LABEL = /^[A-Z][a-z]/;
/**
 * A missing-mailbox diagnostic written as one token ("nosuchuser", "no_such_user", "user-unknown", "UserNotFound"):
 * the classifier's lexicon reads it, and a dotted name that ends in one ("err.nosuchuser", RFC 3464's sample
 * bounce) is the server's diagnostic, not a host name — no top-level domain is called that.
 */
export const COMPACT_MISSING_MAILBOX =
  /no[_.-]?such[_.-]?(?:user|mailbox|recipient|account|address)|unknown[_.-]?(?:user|recipient|mailbox|account)|user[_.-]?unknown|(?:user|mailbox|recipient|recip|account)[_.-]?not[_.-]?found/i;
const DIAGNOSTIC_LABEL = new RegExp(`^(?:${COMPACT_MISSING_MAILBOX.source})$`, 'i');
// A local part in double quotes, as Postfix's `unknown user: "name"` or qmail's `"name"` echo it.
const QUOTED_LOCAL_PART = /"[^"\s]{1,64}"/g;
// Exim names the local part it could not route: "Unknown local part spam-trap in <spam-trap@example.com>".
const EXIM_LOCAL_PART = /\b(local[- ]part) \S+ (in)\b/gi;

// What glues an echo to the words after it (Sendmail's "x@example.com...User unknown", "mailbox x@example.ch: unknown",
// "<x@example.com>)unknown"): a separator, as a space is, so "mailbox _ unknown" reads the same however the server
// glued it. Commas and semicolons stay: they end a clause. (White space is one space by then: normalised().)
const GLUED_AFTER_ECHO = /(?<=(?<![\w~])[_~])(?:\.{2,}|:|[)\]>"'])+ ?(?=[^\s.:,;)\]>"'])/g;

// Postfix's note after a reply it quotes in a bounce ("… User unknown (in reply to RCPT TO command)"): the quoting
// MTA's words, not the server's. Every reply is read as the answer to RCPT TO already; the word "RCPT" would speak of
// the recipient and let a bare x.1.1 decide beside words about something else. Other stages' notes ("in reply to MAIL
// FROM command") stay: they say the refusal was not about the recipient.
const POSTFIX_RCPT_ANNOTATION = / ?\(in reply to RCPT TO command\)/gi;

/**
 * The server's own words in a reply text: echoed addresses (`<…>` and bare), host and domain names, IPv4 and
 * IPv6 literals, `[…]` client tags and URLs are replaced by a placeholder, so a mailbox or domain named like a
 * refusal word (`blocked`, `spam`, `policy`, `quota` …) never decides a verdict.
 */
export function serverWording(text: string): string {
  return (
    normalised(text)
      .replace(POSTFIX_RCPT_ANNOTATION, '')
      .replace(URL, (url) => {
        const host = hostOfUrl(url);
        if (isBlocklistHost(host)) return BLOCKLIST_PLACEHOLDER;
        return isSiteOf(host, SPF_SITES) ? SPF_PLACEHOLDER : HOST_PLACEHOLDER;
      })
      // "<user@example.com>User unknown": the placeholder is a word character, so a word glued to the bracket keeps
      // its word boundary only with a space between them.
      .replace(ANGLE_BRACKETS, (_echo, offset: number, whole: string) =>
        /[^\W_\d]/.test(whole[offset + _echo.length] ?? '') ? `${ECHO_PLACEHOLDER} ` : ECHO_PLACEHOLDER,
      )
      .replace(EMAIL, ECHO_PLACEHOLDER)
      .replace(WEB_PAGE_EMAIL, ECHO_PLACEHOLDER)
      .replace(CLIENT_TAG, HOST_PLACEHOLDER)
      .replace(IPV6_CANDIDATE, (candidate) => {
        // "2001:db8::1...User unknown": the dots glued after the literal are Sendmail's, not the address's.
        const literal = candidate.replace(/\.+$/, '');
        return isIPv6(literal) ? `${HOST_PLACEHOLDER}${candidate.slice(literal.length)}` : candidate;
      })
      .replace(IPV4, HOST_PLACEHOLDER)
      .replace(HOST_NAME, (host, offset: number, whole: string) => {
        const labels = host.split('.');
        const diagnostic =
          labels.slice(1).some((label) => SENTENCE_LABEL.test(label)) ||
          DIAGNOSTIC_LABEL.test(labels[labels.length - 1] ?? '');
        if (diagnostic) return host;
        const zone =
          isBlocklistHost(host) ||
          (labels.slice(0, -2).some((label) => BLOCKLIST_LABEL.test(label)) &&
            LIST_NAMED_BEFORE.test(whole.slice(Math.max(0, offset - 12), offset)));
        return zone ? BLOCKLIST_PLACEHOLDER : HOST_PLACEHOLDER;
      })
      .replace(QUOTED_LOCAL_PART, ECHO_PLACEHOLDER)
      .replace(EXIM_LOCAL_PART, `$1 ${ECHO_PLACEHOLDER} $2`)
      .replace(GLUED_AFTER_ECHO, ' ')
  );
}

// Replies copied through web pages and bounce handlers carry HTML entities ("&lt;x@example.com&gt;",
// "doesn&#39;t") and typographic quotes ("doesn’t"): read as the characters they stand for.
const NAMED_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};
const ENTITY = /&(?:#(\d{1,6})|#x([0-9a-f]{1,6})|(lt|gt|amp|quot|apos|nbsp));/gi;
const TYPOGRAPHIC = /[\u2018\u2019\u201a\u201b\u2032]|[\u201c\u201d\u201e\u00ab\u00bb]/g;

// Runs of white space — two spaces, a tab, a no-break or ideographic space — are one space: the wording patterns read
// words one space apart, and a server's spacing is no part of its words (the whitespace audit: 290 of 2,297
// development replies changed status with their spaces doubled, tabs or no-break spaces).
const WHITESPACE = /\s+/g;

function normalised(text: string): string {
  // Letters composed of a base and a combining mark ("Empfa\u0308nger", as a decomposing system writes "Empfänger")
  // read as their precomposed form, which the lexicons are written in.
  return text
    .normalize('NFC')
    .replace(
      ENTITY,
      (entity, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
        if (name) return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
        const point = decimal ? Number(decimal) : Number.parseInt(hex ?? '', 16);
        // Control characters stay escaped: an entity must not smuggle a line break into the words.
        return point >= 0x20 && point <= 0x10ffff && point !== 0x7f ? String.fromCodePoint(point) : entity;
      },
    )
    .replace(TYPOGRAPHIC, (quote) => (/[\u2018\u2019\u201a\u201b\u2032]/.test(quote) ? "'" : '"'))
    .replace(WHITESPACE, ' ');
}

function hostOfUrl(url: string): string {
  const withoutScheme = url.replace(/^[a-z]+:\/\//i, '');
  return withoutScheme.split(/[/?#:]/, 1)[0] ?? '';
}

function isBlocklistHost(host: string): boolean {
  return isSiteOf(host, BLOCKLIST_SITES);
}

/** Whether `host` is one of `sites` or a name under one. */
function isSiteOf(host: string, sites: readonly string[]): boolean {
  const name = host.toLowerCase();
  return sites.some((site) => name === site || name.endsWith(`.${site}`));
}
