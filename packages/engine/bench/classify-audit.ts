// The classifier's generalisation audits of issue #19, as figures (asserts nothing; the cases that matter are tests in
// src/smtp/classify-audit.test.ts). Each audit feeds the classifier replies built from the corpus's development rows or
// from the lexicons' own vocabulary, never from held-out rows:
//   code swap     every UNKNOWN development reply sent again under `550 5.1.1`: how many become INVALID
//   grammar       recipient nouns × their states × eight framings: how many are not INVALID
//   about us      the same states of our own account, address or the sender: how many are INVALID
//   trailers      every INVALID development reply with a common trailer or prefix added: how many lose their proof;
//                 every UNKNOWN one: how many gain one
//   owners        a key, certificate, home directory, file, quota … of or for the recipient, not found: how many are
//                 INVALID
//   invariance    every development reply in capitals, in lower case, split over two or three continuation lines,
//                 with its spaces doubled, tabs or no-break spaces, and its sentences run together: how many change
//                 status
//   echo swap     every development reply that echoes an address, with the address replaced by ten others (refusal
//                 words, accents, U-labels, CJK, Cyrillic): how many change status
//   glue          every development reply whose echo is followed by a space, glued to the next word instead by
//                 Sendmail's "...", a colon or (after a bracket) nothing: how many change status
//   disjunction   every INVALID development reply with another cause offered beside it ("or the server is busy",
//                 "(or a temporary problem)", "- may be a policy rejection"): how many stay INVALID
//   ours beside   every INVALID development reply with a sentence naming a cause of ours (our IP, the sender, our
//                 authentication, relaying, our connections) or a try-later after it: how many stay INVALID
//   code independence  every development reply whose words alone are proof, sent again under twelve other codes
//                 (553 5.3.0, 557, 501 5.1.3, 550 5.7.1, bare 550 or 554 …): how many lose their proof
//   flattened     every development reply wrapped over two or three lines and flattened into one line as a bounce or
//                 a log quotes it ("… doesn't have 554-5.1.1 a yahoo.com account …", or the enhanced code alone at
//                 each line's start): how many change status
//   tags          every development reply (read as labelled) with a server's id, reference or host name before its words
//                 or after them ("[CS01] …", "… [0]", "… code: 12"): how many change status
//   noun swap     every development reply with its first recipient noun (user, recipient, mailbox, account, addressee)
//                 written as each of the others: how many INVALID ones lose their proof, how many UNKNOWN ones gain one
//   quoted        every development reply (read as labelled) with its words in double or single quotes, in brackets,
//                 or with a stop or "!" after them: how many change status
//   masked        every development reply (read as labelled) that echoes an address, with the address masked as pages
//                 and samples mask it (a placeholder, a template field, stars): how many change status
//   relative clause  every development reply (read as labelled) with a clause about the sender's attempt after its first
//                 recipient noun ("The user you are trying to reach …", "… account that you tried to reach …", "… address
//                 you entered …"): how many change status
//   typos         every development reply (read as labelled) with one of its words of evidence (unknown, recipient,
//                 mailbox, address, account, nonexistent, disabled …) misspelt as people misspell (a letter dropped,
//                 doubled, swapped with the next or put in twice): how many INVALID ones lose their proof, how many
//                 UNKNOWN ones gain one
//   bounce frames every development refusal quoted as bounces quote it (Postfix's "host … said: … (in reply to RCPT TO
//                 command)", Exim's "SMTP error from remote mail server after RCPT TO:<…>:", Exchange's "Remote Server
//                 returned '…'", a DSN's "smtp; …"): how many change status
// Run: pnpm --filter @mailprobe/engine bench:audit
import { readFileSync } from 'node:fs';
import { classifyReply } from '../src/smtp/classify.js';
import { parseQuotedReply } from '../src/smtp/quoted-reply.js';
import { parseReply } from '../src/smtp/reply-parser.js';
import type { SmtpReply } from '../src/smtp/types.js';

interface Row {
  id: number;
  split: 'dev' | 'heldout';
  reply: string;
  status: string;
}

const rows: Row[] = readFileSync(new URL('../corpus/replies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Row);
const development = rows.filter((row) => row.split === 'dev');
const statusOf = (line: string) => classifyReply('rcpt', parseReply(`${line}\r\n`)).status;
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** The reply's code and enhanced code, as the reply line starts. */
const headOf = (reply: SmtpReply) => `${reply.code}${reply.enhancedCode ? ` ${reply.enhancedCode}` : ''}`;

/**
 * How many of the variants `variantsOf` makes of each development reply read another status than the reply itself:
 * [changed, total]. With `asLabelled`, only the replies the classifier reads as labelled.
 */
function statusChanges(
  variantsOf: (reply: SmtpReply) => readonly string[],
  asLabelled = false,
): [changed: number, total: number] {
  let changed = 0;
  let total = 0;
  for (const row of development) {
    const reply = parseQuotedReply(row.reply);
    const status = classifyReply('rcpt', reply).status;
    if (asLabelled && status !== row.status) continue;
    for (const variant of variantsOf(reply)) {
      total += 1;
      if (statusOf(variant) !== status) changed += 1;
    }
  }
  return [changed, total];
}

/**
 * Of the variants `variantsOf` makes of each development reply read as labelled (never VALID ones): how many INVALID
 * ones lose their proof, and how many UNKNOWN ones gain one.
 */
function proofChanges(variantsOf: (reply: SmtpReply) => readonly string[]): {
  lost: number;
  invalid: number;
  gained: number;
  unknown: number;
} {
  const counts = { lost: 0, invalid: 0, gained: 0, unknown: 0 };
  for (const row of development) {
    const reply = parseQuotedReply(row.reply);
    const status = classifyReply('rcpt', reply).status;
    if (status !== row.status || status === 'VALID') continue;
    for (const variant of variantsOf(reply)) {
      const now = statusOf(variant);
      if (status === 'INVALID') {
        counts.invalid += 1;
        if (now !== 'INVALID') counts.lost += 1;
      } else {
        counts.unknown += 1;
        if (now === 'INVALID') counts.gained += 1;
      }
    }
  }
  return counts;
}

function codeSwap(): string {
  let invalid = 0;
  let unknown = 0;
  for (const row of development) {
    if (row.status !== 'UNKNOWN') continue;
    unknown += 1;
    if (statusOf(`550 5.1.1 ${parseQuotedReply(row.reply).text}`) === 'INVALID') invalid += 1;
  }
  return `code swap: ${invalid} of ${unknown} UNKNOWN development replies read INVALID under 550 5.1.1`;
}

const NOUNS = [
  'user',
  'mailbox',
  'recipient',
  'address',
  'account',
  'e-mail address',
  'email account',
  'addressee',
  'destination address',
  'local user',
  'mail box',
  'user account',
  'recipient address',
  'email address',
  'mailbox name',
  'inbox',
  'destination mailbox',
  'recipient mailbox',
  'e-mail account',
  'username',
];
const STATES = [
  'does not exist',
  "doesn't exist",
  'is not existing',
  'not exist',
  'unknown',
  'not found',
  'is unknown',
  'was not found',
  'could not be found',
  'cannot be found',
  'is invalid',
  'is not valid',
  'does not exist here',
  'not known',
  'is not known here',
  'no longer exists',
  'has been deleted',
  'has been removed',
  'is closed',
  'is disabled',
  'has been disabled',
  'is deactivated',
  'is inactive',
  'is no longer active',
  'has been terminated',
  'has been suspended',
  'is not registered',
  'not recognized',
  'is not on this server',
  'is not hosted here',
  'no longer valid',
  'is not active',
  'expired',
  'is locked',
  'deleted',
  'does not exist on this server',
  'not available on this server',
];
const STATES_BEFORE = [
  'unknown',
  'invalid',
  'nonexistent',
  'non-existent',
  'no such',
  'inactive',
  'disabled',
  'closed',
  'deleted',
  'bad',
  'unregistered',
  'non existing',
  'unknown or invalid',
];
const FRAMES = [
  '550 %',
  '550 5.1.1 %',
  '554 %',
  '553 %',
  '550 5.7.1 %',
  '550 <jdoe@example.com>: Recipient address rejected: %',
  '550 Requested action not taken: %',
  '550 %.',
];

function grammar(): string {
  const texts: string[] = [];
  for (const noun of NOUNS)
    for (const state of STATES) texts.push(capitalised(`${noun} ${state}`), `The ${noun} ${state}`);
  for (const state of STATES_BEFORE) for (const noun of NOUNS) texts.push(`${capitalised(state)} ${noun}`);
  for (const noun of NOUNS)
    texts.push(
      `No ${noun}`,
      `No ${noun} here by that name`,
      `${noun} unknown here`,
      `This ${noun} does not exist`,
      `No such ${noun} here`,
    );
  let missed = 0;
  let total = 0;
  for (const text of texts)
    for (const frame of FRAMES) {
      total += 1;
      if (statusOf(frame.replace('%', text)) !== 'INVALID') missed += 1;
    }
  return `grammar: ${missed} of ${total} recipient-noun × state replies not INVALID (by design: "invalid", "not on this server", a bare "No mailbox" …)`;
}

const OUR_NOUNS = [
  'user',
  'mailbox',
  'mail box',
  'inbox',
  'account',
  'e-mail address',
  'email account',
  'address',
  'username',
  'addressee',
  'user account',
  'mailbox name',
];
const OUR_STATES = [
  'does not exist',
  'unknown',
  'not found',
  'is not known',
  'is not registered',
  'no longer valid',
  'has been deleted',
  'is closed',
  'is disabled',
  'is inactive',
  'is not active',
  'has been terminated',
  'expired',
  'is locked',
  'is no longer active',
  'has been suspended',
];
const OWNERS = [
  'Your',
  'Sender',
  "Sender's",
  'From',
  'Authenticated',
  'SMTP',
  'Relay',
  'Client',
  'Sending',
  'Your sender',
  'The sender',
  'Envelope sender',
  'MAIL FROM',
];
const OUR_STATES_BEFORE = [
  'Deleted',
  'Closed',
  'Disabled',
  'Inactive',
  'Unregistered',
  'Unknown',
  'Nonexistent',
];

function aboutUs(): string {
  let byWords = 0;
  let underCode = 0;
  let total = 0;
  for (const owner of OWNERS)
    for (const noun of OUR_NOUNS) {
      const texts = [
        ...OUR_STATES.map((state) => `${owner} ${noun} ${state}`),
        ...OUR_STATES_BEFORE.map((state) => `${state} ${owner.toLowerCase()} ${noun}`),
      ];
      for (const text of texts) {
        total += 1;
        if (statusOf(`550 ${text}`) === 'INVALID') byWords += 1;
        if (statusOf(`550 5.1.1 ${text}`) === 'INVALID') underCode += 1;
      }
    }
  return `about us: of ${total} replies naming our own account, address or the sender, ${byWords} INVALID under a bare 550, ${underCode} under 550 5.1.1`;
}

const TRAILERS = [
  ' Please check the recipient address and try again.',
  ' For more information see https://help.example.com/smtp-errors#550',
  ' Learn more at https://support.example.com/mail/?p=NoSuchUser',
  ' (in reply to RCPT TO command)',
  ' [Message ID: 1a2b3c4d]',
  ' Sorry.',
  ' Please verify the address.',
  ' Contact the recipient by other means.',
  ' - Remote server: mx1.example.net',
  ' Thank you.',
];
const PREFIXES = ['Delivery failed: ', 'RCPT TO rejected: ', 'Error: ', 'Permanent error: '];

function trailers(): string {
  // INVALID replies must keep their proof; UNKNOWN ones must not gain one (each as labelled and as read).
  const { lost, invalid, gained, unknown } = proofChanges((reply) => {
    const head = headOf(reply);
    return [
      ...TRAILERS.map((trailer) => `${head} ${reply.text}${trailer}`),
      ...PREFIXES.map((prefix) => `${head} ${prefix}${reply.text}`),
    ];
  });
  return `trailers: ${lost} of ${invalid} development INVALID replies with a trailer or prefix added lose their proof; ${gained} of ${unknown} UNKNOWN ones gain one`;
}

const OWNED = [
  'Public key',
  'Certificate',
  'Encryption key',
  'Home directory',
  'Forward file',
  'Alias file',
  'Vacation message',
  'Spam folder',
  'Mailbox quota',
  'Signature',
  'Routing entry',
  'LDAP entry',
  'Policy',
  'Whitelist entry',
  'Delivery agent',
  'Transport',
];
const OWNERS_OF = ['for recipient', 'for the recipient', 'of user', 'for user', 'of the recipient'];
const NOT_FOUND = ['not found', 'does not exist', 'unknown', 'could not be found'];

function owners(): string {
  let invalid = 0;
  let total = 0;
  for (const thing of OWNED)
    for (const owner of OWNERS_OF)
      for (const state of NOT_FOUND) {
        total += 1;
        if (statusOf(`550 ${thing} ${owner} ${state}`) === 'INVALID') invalid += 1;
      }
  return `owners: ${invalid} of ${total} replies about a thing of the recipient's read INVALID (by design: its routing or LDAP entry)`;
}

/** The reply's words over `parts` continuation lines, its enhanced code on the first line only or on each. */
function split(
  code: number,
  enhanced: string | null,
  text: string,
  parts: number,
  codeOnEach: boolean,
): string {
  const words = text.split(' ');
  const size = Math.ceil(words.length / parts);
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += size)
    chunks.push(words.slice(index, index + size).join(' '));
  return chunks
    .map((chunk, index) => {
      const separator = index < chunks.length - 1 ? '-' : ' ';
      const prefix = enhanced && (index === 0 || codeOnEach) ? `${enhanced} ` : '';
      return `${code}${separator}${prefix}${chunk}`;
    })
    .join('\r\n');
}

function invariance(): string {
  const [changed, total] = statusChanges((reply) => {
    const head = headOf(reply);
    return [
      `${head} ${reply.text.toUpperCase()}`,
      `${head} ${reply.text.toLowerCase()}`,
      split(reply.code, reply.enhancedCode, reply.text, 2, true),
      split(reply.code, reply.enhancedCode, reply.text, 3, false),
      // the server's spacing: doubled, tabs, no-break spaces, sentences run together
      `${head} ${reply.text.replace(/ /g, '  ')}`,
      `${head} ${reply.text.replace(/ /g, '\t')}`,
      `${head} ${reply.text.replace(/ /g, '\u00a0')}`,
      `${head} ${reply.text.replace(/\. (?=\p{Lu})/gu, '.')}`,
    ];
  });
  return `invariance: ${changed} of ${total} development replies in capitals, lower case, split over continuation lines or spaced otherwise change status`;
}

// Addresses a prober may send (RFC 5321's 64-character local part at most): refusal words, missing-mailbox words,
// accents, an internationalised domain in U-labels and in A-labels, CJK, a plus tag, a one-letter domain.
const ECHOES = [
  'blocked.spam@policy-relay.example',
  'no.such.user@unknown-host.example',
  'jörg.müller@bücher.example',
  'user+tag@sub.mail.example.co.uk',
  'a@b.cd',
  'quota-full@denied.example',
  'x_y-z@xn--bcher-kva.example',
  '用户@例子.广告',
  'иван@пример.рф',
  'postmaster@localhost.localdomain',
];
const ADDRESS = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+\.[^\s<>()[\]"',;:@.]{2,}/gu;
const HAS_ADDRESS = new RegExp(ADDRESS.source, 'u');

function echoSwap(): string {
  const [changed, total] = statusChanges((reply) =>
    reply.lines.some((line) => HAS_ADDRESS.test(line))
      ? ECHOES.map((echo) => reply.lines.map((line) => line.replace(ADDRESS, echo)).join('\r\n'))
      : [],
  );
  return `echo swap: ${changed} of ${total} development replies with their echoed address replaced by another change status`;
}

// An echo, bare or in brackets, and the space before the server's next word.
const ECHO_THEN_WORD =
  /(<[^<>\s]+@[^<>\s]+>|[^\s<>()[\]"',;:@]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}) +(?=\p{L})/gu;

function glue(): string {
  const [changed, total] = statusChanges((reply) => {
    const sent = reply.lines.join('\r\n');
    // Sendmail's "...", a colon, and nothing after a bracket ("<x@example.com>User unknown"): a bare address glued to
    // a word has no end a reader could find.
    return ['...', ':', '']
      .map((glued) =>
        reply.lines
          .map((line) =>
            line.replace(ECHO_THEN_WORD, (_match, echo: string) =>
              glued || echo.endsWith('>') ? `${echo}${glued}` : `${echo} `,
            ),
          )
          .join('\r\n'),
      )
      .filter((raw) => raw !== sent);
  });
  return `glue: ${changed} of ${total} development replies with their echo glued to the next word by "...", ":" or (after a bracket) nothing change status`;
}

// Another cause offered beside the proof: a disjunction, a hedge, a cause in brackets or after a dash.
const OTHER_CAUSES = [
  ' or the server is busy',
  ', or your IP may be blocked',
  ' or the mailbox is over quota',
  ' (or a temporary problem)',
  '; possibly a temporary error',
  ' or access denied',
  ' - may be a policy rejection',
];

/** How many INVALID development replies still read INVALID with each addition after their words, of how many. */
function stillInvalidWith(additions: readonly string[], trimEnd: boolean): [kept: number, total: number] {
  let kept = 0;
  let total = 0;
  for (const row of development) {
    const reply = parseQuotedReply(row.reply);
    if (classifyReply('rcpt', reply).status !== 'INVALID') continue;
    const text = trimEnd ? reply.text.replace(/[.\s]+$/, '') : reply.text;
    for (const addition of additions) {
      total += 1;
      if (statusOf(`${headOf(reply)} ${text}${addition}`) === 'INVALID') kept += 1;
    }
  }
  return [kept, total];
}

function disjunction(): string {
  const [kept, total] = stillInvalidWith(OTHER_CAUSES, true);
  return `disjunction: ${kept} of ${total} development INVALID replies with another cause offered beside them stay INVALID`;
}

// A sentence that names a cause of ours, or a try-later, after the proof.
const OURS_AFTER = [
  ' Your IP address is blacklisted.',
  ' Sender address rejected.',
  ' Authentication required.',
  ' Relaying denied.',
  ' Too many connections from your host.',
  ' Try again later.',
];

function oursBeside(): string {
  const [kept, total] = stillInvalidWith(OURS_AFTER, false);
  return `ours beside: ${kept} of ${total} development INVALID replies with a cause of ours or a try-later after them stay INVALID`;
}

// The codes issue #19 saw missing-mailbox words arrive under, and others a server may choose.
const OTHER_CODES = [
  '550',
  '554',
  '553 5.3.0',
  '557',
  '501 5.1.3',
  '550 5.7.1',
  '554 5.7.1',
  '550 5.0.0',
  '551',
  '553',
  '550 5.1.0',
  '521',
];

function codeIndependence(): string {
  let lost = 0;
  let total = 0;
  for (const row of development) {
    const reply = parseQuotedReply(row.reply);
    // Replies whose words alone are proof (under a bare 550), sent again under each other code.
    if (statusOf(`550 ${reply.text}`) !== 'INVALID') continue;
    for (const code of OTHER_CODES) {
      total += 1;
      if (statusOf(`${code} ${reply.text}`) !== 'INVALID') lost += 1;
    }
  }
  return `code independence: ${lost} of ${total} development replies whose words are proof lose it under another code (by design: "invalid" words under x.1.3 and 554 5.7.1; a 5.1.1 written in the text, which an enhanced code in its place overrides)`;
}

// A multi-line reply as a bounce or a log quotes it: its lines joined by a space, each with its reply code ("550-5.1.1
// …") or its enhanced code alone; the first line's "-" read as a space, as a reader of the quote must to parse it.
function flattenings(reply: SmtpReply): string[] {
  const variants: string[] = [];
  for (const [parts, codeOnEach] of [
    [2, true],
    [3, false],
    [3, true],
  ] as const) {
    const lines = split(reply.code, reply.enhancedCode, reply.text, parts, codeOnEach).split('\r\n');
    variants.push(lines.join(' ').replace(/^(\d{3})-/, '$1 '));
    if (reply.enhancedCode && codeOnEach)
      variants.push(
        lines
          .map((line, index) => (index === 0 ? line : line.slice(4)))
          .join(' ')
          .replace(/^(\d{3})-/, '$1 '),
      );
  }
  return variants;
}

function flattened(): string {
  const [changed, total] = statusChanges((reply) =>
    reply.text.split(' ').length < 4 ? [] : flattenings(reply),
  );
  return `flattened: ${changed} of ${total} development replies wrapped over lines, then flattened into one as a bounce quotes them (codes kept), change status`;
}

// A server's id, reference or host name before the words or after them, as real servers add them (Comcast's
// "Quai1i017301iRB04uaicS", Yahoo's "[0]", Gmail's "… - gsmtp", Orange's "LPN007_416", a front end's host name). Not a
// written enhanced code ("(#5.1.1)", which is read as the reply's) nor Microsoft's front-end host after its 5.4.1 text
// (Microsoft's own trailer, which the DBEB row reads).
const TAGS_BEFORE = [
  '[CS01] ',
  '(ABC123) ',
  'ID:4f2a9c ',
  'mx3.example.net: ',
  'Qz1a2B3c4D5e6F ',
  'MSG0031 ',
  '#42 ',
];
const TAGS_AFTER = [
  ' [Trace: 9f8e7d6c]',
  ' (mta1234.mail.bf1.example.com)',
  ' 1a2B3c4D5e - gsmtp',
  ' E3210',
  ' [0]',
  ' (S2017062302)',
  ' ref=abc-123',
  ' LPN007_416',
  ' code: 12',
];

function tags(): string {
  const [changed, total] = statusChanges((reply) => {
    const head = headOf(reply);
    return [
      ...TAGS_BEFORE.map((tag) => `${head} ${tag}${reply.text}`),
      ...TAGS_AFTER.map((tag) => `${head} ${reply.text}${tag}`),
    ];
  }, true);
  return `tags: ${changed} of ${total} development replies with a server's id, reference or host name before or after their words change status`;
}

const SWAP_NOUNS = ['user', 'recipient', 'mailbox', 'account', 'address', 'email address', 'addressee'];
const FIRST_NOUN = /\b(user|recipient|mailbox|account|addressee)\b/i;

/** The text with its first recipient noun written as each of the others, in its own case. */
function nounSwaps(text: string): string[] {
  const found = FIRST_NOUN.exec(text);
  if (!found?.[1]) return [];
  const noun = found[1];
  const capital = noun.charAt(0) === noun.charAt(0).toUpperCase();
  return SWAP_NOUNS.filter((other) => other !== noun.toLowerCase()).map(
    (other) =>
      `${text.slice(0, found.index)}${capital ? capitalised(other) : other}${text.slice(found.index + noun.length)}`,
  );
}

function nounSwap(): string {
  const { lost, invalid, gained, unknown } = proofChanges((reply) =>
    nounSwaps(reply.text).map((text) => `${headOf(reply)} ${text}`),
  );
  return `noun swap: ${lost} of ${invalid} development INVALID replies with their first recipient noun written as another lose their proof (by design: "invalid" said of an address, "Recipient not local" …); ${gained} of ${unknown} UNKNOWN ones gain one`;
}

// The words as bounces and pages quote them: in double or single quotes, in brackets, or with a stop or "!" after.
function quoted(): string {
  const [changed, total] = statusChanges((reply) => {
    const head = headOf(reply);
    const text = reply.text;
    return [`"${text}"`, `'${text}'`, `(${text})`, `[${text}]`, `${text}.`, `${text}!`].map(
      (variant) => `${head} ${variant}`,
    );
  }, true);
  return `quoted: ${changed} of ${total} development replies with their words in quotes or brackets, or a stop after them, change status`;
}

// What help pages and samples put where a reply echoed the address: a placeholder, a template field, stars.
const MASKS = [
  'email',
  'recipient',
  'user@domain',
  '***@***.com',
  'xxx@xxx.xx',
  '%s',
  '$email',
  'EMAIL',
  'address',
  '{email}',
  '[email]',
  'RCPT',
  '...',
  'x',
  '<>',
  '****',
  'user',
  'someone@',
];

function masked(): string {
  const [changed, total] = statusChanges((reply) => {
    if (!HAS_ADDRESS.test(reply.text)) return [];
    return MASKS.map((mask) => `${headOf(reply)} ${reply.text.replace(HAS_ADDRESS, () => mask)}`);
  }, true);
  return `masked: ${changed} of ${total} development replies with their echoed address masked as a page or a sample masks it ("(email)", "[$email]", "'****'", "{email}" …) change status`;
}

// How bounces and logs quote a refusal: Postfix's "said:" with its note after, Exim's "SMTP error from remote mail
// server after RCPT TO", Exchange's "Remote Server returned '…'", a DSN's "smtp;", and Postfix's note alone.
const BOUNCE_FRAMES: readonly ((reply: string) => string)[] = [
  (reply) => `host mx.example.net[192.0.2.7] said: ${reply} (in reply to RCPT TO command)`,
  (reply) => `SMTP error from remote mail server after RCPT TO:<jane@example.net>: ${reply}`,
  (reply) => `Remote Server returned '${reply}'`,
  (reply) => `smtp; ${reply}`,
  (reply) => `${reply} (in reply to RCPT TO command)`,
];

// What servers put between a recipient noun and its state when they speak of the sender's attempt to reach it.
const ATTEMPT_CLAUSES = [
  'you tried to reach',
  'that you tried to reach',
  'you are trying to contact',
  'you are trying to reach',
  'you specified',
  'you have entered',
  'you entered',
  'you sent this message to',
  'you are writing to',
  'you wish to send to',
  'that you are sending to',
  'which you addressed',
];
const NOUN_THEN_STATE =
  /\b(user|recipient|mailbox|account|addressee|e-?mail address|address) (?=(?:is|was|has|does|doesn't|did|not|no|could|couldn't|cannot|can't|unknown|not found|disabled|deactivated)\b)/i;

function relativeClause(): string {
  const [changed, total] = statusChanges((reply) => {
    const found = NOUN_THEN_STATE.exec(reply.text);
    if (!found) return [];
    const at = found.index + found[0].length;
    return ATTEMPT_CLAUSES.map(
      (clause) => `${headOf(reply)} ${reply.text.slice(0, at)}${clause} ${reply.text.slice(at)}`,
    );
  }, true);
  return `relative clause: ${changed} of ${total} development replies with a clause about the sender's attempt after their first recipient noun ("The user you are trying to reach is …") change status`;
}

// The words that carry a reply's evidence about the recipient, as the typo audit misspells them.
const EVIDENCE_WORD =
  /\b(unknown|recipient|mailbox|address|addressee|account|nonexistent|non-existent|existent|unavailable|disabled|deactivated|suspended|inactive|invalid|exist|exists)\b/i;

/** The word misspelt as typists do: a letter dropped, doubled, swapped with the next, or an `e` put in. */
function misspellings(word: string): string[] {
  const inner = Math.floor(word.length / 2);
  return [
    word.slice(0, inner) + word.slice(inner + 1),
    word.slice(0, inner) + word.charAt(inner) + word.slice(inner),
    word.slice(0, inner) + word.charAt(inner + 1) + word.charAt(inner) + word.slice(inner + 2),
    word.slice(0, inner + 1) + word.charAt(inner - 1) + word.slice(inner + 1),
  ].filter((variant) => variant !== word);
}

function typos(): string {
  const { lost, invalid, gained, unknown } = proofChanges((reply) => {
    const found = EVIDENCE_WORD.exec(reply.text);
    if (!found?.[1]) return [];
    const word = found[1];
    return misspellings(word).map(
      (variant) =>
        `${headOf(reply)} ${reply.text.slice(0, found.index)}${variant}${reply.text.slice(found.index + word.length)}`,
    );
  });
  return `typos: ${lost} of ${invalid} development INVALID replies with a word of evidence misspelt lose their proof; ${gained} of ${unknown} UNKNOWN ones gain one`;
}

function bounceFrames(): string {
  let changed = 0;
  let total = 0;
  for (const row of development) {
    // A whole one-line refusal (a bounce quotes refusals, never an acceptance).
    if (row.reply.includes('\n') || !/^[45]\d\d[ -]/.test(row.reply)) continue;
    const status = classifyReply('rcpt', parseQuotedReply(row.reply)).status;
    for (const frame of BOUNCE_FRAMES) {
      total += 1;
      if (classifyReply('rcpt', parseQuotedReply(frame(row.reply))).status !== status) changed += 1;
    }
  }
  return `bounce frames: ${changed} of ${total} development refusals quoted as Postfix, Exim, Exchange and a DSN quote them change status`;
}

for (const audit of [
  codeSwap,
  grammar,
  aboutUs,
  trailers,
  owners,
  invariance,
  echoSwap,
  glue,
  disjunction,
  oursBeside,
  codeIndependence,
  flattened,
  tags,
  nounSwap,
  quoted,
  masked,
  relativeClause,
  typos,
  bounceFrames,
])
  console.log(audit());
