import { readFileSync } from 'node:fs';
import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { classifyReply, isHedged } from './classify.js';
import { parseQuotedReply } from './quoted-reply.js';
import { parseReply } from './reply-parser.js';
import { serverWording } from './server-wording.js';
import type { SmtpReply } from './types.js';

// Real replies from the committed corpus (packages/engine/corpus, provenance per row), by corpus id. Only rows of
// the development split are used here; the held-out split is measured by `bench:replies`, never asserted.
interface CorpusRow {
  id: number;
  split: 'dev' | 'heldout';
  source: string;
  reply: string;
  status: Status;
  reason: Reason;
}
const corpus = new Map<number, CorpusRow>(
  readFileSync(new URL('../../corpus/replies.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusRow)
    .map((row) => [row.id, row]),
);

function row(id: number): CorpusRow {
  const found = corpus.get(id);
  if (!found) throw new Error(`no corpus row ${id}`);
  expect(found.split).toBe('dev');
  return found;
}
const classifyRow = (id: number) => classifyReply('rcpt', parseQuotedReply(row(id).reply));
/** Row `id`'s reply with its words rewritten, under the same reply and enhanced codes. */
function reworded(id: number, reword: (text: string) => string): SmtpReply {
  const sent = parseQuotedReply(row(id).reply);
  return parseReply(
    `${sent.code}${sent.enhancedCode ? ` ${sent.enhancedCode}` : ''} ${reword(sent.text)}\r\n`,
  );
}

/** Each case: corpus id, the verdict it must get, the rule that must decide it. */
type Case = [id: number, status: Status, reason: Reason, rule: string];

describe('generalisation classes of issue #19, on real replies', () => {
  it.each<Case>([
    [70, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 x@earthlink.net...User unknown
    [120, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 x@yourdomain.com:user not exist
    [112, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'], // 550 <maxqin> is now disabled…
  ])('1. glued echoes keep the server’s words: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  // The glue audit (bench:audit): a development reply's echo glued to the server's next word by Sendmail's "...", a
  // colon, or nothing after its bracket, reads as the reply with a space there. Before, "mailbox _...unknown" and
  // "Mail to _: has been suspended" had lost their proof.
  it.each<[id: number, glue: string]>([
    [2601, '...'], // 550 MXIN501 mailbox <x>...unknown
    [2601, ':'],
    [2559, '...'], // 550 Mail to <x>...has been suspended
    [2559, ':'],
    [3162, '...'], // no account <x>...here by that name (IndiMail)
    [2184, '...'], // mailbox <x>...is absent on this domain
    [2184, ''], // mailbox <x>is absent on this domain
  ])('1. #%i with its echo glued by "%s" reads as it does with a space', (id, glue) => {
    const glued = (text: string) =>
      text.replace(
        /(<[^<>\s]+>|[^\s<>]+@[\w.-]+\.[a-z]{2,}) (?=\p{L})/gu,
        // nothing glues only a bracket to a word: a bare address glued to one has no end to find
        (_match, echo: string) => (glue || echo.endsWith('>') ? `${echo}${glue}` : `${echo} `),
      );
    const sent = parseQuotedReply(row(id).reply).text;
    expect(glued(sent)).not.toBe(sent);
    expect(classifyReply('rcpt', reworded(id, glued))).toMatchObject({
      status: 'INVALID',
      reason: row(id).reason,
    });
  });

  // The invariance audit's spacing (bench:audit): a server's spacing is no part of its words. Before, "user  unknown"
  // with two spaces (or a tab, or a no-break space) had lost its proof: 277 development INVALID replies did.
  it.each<[id: number, spacing: string]>([
    [3, '  '], // 550 joem@example.com... User unknown
    [14, '\t'], // 550 user unknown
    [22, '\u00a0'], // sorry, no mailbox here by that name. (#5.7.17)
    [23, '   '], // <x>: Recipient address rejected: User unknown in virtual mailbox table
  ])('#%i spaced with %j reads as sent', (id, spacing) => {
    const spaced = reworded(id, (text) => text.replace(/ /g, spacing));
    expect(classifyReply('rcpt', spaced)).toMatchObject({ status: 'INVALID', reason: row(id).reason });
  });

  // The flattened audit (bench:audit): a server wraps a long reply over lines wherever its width runs out, and a
  // bounce or a log quotes the lines joined by a space, each line's codes kept. Before, "This user doesn't have 554 a
  // yahoo.com account" had lost its proof: 386 development replies so wrapped and flattened changed status.
  it.each<[id: number, wrapped: string]>([
    // 554 delivery error: dd This user doesn't have a yahoo.com account (x) [0] - mta…
    [24, "This user doesn't have"],
    // 553 5.3.0 <x>... No such user here
    [17, 'No such'],
    // 550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [….protection.outlook.com]
    [1031, 'Access'],
  ])('#%i wrapped after %j and flattened as a bounce quotes it reads as sent', (id, wrapped) => {
    const sent = parseQuotedReply(row(id).reply);
    const at = sent.text.indexOf(wrapped) + wrapped.length;
    expect(at).toBeGreaterThanOrEqual(wrapped.length);
    const first = sent.text.slice(0, at);
    const rest = sent.text.slice(at).trimStart();
    /** A line's start: the reply code, "-" or a space, and the enhanced code when the reply has one. */
    const mark = (separator: '-' | ' ') =>
      `${sent.code}${separator}${sent.enhancedCode ? `${sent.enhancedCode} ` : ''}`;
    const verdict = { status: row(id).status, reason: row(id).reason };
    const read = (text: string) => classifyReply('rcpt', parseReply(`${text}\r\n`));
    // as the lines were sent, and as Postfix's log and a DSN quote them: "554 … doesn't have 554-a yahoo.com …"
    expect(read(`${mark('-')}${first}\r\n${mark(' ')}${rest}`)).toMatchObject(verdict);
    expect(read(`${mark(' ')}${first} ${mark(' ')}${rest}`)).toMatchObject(verdict);
    expect(read(`${mark(' ')}${first} ${mark('-')}${rest} ${mark(' ')}.`)).toMatchObject(verdict);
  });

  // The tags audit (bench:audit): a server's id or reference beside its words is none of its words. Before, an id
  // before a request turned it into proof under 5.1.1, and a reference after a bare 5.1.1 (or after "have no mail")
  // took its proof away.
  it.each<[id: number, tag: string, where: 'before' | 'after']>([
    [2285, '[CS01]', 'before'], // 550 5.1.1 Please mail to a valid e-mail address. (a request: UNKNOWN)
    [2285, 'MSG0031', 'before'],
    [2568, '[0]', 'after'], // 550 5.0.0 <x> This is user have no mail
    [1043, '[Trace: 9f8e7d6c]', 'after'], // 550 5.1.1 <Gmail's link> n9si14921962ige.24 - gsmtp
    [1050, 'code: 12', 'after'], // 550 5.1.1 (the words stripped by the bounce)
  ])('#%i with %j %s its words reads as sent', (id, tag, where) => {
    const tagged = reworded(id, (text) => (where === 'before' ? `${tag} ${text}` : `${text} ${tag}`));
    expect(tagged.text).toContain(tag);
    // the status as labelled, the reason as the untagged reply reads
    expect(classifyReply('rcpt', tagged)).toMatchObject({
      status: row(id).status,
      reason: classifyRow(id).reason,
    });
  });

  // The trailers audit (bench:audit): a bounce's label before a bare 5.1.1 ("Delivery failed: ", "Permanent error: ")
  // and thanks after it name no other cause. Before, each of these read UNKNOWN.
  it.each<[id: number, reword: (text: string) => string]>([
    [1043, (text) => `Delivery failed: ${text}`], // 550 5.1.1 <Gmail's link> n9si14921962ige.24 - gsmtp
    [1043, (text) => `Permanent error: ${text}`],
    [1043, (text) => `${text} Thank you.`],
    [2269, (text) => `${text} Thanks!`], // 550 5.1.1 <Gmail's old link>
  ])('#%i with a bounce label or thanks keeps its proof (%#)', (id, reword) => {
    expect(classifyReply('rcpt', reworded(id, reword))).toMatchObject({
      status: 'INVALID',
      reason: 'mailbox_not_found',
    });
  });

  it('a bounce label or thanks never stands for a cause a 5.1.1 overrules', () => {
    const read = (text: string) => classifyReply('rcpt', parseReply(`${text}\r\n`)).status;
    expect(read('550 5.1.1 Delivery failed: relay access denied. Thank you.')).toBe('UNKNOWN');
    expect(read('550 5.1.1 Permanent error: sender address rejected')).toBe('UNKNOWN');
    expect(read('550 5.1.1 Thank you for your message, you are blocked')).toBe('UNKNOWN');
  });

  // The noun-swap audit (issue #19's class 2: the recipient, user, mailbox, address or account): a fixed phrase a
  // server writes with one recipient noun proves the same with the others. Before, each of these read UNKNOWN.
  it.each<[id: number, noun: string, instead: string]>([
    [3162, 'account', 'mailbox'], // no account <x> here by that name. indimail (#5.1.5)
    [3162, 'account', 'email address'],
    [810, 'user', 'email address'], // local server don't exists that user
    [1473, 'recipient', 'account'], // … is locally serviced, but recipient is not defined in address map
    [1193, 'user', 'email address'], // … this server doesn't handle mail for that user
    [2593, 'user', 'account'], // <x> is not a registered gateway user
    [2714, 'user', 'account'], // user john not known at this site.
    [2564, 'Mailbox', 'Addressee'], // Mailbox is blocked due to long-time inactivity
    [104, 'User', 'Addressee'], // User (<x>) unknown.
  ])('#%i with "%s" written "%s" reads as sent', (id, noun, instead) => {
    const swapped = reworded(id, (text) => text.replace(new RegExp(`\\b${noun}\\b`), instead));
    expect(swapped.text).toContain(instead);
    expect(classifyReply('rcpt', swapped)).toMatchObject({ status: 'INVALID', reason: row(id).reason });
  });

  it('keeps #2792 (550 you have no account here: said to us) UNKNOWN with "mailbox" for "account", as the noun-swap audit found it INVALID', () => {
    const swapped = reworded(2792, (text) => text.replace('account', 'mailbox'));
    expect(swapped.text).toBe('you have no mailbox here');
    expect(classifyReply('rcpt', swapped).status).toBe('UNKNOWN');
    // near miss: the recipient's own
    expect(classifyReply('rcpt', parseReply('550 User has no mailbox here\r\n')).status).toBe('INVALID');
  });

  it.each(['"', "'"])(
    '#2568 (This is user have no mail) quoted in %s as a bounce quotes it keeps its proof (the quoted audit)',
    (quote) => {
      const inQuotes = reworded(2568, (text) => `${quote}${text}${quote}`);
      expect(classifyReply('rcpt', inQuotes)).toMatchObject({ status: 'INVALID', reason: row(2568).reason });
    },
  );

  // The masked audit (bench:audit): pages and samples mask the echoed address ("(email)", "[$email]", "'****'",
  // "{email}"). Where the echo stood between the noun and its state, or as the subject, the reply had lost its proof.
  it.each<[id: number, mask: string]>([
    [104, 'email'], // User (<x>) unknown.
    [414, '$email'], // Local User [<x>] not found.
    [110, '{email}'], // Mailbox ( <x> ) not found or inactivated
    [2593, '****'], // '<x>' is not a registered gateway user
    [3162, '{email}'], // no account <x> here by that name. indimail (#5.1.5)
  ])('#%i with its echo masked as %j reads as sent', (id, mask) => {
    const address = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+\.[^\s<>()[\]"',;:@.]{2,}/u;
    const maskedReply = reworded(id, (text) => text.replace(address, () => mask));
    expect(maskedReply.text).toContain(mask);
    expect(classifyReply('rcpt', maskedReply)).toMatchObject({ status: 'INVALID', reason: row(id).reason });
  });

  it('keeps a bracketed name of ours, or an IP, between the noun and its state no proof', () => {
    expect(classifyReply('rcpt', parseReply('550 Sender address (email) unknown\r\n')).status).toBe(
      'UNKNOWN',
    );
    expect(classifyReply('rcpt', parseReply('550 Remote address [192.0.2.1] unknown\r\n')).status).toBe(
      'UNKNOWN',
    );
    // and an address of a host: DNS, not a mailbox
    expect(
      classifyReply('rcpt', parseReply('550 No address exists for host mx.example.com\r\n')).status,
    ).toBe('UNKNOWN');
  });

  // The state swap (English synonyms of the states the lexicons know): "could not be located" beside "could not be
  // found", "no mailbox exists" beside "no such mailbox", and "is not possible because …" is no hedge.
  it('reads #2343 (Exchange: "couldn\'t be found") with "located" for "found" as sent', () => {
    const located = reworded(2343, (text) => text.replace("couldn't be found", "couldn't be located"));
    expect(located.text).toContain("couldn't be located");
    expect(classifyReply('rcpt', located)).toMatchObject({ status: 'INVALID', reason: row(2343).reason });
  });

  it('reads #287 ("550 5.2.0 No such mailbox") as "no mailbox exists" as sent, and as the cause of an impossible delivery', () => {
    const exists = reworded(287, (text) =>
      text.replace(/no such mailbox/i, 'No mailbox exists for this address'),
    );
    expect(exists.text).toContain('No mailbox exists');
    expect(classifyReply('rcpt', exists)).toMatchObject({ status: 'INVALID', reason: row(287).reason });
    const cause = reworded(287, (text) => `Delivery to this recipient is not possible: ${text}`);
    expect(classifyReply('rcpt', cause)).toMatchObject({ status: 'INVALID', reason: row(287).reason });
    // near misses: a hedge ("possible") and a sender
    expect(
      classifyReply('rcpt', parseReply('550 Possible cause: the mailbox does not exist\r\n')).status,
    ).toBe('UNKNOWN');
    expect(classifyReply('rcpt', parseReply('550 No sender exists with that address\r\n')).status).toBe(
      'UNKNOWN',
    );
  });

  it("reads a flattened reply's enhanced code alone at a line's start as the line's edge (#17, as #1611's bounce prints Gmail's lines)", () => {
    const sent = parseQuotedReply(row(17).reply);
    expect(sent.enhancedCode).toBe('5.3.0');
    const flattened = `${sent.code} 5.3.0 ${sent.text.replace('No such ', 'No such 5.3.0 ')}`;
    expect(flattened).toContain('No such 5.3.0 user');
    expect(classifyReply('rcpt', parseReply(`${flattened}\r\n`))).toMatchObject({
      status: 'INVALID',
      reason: 'mailbox_not_found',
    });
  });

  it("keeps a flattened refusal of us a refusal (#1540, Gmail's IPv6 PTR refusal as its bounce quotes it) and the code as a retry hint", () => {
    // the page quotes Gmail's lines from the second on, flattened: "Our system has detected … PTR records and
    // 550-5.7.1 authentication."
    expect(row(1540).reply).toContain(' 550-5.7.1 authentication');
    expect(classifyReply('rcpt', parseReply(`550 5.7.1 ${row(1540).reply}\r\n`))).toMatchObject({
      status: 'UNKNOWN',
      reason: 'blocked',
    });
    expect(
      classifyReply('rcpt', parseReply('450 4.2.0 Greylisted, please try again in 450 seconds\r\n')),
    ).toMatchObject({ reason: 'greylisted', retryAfterSeconds: 450 });
  });

  it('reads letters decomposed into a base and a combining mark as the lexicons write them (plain words)', () => {
    for (const words of [
      'Empfänger unbekannt',
      'Usuário desconhecido',
      'Użytkownik nie istnieje',
      'Користувача не знайдено',
    ]) {
      const decomposed = words.normalize('NFD');
      expect(decomposed).not.toBe(words);
      expect(classifyReply('rcpt', parseReply(`550 ${decomposed}\r\n`)).status).toBe('INVALID');
    }
  });

  it("#33 (Gmail's 5.1.1) with its sentences run together keeps its proof: the 'or' of the next sentence is no disjunction", () => {
    const sent = parseQuotedReply(row(33).reply);
    const together = parseReply(`550 5.1.1 ${sent.text.replace(/\. (?=\p{Lu})/gu, '.')}\r\n`);
    expect(together.text).toContain('exist.Please');
    expect(classifyReply('rcpt', together).status).toBe('INVALID');
  });

  it('1. strips exactly the address, never the words glued to it', () => {
    expect(serverWording('mango3438kaskdmdfklas@earthlink.net...User unknown')).toBe('_ User unknown');
    expect(serverWording('xxxxx@yourdomain.com:user not exist')).toBe('_ user not exist');
    expect(serverWording('This account is not allowed...xxxxx@yourdomain.com')).toBe(
      'This account is not allowed..._',
    );
  });

  it.each<Case>([
    [49, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-policy-code'], // 554 5.7.1 … Nonexistent user
    [130, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 553 5.3.0 … no longer exists
    [121, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-policy-code'], // 550 that recipient doesn't exist (#5.7.1)
    [263, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 554 … doesn't have a account
    [129, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'], // 550 account expired
  ])('2. "does not exist" under unusual codes: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  // qmail writes the enhanced code after its words, in brackets with a hash; read as the reply's own when it has none
  // in its place, and only of the reply's class.
  it.each<Case>([
    [288, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'], // 554 Sorry, no mailbox here by that name. (#5.1.1)
    [2646, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'], // … (#5.1.1 - chkusr)
    [2936, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-code'], // 554 Mailaddress is administratively disabled. (#5.2.1)
    [2940, 'UNKNOWN', 'blocked', 'policy-code'], // 553 sorry, mail to that recipient is not accepted (#5.7.1)
    [2186, 'UNKNOWN', 'mailbox_full', 'mailbox-full-code'], // … is overquota on this domain (#5.2.2)
  ])("2. qmail's written enhanced code: #%i → %s %s", (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it("2. reads qmail's written enhanced code only when the reply has none and its class is the reply's", () => {
    const read = (text: string) => classifyReply('rcpt', parseReply(`${text}\r\n`));
    // words that name nothing: the written x.1.1 decides, as it does in its place
    expect(read('550 Recipient rejected (#5.1.1)')).toMatchObject({
      status: 'INVALID',
      rule: 'mailbox-not-found-code',
    });
    expect(read('550 5.1.1 Recipient rejected')).toMatchObject({
      status: 'INVALID',
      rule: 'mailbox-not-found-code',
    });
    // written first in brackets, followed by a stop, or after the reply code written twice (as bounces quote it)
    expect(read('550 [5.1.1] Recipient rejected').status).toBe('INVALID');
    expect(read('550 5.1.1. Recipient rejected').status).toBe('INVALID');
    expect(read('550 550 5.1.1 Recipient rejected').status).toBe('INVALID');
    // … but not after another reply code: a relay quoting another server's reply
    expect(read('550 554 5.1.1 Recipient rejected').status).toBe('UNKNOWN');
    expect(read('550 [4.1.1] Recipient rejected').status).toBe('UNKNOWN');
    // on a later line of a multi-line reply whose first line has none
    expect(read('550-mx.example.com says:\r\n550 5.1.1 Recipient rejected')).toMatchObject({
      status: 'INVALID',
      rule: 'mailbox-not-found-code',
    });
    expect(read('550-Recipient rejected\r\n550 4.1.1 later').status).toBe('UNKNOWN');
    // written first, with the hash
    expect(read('550 #5.1.1 Recipient rejected')).toMatchObject({
      status: 'INVALID',
      rule: 'mailbox-not-found-code',
    });
    expect(read('550 #5.1.0 Address rejected').status).toBe('UNKNOWN');
    // a 4xx class written beside a 5xx reply, or a code beside the one in its place, is not the reply's
    expect(read('550 Recipient rejected (#4.1.1)').status).toBe('UNKNOWN');
    expect(read('550 5.7.1 Recipient rejected (#5.1.1)')).toMatchObject({
      status: 'UNKNOWN',
      rule: 'policy-code',
    });
    // a 4xx stays temporary whatever it writes
    expect(read('450 Recipient rejected (#4.1.1)').status).toBe('UNKNOWN');
  });

  // The code-independence audit (bench:audit): a development reply whose words state the mailbox missing, sent again
  // under 501 5.1.3, keeps its proof — the words decide whatever the code. Words that only call the recipient invalid
  // stay a syntax complaint under x.1.3.
  it.each<[id: number, status: Status]>([
    [22, 'INVALID'], // sorry, no mailbox here by that name. (#5.7.17)
    [24, 'INVALID'], // delivery error: dd This user doesn't have a yahoo.com account
    [153, 'INVALID'], // unrouteable address
    [113, 'INVALID'], // not our customer
    [813, 'INVALID'], // user not known
    [816, 'INVALID'], // recipient does not have an account
    [811, 'UNKNOWN'], // invalid user
    [2712, 'UNKNOWN'], // Invalid recipient address
    [413, 'UNKNOWN'], // Bad destination mailbox address
    [725, 'UNKNOWN'], // is not a valid mailbox
  ])('2. #%i under 501 5.1.3 → %s', (id, status) => {
    expect(classifyRow(id).status).toBe('INVALID');
    const words = parseQuotedReply(row(id).reply).text;
    expect(classifyReply('rcpt', parseReply(`501 5.1.3 ${words}\r\n`)).status).toBe(status);
  });

  it.each<Case>([
    [1118, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'], // not handled by this system
    [2952, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'], // isn't in my allowed list of rcpthosts (word order)
    [138, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'], // qmail chkuser rcpthosts
    [313, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'], // not in my list of allowed hosts
    [94, 'UNKNOWN', 'blocked', 'policy-wording'], // Relay access denied: about relaying, not the domain
    [296, 'UNKNOWN', 'blocked', 'policy-wording'],
  ])('3. the server does not host the domain: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    [279, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // German/English: Benutzer nicht bekannt
    [290, 'UNKNOWN', 'mailbox_full', 'mailbox-full-wording'], // German: Speichervolumen ueberschritten
    [87, 'UNKNOWN', 'mailbox_full', 'mailbox-full-wording'], // German alone: zuviele Mails auf dem Server
    [31, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-x21'], // Portuguese: Usuário Inválido ou Inexistente (#5.2.1)
    [30, 'UNKNOWN', 'unexpected_response', 'hedged-mailbox-wording'], // Spanish: desconocido o mailbox lleno
    [1, 'UNKNOWN', 'unexpected_response', 'hedged-mailbox-wording'], // German: unbekannt oder nicht erreichbar
  ])('4. languages: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    [1, 'UNKNOWN', 'unexpected_response', 'hedged-mailbox-wording'], // User unknown or not available
    [30, 'UNKNOWN', 'unexpected_response', 'hedged-mailbox-wording'],
    [42, 'UNKNOWN', 'mailbox_full', 'mailbox-full-code'], // larger than the limit or mailbox full (5.2.2 decides)
    [69, 'UNKNOWN', 'blocked', 'policy-wording'], // Mailbox unavailable or access denied
    [131, 'UNKNOWN', 'blocked', 'policy-wording'], // Possible forgery or deactivated due to abuse (forgery: about us)
  ])('5. a disjunction is not proof: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  // The disjunction audit (bench:audit): the same causes offered beside a domain the server does not host, or beside a
  // mailbox disabled for a cause of its own, leave them no proof, as they do a missing mailbox. Before, those rows came
  // ahead of every hedge and refusal and kept their proof (84 of 2,898 such replies; now only Microsoft's fixed 5.4.1
  // text, 21).
  it.each<[id: number, cause: string, rule: string]>([
    [138, ' or access denied', 'policy-wording'], // 553 … not in my list of allowed rcpthosts (#5.5.3 - chkuser)
    [313, ' (or a temporary problem)', 'hedged-mailbox-wording'], // 553 … domain is not in my list of allowed hosts
    [1118, ' - may be a policy rejection', 'policy-wording'], // 550 E-mail address is not handled by this system
    [3182, ' or the server is busy', 'hedged-mailbox-wording'], // 550 Sorry, this domain not in my routes
    [527, '; possibly a temporary error', 'hedged-mailbox-wording'], // 556 5.1.10 Domain does not accept email (null MX)
    [2564, ' - may be a policy rejection', 'policy-wording'], // 550 Mailbox is blocked due to … inactivity
    [659, ' (or a temporary problem)', 'hedged-mailbox-wording'], // 550 5.2.1 … Mailbox disabled for this recipient
  ])('5. #%i with "%s" beside its proof is no proof', (id, cause, rule) => {
    expect(classifyRow(id).status).toBe('INVALID');
    const offered = reworded(id, (text) => `${text.replace(/[.\s]+$/, '')}${cause}`);
    expect(classifyReply('rcpt', offered)).toMatchObject({ status: 'UNKNOWN', rule });
  });

  // The ours-beside and disjunction audits (bench:audit): Microsoft's fixed Directory-Based Edge Blocking text and a
  // mailbox disabled for a cause of its own are no proof with a cause of ours, a try-later or another cause after them.
  it.each<[id: number, after: string]>([
    [1031, ' Your IP address is blacklisted.'], // 550 5.4.1 … Access denied. AS(201806281) [~]
    [2752, ' Try again later.'],
    [309, ' or the server is busy'], // 550 5.4.1 … Access denied. [ timestamp id ]
    [2143, ' Authentication required.'], // ACCOUNT LOCKED … FOR ABUSE POLICY VIOLATIONS
    [2564, ' Try again later.'], // Mailbox is blocked due to long-time inactivity
  ])('5. #%i with "%s" after it is no proof', (id, after) => {
    expect(classifyRow(id).status).toBe('INVALID');
    expect(
      classifyReply(
        'rcpt',
        reworded(id, (text) => `${text}${after}`),
      ).status,
    ).toBe('UNKNOWN');
  });

  it('5. a disjunction about existence alone stays proof; hedging words never are', () => {
    expect(isHedged(serverWording('Mailbox ( x@example.com ) not found or inactivated'))).toBe(false);
    expect(isHedged(serverWording('Destinatario sconosciuto o mailbox disattivata'))).toBe(false);
    expect(isHedged(serverWording('The recipient may not exist'))).toBe(true);
    expect(classifyReply('rcpt', parseReply('550 5.1.1 The recipient may not exist'))).toMatchObject({
      status: 'UNKNOWN',
      rule: 'hedged-mailbox-wording',
    });
    // "or" outside the clause that speaks of the mailbox does not hedge it (Gmail's 5.1.1 text).
    expect(
      isHedged(
        serverWording(
          "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
        ),
      ),
    ).toBe(false);
  });

  it.each<Case>([[267, 'UNKNOWN', 'rate_limited', 'recipient-receiving-too-fast']])(
    '6. "receiving mail too fast" is the mailbox’s rate: #%i → %s %s',
    (id, status, reason, rule) => {
      expect(classifyRow(id)).toMatchObject({ status, reason, rule });
    },
  );
});

describe('a command error (500–504) proves nothing by its enhanced code alone', () => {
  it.each<Case>([
    // qmail-style "bad address" under 501 with x.1.1: the command was refused, no word says the mailbox is missing
    [114, 'UNKNOWN', 'unexpected_response', 'recipient-syntax-command-code'], // 501 #5.1.1 bad address xxxxx@…
    // near miss: the same code family with the words that the user does not exist stays proof
    [524, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // maddy: 501 5.1.1 User does not exist
    // near miss: x.1.1 under a refusal code (510–599) is proof without words
    [409, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'], // 551 5.1.1 recipient is not exist
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it("Kopano's dagent: 503 5.1.1 Failed to add user to recipients (round-5 held-out #948, after its measurement)", () => {
    expect(
      classifyReply('rcpt', parseQuotedReply('503 5.1.1 Failed to add user to recipients')),
    ).toMatchObject({
      status: 'UNKNOWN',
      reason: 'unexpected_response',
      rule: 'command-not-understood',
    });
  });
});

describe('round 3 of the corpus: new MTAs, providers and languages (development rows)', () => {
  it.each<Case>([
    [414, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 Local User [x@123.com] not found.
    [408, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // … tried to reach does no exists.
    [409, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'], // 551 5.1.1 recipient is not exist
    [524, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // maddy: 501 5.1.1 User does not exist
    [622, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'], // chasquid: … unknown (user does not exist)
  ])('missing mailboxes in new wording and codes: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Tencent Cloud, in Chinese: "操作失败。发件sender没有经过认证，无法发送。" — our sender is not authenticated.
    [633, 'UNKNOWN', 'blocked', 'transaction-failed-554'],
    // QQ Mail: a disjunction, one branch about access.
    [629, 'UNKNOWN', 'blocked', 'policy-wording'],
    // maddy: x.1.3 is a syntax complaint about an address the prober found well-formed.
    [520, 'UNKNOWN', 'unexpected_response', 'recipient-syntax-code'],
    // maddy: an x.1.1 whose words refuse an address form ("not supported"), not an absent mailbox.
    [531, 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'],
    // "Access denied" under 5.4.1 without Microsoft's DBEB trailer: any access map's refusal.
    [482, 'UNKNOWN', 'blocked', 'policy-wording'],
  ])('no proof: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe('round 4 of the corpus: development rows, by class of issue #19', () => {
  it.each<Case>([
    // 1. Sendmail's "addr... reason" echo at RCPT (hrs-allbsd/sendmail rulesets)
    [659, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-code'], // 550 5.2.1 <x>... Mailbox disabled for this recipient
    [660, 'UNKNOWN', 'blocked', 'policy-wording'], // 550 5.7.1 <x>... Access denied
    [668, 'UNKNOWN', 'blocked', 'policy-wording'], // … Relaying denied. IP name possibly forged …
    // 2. Missing-mailbox words under other codes and misspelt (strato, gromox, qpsmtpd, DFINITY, Coremail)
    [717, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 recipient e-mail adress unknown
    [748, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 invalid user - user@example.com
    [858, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // … is not a known mailbox on this canister
    [810, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // local server don't exists that user
    // 2. … but not a host that does not exist, nor a state said to be temporary
    [835, 'UNKNOWN', 'unexpected_response', 'other-5xx'], // 553 xxx.xx.xx does not exist
    [817, 'UNKNOWN', 'temporary_failure', 'mailbox-temporarily-disabled'], // This account has been temporarily suspended
    // 3. Relaying words are about us, not a domain the server does not host (aiosmtpd, gromox)
    [801, 'UNKNOWN', 'blocked', 'weak-refusal-wording'], // 550 not relaying to that domain
    [757, 'UNKNOWN', 'blocked', 'policy-wording'], // 554 Relay from your IP 192.0.2.1 is denied
    // 4. Japanese carriers' replies as an ESP quotes them (English words; note.com/sendmagic)
    [833, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 Unknown user xxx@docomo.ne.jp
    [836, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 Invalid recipient: xxx@jcom.home.ne.jp
    // 6. Gmail's 4.2.1 receiving-rate reply, quoted cut after a continuation line (zone-eu/zone-mta)
    [733, 'UNKNOWN', 'rate_limited', 'recipient-receiving-too-fast'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe('round 4 of the corpus: development rows in French beside English (Orange, SFR)', () => {
  it.each<Case>([
    // Orange via assoconnect/php-smtp-toolbox: "Adresse d au moins un destinataire invalide. Invalid recipient."
    [647, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'],
    // Orange: "Boite du destinataire pleine. Recipient overquota." under 5.1.1: full, not missing
    [646, 'UNKNOWN', 'mailbox_full', 'mailbox-full-wording'],
    // SFR: "Sender address rejected: Sender user unknown.  Adresse expediteur inconnue" — about our sender
    [649, 'UNKNOWN', 'blocked', 'policy-wording'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it('reads the French words alone as the English ones', () => {
    // The French halves of the same replies, without their English twins.
    expect(
      classifyReply('rcpt', parseReply('550 Adresse d au moins un destinataire invalide')),
    ).toMatchObject({
      status: 'INVALID',
      reason: 'mailbox_not_found',
    });
    expect(classifyReply('rcpt', parseReply('550 Adresse expediteur inconnue'))).toMatchObject({
      status: 'UNKNOWN',
      reason: 'blocked',
      rule: 'not-found-about-us',
    });
  });
});

describe('round 5 of the corpus: development rows, by class', () => {
  // Each class: the rows it was written for, then near misses of the same wording family that must keep their verdict.
  it.each<Case>([
    // A fault of the server named beside canned mailbox words (go-guerrilla's enhanced.go): two causes, no proof.
    [953, 'UNKNOWN', 'unexpected_response', 'server-fault-wording'], // … User unknown … storage not available
    [954, 'UNKNOWN', 'unexpected_response', 'server-fault-wording'], // … User unknown … storage too busy
    // near misses: the same canned text with a quota cause is a full mailbox; without a second cause it is proof
    [955, 'UNKNOWN', 'mailbox_full', 'mailbox-full-wording'],
    [635, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'],
  ])('a server fault beside mailbox words: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // LBBS: the mailbox exists and may not take outside mail — a refusal, even under x.1.1.
    [1007, 'UNKNOWN', 'blocked', 'weak-refusal-wording'], // 550 5.1.1 User unauthorized to receive external mail
    // the same class in other words: the recipient refuses this mail
    [134, 'UNKNOWN', 'blocked', 'weak-refusal-wording'], // 553 User refused to receive this mail.
    // near miss: a mailbox that does not exist, under the same code, stays proof
    [74, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'],
  ])('a recipient not allowed to receive: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Microsoft's DBEB "Access denied" with its AS(…) trailer: Microsoft documents it as the unknown-recipient refusal.
    [1031, 'INVALID', 'mailbox_not_found', 'microsoft-dbeb-unknown-recipient'],
    // near miss: the same words without Microsoft's trailer stay an access map's refusal
    [973, 'UNKNOWN', 'blocked', 'policy-wording'],
  ])("Microsoft's directory-based edge blocking: #%i → %s %s", (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // One-token diagnostics: RFC 3464's sample bounce via MimeKit's test data.
    [1066, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 500 (err.nosuchuser)
    // near miss: an Exchange diagnostic run together with refusal words (no missing-mailbox token) proves nothing
    [62, 'UNKNOWN', 'unexpected_response', 'other-5xx'], // 550 #5.1.0 Address rejected this-user-does-not-have-goo-id@…
  ])('a missing-mailbox diagnostic written as one token: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it('keeps a diagnostic token as words, and a host named like one as an echo', () => {
    expect(serverWording('(err.nosuchuser)')).toBe('(err.nosuchuser)');
    expect(serverWording('nosuchuser.example.com does not exist')).toBe('~ does not exist');
    expect(classifyReply('rcpt', parseReply('550 host nosuchuser.example.com not found')).status).toBe(
      'UNKNOWN',
    );
  });

  it.each<Case>([
    // The echoed recipient as the subject, in brackets, with a misspelt contraction (Reacher's parser notes).
    [1115, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // RCPT (<x>) dosn't exist
    // near misses: a host or domain that does not exist is a DNS answer, not a missing mailbox
    [874, 'UNKNOWN', 'unexpected_response', 'other-5xx'], // 553 5.4.4 example.net does not exist
    [835, 'UNKNOWN', 'unexpected_response', 'other-5xx'], // 553 xxx.xx.xx does not exist
  ])('"<address> dosn\'t exist": #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    "550 <x@example.com> dosn't exist",
    '550 <x@example.com> dosent exist',
    "550 <x@example.com> doesen't exist",
    '550 User doesnot exist',
    '550 User does not exits',
  ])('the misspelt contractions of "does not" read alike: %s', (text) => {
    expect(classifyReply('rcpt', parseReply(text))).toMatchObject({
      status: 'INVALID',
      reason: 'mailbox_not_found',
    });
  });

  it.each<Case>([
    // "not handled by this system": the server does not take mail for the address's domain (class 3).
    [1118, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'], // E-mail address is not handled by this system
    // near misses: relaying words are about us
    [801, 'UNKNOWN', 'blocked', 'weak-refusal-wording'], // 550 not relaying to that domain
    [1105, 'UNKNOWN', 'blocked', 'policy-wording'], // User not local or invalid address – Relay denied
  ])('an address the server does not handle: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // The state before the noun (a Korean hoster's list of replies).
    [936, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'], // 550 5.1.1 Inactive mbox
    [937, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'], // 550 5.1.1 Suspended user
    // near miss: a state said to be temporary proves nothing
    [817, 'UNKNOWN', 'temporary_failure', 'mailbox-temporarily-disabled'],
  ])('a disabled mailbox, the state before the noun: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // MAIL FROM must come first: an error in the order of commands (Twisted, Archiveopteryx, Haraka, Sendmail).
    [963, 'UNKNOWN', 'unexpected_response', 'command-sequence-wording'], // 503 Must have sender before recipient
    [994, 'UNKNOWN', 'unexpected_response', 'command-sequence-wording'], // 550 5.5.1 Must send MAIL FROM before RCPT TO
    [591, 'UNKNOWN', 'unexpected_response', 'command-sequence-wording'], // 503 Use MAIL before RCPT
    // near miss: a refusal of the sender stays a refusal
    [1032, 'UNKNOWN', 'blocked', 'policy-wording'], // … Sender address rejected: Access denied
  ])('MAIL FROM before RCPT: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // A 421 that names a policy or a filter on our IP, or AOL's DYN code: a refusal of us, not a rate.
    [921, 'UNKNOWN', 'blocked', 'service-closing-refusal'], // 421 Reject due to policy violations
    [940, 'UNKNOWN', 'blocked', 'service-closing-refusal'], // 421 4.3.2 Your IP( is filtered …
    [1137, 'UNKNOWN', 'blocked', 'service-closing-refusal'], // 421 4.7.1 : (DYN:T1) …
    // near misses: too many connections or messages is a rate
    [877, 'UNKNOWN', 'rate_limited', 'too-many-connections'],
    [941, 'UNKNOWN', 'rate_limited', 'service-closing'], // 421 4.3.1 You send too many messages.
  ])('421 refusals: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    [876, 'UNKNOWN', 'rate_limited', 'sending-limit'], // 451 … has exceeded 100 messages per 1 hour
    // near miss: too many recipients in one transaction is the session's to split, not a rate
    [986, 'UNKNOWN', 'temporary_failure', 'too-many-recipients'], // 452 Error: too many recipients
  ])('limits per hour or day: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    [890, 'UNKNOWN', 'blocked', 'policy-wording'], // Dictionary attack detected
    // near miss: a failed callout about the recipient is no refusal of us
    [893, 'UNKNOWN', 'unexpected_response', 'other-5xx'], // Recipient verification failed
  ])('dictionary attacks and callouts: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    [981, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 450 Backend failure. Please, retry later
    // near miss: try-later with no named fault is how greylisters answer
    [907, 'UNKNOWN', 'greylisted', 'try-later'], // 451 4.4.3 Temporary rejected: Please try again later
  ])('try-later that names a server fault: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe('round 6 of the corpus: development rows, by class', () => {
  // Each class: the rows it was written for, then near misses of the same wording family that must keep their verdict.
  it.each<Case>([
    // A 250 whose words say the mailbox does not exist (af's spamtrap mode): the code and the words disagree.
    [1349, 'UNKNOWN', 'unexpected_response', 'accepted-contradicted'], // 250 U:NMBC,A,S:ST/ST (Mail box does not exist)
    // near miss: a plain acceptance stays one
    [1151, 'VALID', 'accepted', 'accepted'], // 250 Requested mail action okay, completed
  ])('an acceptance that says the mailbox does not exist: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // The recipient's MX does not serve the domain, or does not handle mail for that user.
    [1352, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'], // 550 R:D/ (The domain is not in service)
    [1193, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // … this server doesn't handle mail for that user
    // near misses: "not local … not a gateway" and "not local … Relay denied" are relay refusals of us
    [142, 'UNKNOWN', 'blocked', 'policy-wording'],
    [1105, 'UNKNOWN', 'blocked', 'policy-wording'],
    // near miss: a 4xx "not on this server" is temporary, whatever it says
    [1270, 'UNKNOWN', 'temporary_failure', 'other-4xx'],
  ])('the server does not take mail for that domain or user: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Count and frequency limits: a rate, whatever the code.
    [1162, 'UNKNOWN', 'rate_limited', 'sending-limit'], // 550 Domain frequency limited (QQ)
    [1163, 'UNKNOWN', 'rate_limited', 'sending-limit'], // 550 Sender frequency limited
    [1277, 'UNKNOWN', 'rate_limited', 'sending-limit'], // Number of sent emails has exceeded our IP limit.
    [1279, 'UNKNOWN', 'rate_limited', 'sending-limit'], // Number of failed recipients exceeded.
    [1250, 'UNKNOWN', 'rate_limited', 'sending-limit'], // REJECT limit of 200 exceeded [201 hits] (postfwd)
    [1285, 'UNKNOWN', 'rate_limited', 'rate-wording-permanent'], // Host has been ratelimited.
    // near misses: a size limit exceeded is about the message, not a rate
    [45, 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'], // 552 Message size exceeds fixed limit
    [1228, 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'], // mail size limit exceeded
    [515, 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'], // 552 5.3.4 Message header size exceeds limit
  ])('count and frequency limits: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Postfix anvil's per-client limits: "too many … from <client>" is a rate, not the transaction's recipient limit.
    [388, 'UNKNOWN', 'rate_limited', 'rate-wording'], // 450 4.7.1 Error: too many recipients from 192.0.2.1
    [729, 'UNKNOWN', 'rate_limited', 'rate-wording'], // 450 Too many recipient attempts
    // near miss: the transaction's limit stays one (the session splits it)
    [1307, 'UNKNOWN', 'temporary_failure', 'too-many-recipients'], // 452 #4.5.3 Too many recipients.
  ])('per-client limits: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it('a count said of what the mailbox holds is no rate', () => {
    expect(
      classifyReply('rcpt', parseReply('552 5.2.2 Number of messages in mailbox exceeded\r\n')),
    ).toMatchObject({
      reason: 'mailbox_full',
    });
    expect(
      classifyReply('rcpt', parseReply('552 Number of messages in mailbox exceeded the limit\r\n')).reason,
    ).not.toBe('rate_limited');
  });

  it.each<Case>([
    // NetEase's reply tags, often the reply's only words.
    [1173, 'UNKNOWN', 'blocked', 'netease-refusal-tag'], // 451 DT:SPM ,please try again
    [1175, 'UNKNOWN', 'blocked', 'netease-refusal-tag'], // 421 HL:REP
    [1179, 'UNKNOWN', 'blocked', 'netease-refusal-tag'], // 450 WM:BLU
    [1177, 'UNKNOWN', 'rate_limited', 'netease-rate-tag'], // 450 RP:DRC
    // near miss: another filter's tags (af) are not NetEase's and keep their own reading
    [1347, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 U:NMBC,NF,!S:ST/ (Mail box does not exist)
  ])("NetEase's reply tags: #%i → %s %s", (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Greylisting said under a 5xx (or a quote read as one): a deferral, whatever cause of it the text names.
    [1287, 'UNKNOWN', 'greylisted', 'greylisted-permanent-code'], // … previously greylisted … listed in zen.spamhaus.org
    [1289, 'UNKNOWN', 'greylisted', 'greylisted-permanent-code'], // Deferred due to greylisting. … SPF: 'neutral'
    [1260, 'UNKNOWN', 'greylisted', 'greylisted-permanent-code'], // Email greylisted, please come back later
    [875, 'UNKNOWN', 'greylisted', 'greylisted-permanent-code'], // 550 5.7.1 … failed grey listing (round 5)
    // near misses: a 4xx greylister keeps its row; a 5xx retry-later without the word stays no verdict
    [1237, 'UNKNOWN', 'greylisted', 'greylisted'], // 451 4.7.1 Greylisting in action, please come back later
    [1286, 'UNKNOWN', 'unexpected_response', 'server-fault-wording'], // Mail is suspicious. Please retry later.
  ])('greylisting under a 5xx: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // A check that met a temporary error is no refusal of us, though it names SPF.
    [1320, 'UNKNOWN', 'temporary_failure', 'check-temporary-error'], // 451 #4.4.3 Temporary error … SPF verification.
    [508, 'UNKNOWN', 'temporary_failure', 'check-temporary-error'], // 451 4.7.23 SPF authentication failed with a temporary error
    [502, 'UNKNOWN', 'temporary_failure', 'check-temporary-error'], // 451 4.7.1 I/O error during policy check
    [485, 'UNKNOWN', 'temporary_failure', 'check-temporary-error'], // 454 4.7.0 Internal error during policy check
    [626, 'UNKNOWN', 'temporary_failure', 'check-temporary-error'], // 451 4.3.0 DKIM signing failed
    // near miss: the same check failing for good refuses us
    [509, 'UNKNOWN', 'blocked', 'policy-wording'], // 550 5.7.23 SPF authentication failed with a permanent error
  ])('a check with a temporary error: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // A try-later that names the server's own reason is no greylister.
    [1252, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 450 4.7.1 maintenance ongoing, try again later
    [1354, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 451 D/ (Replicating, please try again later)
    [1351, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 451 RC/ (Mail box is temporarily unavailable, …)
    [1350, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 451 !U:NMBC,NF,E/ (Your data is verifying, …)
    // the same class in earlier rounds' words: the server's load or state
    [154, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 451 System(u) busy, try again later.
    [268, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 451 … Resources temporarily unavailable. Please try again later
    [516, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 451 4.4.5 High load, try again later
    // near misses: Mimecast's greylisting words and a bare greylister stay greylisted
    [1313, 'UNKNOWN', 'greylisted', 'try-later'], // 451 Internal resource temporarily unavailable
    [1326, 'UNKNOWN', 'greylisted', 'greylisted'], // 451 greylisted, try again later
  ])('try later, for a reason: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // A 421 that names a failure of the server is not a rate.
    [1218, 'UNKNOWN', 'temporary_failure', 'service-closing-temporary'], // 421 Unexpected failure, Please try later
    [1357, 'UNKNOWN', 'temporary_failure', 'service-closing-temporary'], // 421 4.3.0 Unhandled system error
    [1312, 'UNKNOWN', 'temporary_failure', 'service-closing-temporary'], // 421 Unable to process connection at this time
    [375, 'UNKNOWN', 'temporary_failure', 'service-closing-temporary'], // 421 4.3.5 Server configuration problem
    [605, 'UNKNOWN', 'temporary_failure', 'service-closing-temporary'], // 421 Too busy; please try again later
    [362, 'UNKNOWN', 'temporary_failure', 'service-closing-temporary'], // 421 unable to verify recipient (#4.3.0)
    // near miss: a 421 for too many connections stays a rate
    [1213, 'UNKNOWN', 'rate_limited', 'too-many-connections'],
  ])('a 421 for a failure of the server: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Refusals of us in words the lexicon lacked: TLS demanded (under x.2.2), failed logins, HELO, local users only.
    [1272, 'UNKNOWN', 'blocked', 'policy-wording'], // 451 4.2.2 Server accepts messages only on TLS connection
    [1174, 'UNKNOWN', 'blocked', 'policy-wording'], // 451 … too much fail authentication
    [1156, 'UNKNOWN', 'blocked', 'policy-wording'], // 550 R1: HELO should be a FQDN or address literal
    [1284, 'UNKNOWN', 'blocked', 'policy-wording'], // HELO error: Polite folks say HELO first!
    [1231, 'UNKNOWN', 'blocked', 'weak-refusal-wording'], // 550 5.8.1 Local user only.
    // near misses: x.2.2 with quota words is a full mailbox; a temporary auth failure and AUTH command counts (a rate)
    // are no refusal; "say HELO first" under a command error is a sequence error; a local user not found is proof
    [1214, 'UNKNOWN', 'mailbox_full', 'mailbox-full-code'], // 422 4.2.2 Quota limit exceeded
    [517, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 454 4.7.0 Temporary authentication failure
    [387, 'UNKNOWN', 'rate_limited', 'rate-wording'], // 450 4.7.1 Error: too many AUTH commands from … (anvil)
    [680, 'UNKNOWN', 'unexpected_response', 'command-not-understood'], // 503 5.0.0 Polite people say HELO first
    [414, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 Local User [x] not found.
  ])('refusals of us in new words: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // A 554 that names an error of the transaction, the message or the delivery is no refusal of us.
    [1159, 'UNKNOWN', 'unexpected_response', 'transaction-error-554'], // 554 5.5.1 Error: no valid recipients
    [1275, 'UNKNOWN', 'unexpected_response', 'transaction-error-554'], // 554 5.0.0 Permanent message delivery failure
    [1360, 'UNKNOWN', 'unexpected_response', 'transaction-error-554'], // 554 permanent problems with the remote server
    // near misses: a bare "Transaction failed" or "Message refused" stays a refusal
    [144, 'UNKNOWN', 'blocked', 'transaction-failed-554'],
    [136, 'UNKNOWN', 'blocked', 'transaction-failed-554'],
  ])('a 554 for an error of the transaction: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // A Postfix access(5) action quoted without a code is read as the reply Postfix sends for it.
    [1256, 'UNKNOWN', 'blocked', 'policy-code'], // REJECT who is that? → 554 5.7.1
    [1257, 'UNKNOWN', 'blocked', 'policy-code'], // REJECT only secure.trust.local please → 554 5.7.1
    [1259, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // DEFER maintenance time - please try again later → 450 4.7.1
    // near misses: the action's words still decide before its code (a rate, a blocklist)
    [1250, 'UNKNOWN', 'rate_limited', 'sending-limit'], // REJECT limit of 200 exceeded [201 hits]
    [1255, 'UNKNOWN', 'blocked', 'policy-wording'], // REJECT listed on dnsbl …
  ])('postfix access actions in policy daemons’ documentation: #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe('guards that keep the new wording from proving too much', () => {
  it.each([
    '550 5.1.1 <probe@x.example>: Sender address rejected: undeliverable address: host x.example said: 550 5.1.1 <probe@x.example> does not exist',
    '553 5.1.8 <probe@mailprobe.example>... Domain of sender address probe@mailprobe.example does not exist',
    '550 host mx.example.com does not exist',
    // Mail.ru via mailout.ru (corpus #314, the held-out false INVALID, fixed after the measurement).
    '550 message sending for this account is disabled',
    "553 sorry, that domain isn't in my list of allowed rcpthosts; relaying for your IP is denied, authenticate first",
    // Interia via its help page (corpus #466, the round-3 held-out false INVALID, fixed after the measurement).
    '550 5.2.1 Mailbox not available',
    '550 5.2.1 <user@example.com>: Requested action not taken: mailbox unavailable',
  ])('%s is no proof', (text) => {
    expect(classifyReply('rcpt', parseReply(text)).status).toBe('UNKNOWN');
  });

  it.each(['550 USER UNKNOW', '550 ** Recipent does not exsist **', '550 Unknown address'])(
    'misspelt or shouted "%s" is still proof',
    (text) => {
      expect(classifyReply('rcpt', parseReply(text))).toMatchObject({
        status: 'INVALID',
        reason: 'mailbox_not_found',
      });
    },
  );
});

describe('the development split of the corpus', () => {
  it('agrees on status for at least 99% of its rows, with no false INVALID or VALID', () => {
    const rows = [...corpus.values()].filter((candidate) => candidate.split === 'dev');
    const verdicts = rows.map((candidate) => ({
      id: candidate.id,
      label: candidate.status,
      got: classifyReply('rcpt', parseQuotedReply(candidate.reply)).status,
    }));
    const falseInvalid = verdicts.filter(
      (verdict) => verdict.got === 'INVALID' && verdict.label !== 'INVALID',
    );
    const falseValid = verdicts.filter((verdict) => verdict.got === 'VALID' && verdict.label !== 'VALID');
    const agreeing = verdicts.filter((verdict) => verdict.got === verdict.label).length;
    expect({ falseInvalid, falseValid }).toEqual({ falseInvalid: [], falseValid: [] });
    expect(agreeing / rows.length).toBeGreaterThanOrEqual(0.99);
  });
});

describe('round 6: Italian, and German beside English (development rows)', () => {
  it.each<Case>([
    // Aruba PEC (guide.pec.it): "unknown, or not enabled to receive uncertified mail" — two causes, no proof
    [1189, 'UNKNOWN', 'unexpected_response', 'hedged-mailbox-wording'],
    // Aruba PEC: "IP address blocked temporarily for suspected abuse" — a refusal of us
    [1190, 'UNKNOWN', 'blocked', 'policy-wording'],
    // bytecamp.net: a full mailbox, said in English and in German
    [1214, 'UNKNOWN', 'mailbox_full', 'mailbox-full-code'],
    // bytecamp.net: classified as spam, in English and in German
    [1215, 'UNKNOWN', 'blocked', 'policy-wording'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe('round 7: qmail rcpthosts, states said to hold now, "not defined", locked addresses (development rows)', () => {
  const classifyText = (text: string) => classifyReply('rcpt', parseQuotedReply(text));

  it.each<Case>([
    // Mail-Toaster-6 (Haraka's log of qmail): the domain is not in the MX's rcpthosts — the domain is not taken there
    [1532, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'],
    // AT&T WorldNet: "Mailbox currently suspended" — a state said to hold now, not for good
    [1380, 'UNKNOWN', 'temporary_failure', 'mailbox-temporarily-disabled'],
    // MailEnable: "recipient is not defined in address map"
    [1473, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    // pl.com.uy: "Recipient address rejected: Address locked or deactivated" — both branches are states of the mailbox
    [1597, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'],
    // 21cn via help.szhot.com: the echoed address lost before "is now disabled"
    [1495, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'],
    [1561, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near misses: a domain the server says it does not host (no relay list) is still proof …
    [1118, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'],
    // … and a suspension not said to hold "currently" is still a disabled mailbox.
    [128, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    // Not defined, locked or disabled, but said of the sender, our IP, the return address or a service.
    '550 Sender is not defined in address map',
    '550 Host is not defined',
    '550 Sender address locked',
    '550 Return address deactivated',
    '550 Your IP address is currently blocked',
    '550 SMTP AUTH is now disabled',
    '550 is now disabled temporarily',
  ])('%s is no proof', (text) => {
    expect(classifyText(text).status).toBe('UNKNOWN');
  });
});

describe('round 7: what a 421 says it is (development rows)', () => {
  it.each<Case>([
    // logsat.com: our IP is blocked, for a while — a refusal of us, not a rate
    [1582, 'UNKNOWN', 'blocked', 'service-closing-refusal'],
    // pl.com.uy: a reply that starts with "Blocked"
    [1600, 'UNKNOWN', 'blocked', 'service-closing-refusal'],
    // zytzagoo/smtp-validate-email#9: intrusion prevention
    [1507, 'UNKNOWN', 'blocked', 'service-closing-refusal'],
    // sendgrid-python#933: deferred because of complaints — reputation
    [1574, 'UNKNOWN', 'blocked', 'service-closing-refusal'],
    // RFC 5321's own 421 text, after Microsoft's banner
    [1464, 'UNKNOWN', 'temporary_failure', 'service-closing-temporary'],
    // Yahoo's GL01: "Message from (…) temporarily deferred", nothing after it
    [1401, 'UNKNOWN', 'temporary_failure', 'service-closing-temporary'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near misses: Cox's "cmsmtp blocked" is its connection limit, Yahoo's TSS04 deferral is a rate.
    [1389, 'UNKNOWN', 'rate_limited', 'service-closing'],
    [922, 'UNKNOWN', 'rate_limited', 'service-closing'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it('Yahoo\'s "temporarily deferred due to unexpected volume or user complaints" stays a rate', () => {
    const reply = parseReply(
      '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints\r\n',
    );
    expect(classifyReply('rcpt', reply)).toMatchObject({ status: 'UNKNOWN', reason: 'rate_limited' });
  });
});

describe('round 7: refusals of us in other words (development rows)', () => {
  it.each<Case>([
    [1513, 'UNKNOWN', 'blocked', 'policy-wording'], // icglink: 550 Sorry, no access for this domain
    [1519, 'UNKNOWN', 'blocked', 'policy-wording'], // … rejected your return address
    [1390, 'UNKNOWN', 'blocked', 'policy-wording'], // Cox: … AUP#CXSNDR
    [1436, 'UNKNOWN', 'blocked', 'policy-wording'], // Zoho: 552 5.7.1 virus … detected
    [1484, 'UNKNOWN', 'blocked', 'policy-wording'], // 550 Message contained unsafe content
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near miss: "no access for this user" names the recipient, not us — labelled blocked, left to the lexicon's
    // weaker rows rather than taught as a refusal of us.
    [1514, 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    // A message too large is about the message, not about us.
    [45, 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe("rounds 7 and 8's held-out misses, fixed after their one measurement (figures after looking)", () => {
  it.each<[reply: string, status: string, reason: string, rule: string]>([
    // #1525 (a hoster's page): a protocol error under x.1.1 says nothing about the mailbox
    ['550 5.1.1 : Protocol error', 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'],
    // near miss: protocol words beside missing-mailbox words leave the proof standing
    ['554 5.1.1 protocol error: user unknown', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'],
    // #1604 (a forum thread, code-less as quoted): "addressee" misspelt with one d
    ['550 Adressee Unknown', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    // near miss: the noun alone, without "unknown", proves nothing
    ['550 Adressee', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    // #1676 (ZeptoMail's documentation): an x.2.1 code whose words are about the message's subject line
    ['550 5.2.1 Subject is Mandatory.', 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'],
    // near miss: x.2.1 with words about the mailbox stays proof, even when an echoed domain says "subject"
    [
      '550 5.2.1 <user@subject.example> account disabled',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-code',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classifyReply('rcpt', parseQuotedReply(reply))).toMatchObject({ status, reason, rule });
  });
});

describe("round 9's held-out misses, fixed after its one measurement (figures after looking)", () => {
  it.each<[reply: string, status: string, reason: string, rule: string]>([
    // #2010 (a support page, the address dropped before its colon): Postfix's reject_unverified_recipient in its own
    // words, under 5.1.1: the test delivery to the recipient bounced as unknown
    [
      '550 5.1.1: Recipient address rejected: undeliverable address.',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-lookup-code',
    ],
    [
      '550 5.1.1 <jane@example.com>: Recipient address rejected: undeliverable address: host mx.example.com[192.0.2.7] said: 550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown in local recipient table',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-lookup-code',
    ],
    // near misses: the sender's address unverified, a bounce for another cause (its own code kept), a 4xx
    [
      '550 5.1.1 <probe@x.example>: Sender address rejected: undeliverable address: host x.example said: 550 5.1.1 <probe@x.example> does not exist',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
    [
      '550 5.7.1 <jane@example.com>: Recipient address rejected: undeliverable address: host mx.example.com said: 550 5.7.1 relaying denied',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
    [
      '450 4.1.1 <jane@example.com>: Recipient address rejected: undeliverable address: connect to mx.example.com[192.0.2.7]:25: Connection refused',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
    // #2043 (a university's help page, code-less as quoted): the recipient's name not recognised
    ['The recipient name is not recognised', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    ['550 Recipient address not recognized', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    // near misses: the sender not recognised, a command not recognised
    ['550 Sender not recognised', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    ['500 5.5.2 Error: command not recognized', 'UNKNOWN', 'unexpected_response', 'command-not-understood'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classifyReply('rcpt', parseQuotedReply(reply))).toMatchObject({ status, reason, rule });
  });
});

describe('a reply that asks us to try again later proves nothing permanent', () => {
  it.each<Case>([
    // #1286 (development, Exim4U's greylisting config): "Please retry later" under a 5xx
    [1286, 'UNKNOWN', 'unexpected_response', 'server-fault-wording'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<[reply: string, status: string, reason: string, rule: string]>([
    // a lock or a disabled state that may lift is no proof of a disabled mailbox
    ['550 5.7.1 Account locked, try again later', 'UNKNOWN', 'unexpected_response', 'server-fault-wording'],
    ['550 5.2.1 Mailbox disabled. Retry later.', 'UNKNOWN', 'unexpected_response', 'server-fault-wording'],
    // near misses: "try again" without "later" is the usual hint of a mistyped address, and keeps the proof
    [
      '550 5.1.1 User unknown, please check the address and try again',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
    ['550 5.2.1 Mailbox disabled', 'INVALID', 'mailbox_disabled', 'mailbox-disabled-code'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classifyReply('rcpt', parseQuotedReply(reply))).toMatchObject({ status, reason, rule });
  });
});

describe('round 8: wording the classifier had not met (development rows)', () => {
  it.each<Case>([
    // A sending service's own object said not to exist under x.1.1 (Redmao): not the recipient.
    [1657, 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'], // 550 5.1.1 The campaign does not exist
    // "rcptto" is the recipient (Alibaba DirectMail's invalid-address list): an invalid recipient, unhedged.
    [1642, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 559 Invalid rcptto
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near miss: the recipient's account said not to exist under x.1.1 stays proof.
    [1656, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'], // … recipient account … does not exist
    // Near miss: "rcptto" beside a refusal of us ("Honeypot rcptto") is no proof.
    [1649, 'UNKNOWN', 'blocked', 'policy-wording'],
    // Near miss: "Invalid recipient" under a policy code, with a length limit beside it, is no proof.
    [1655, 'UNKNOWN', 'blocked', 'policy-code'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe('round 8: what refusals and limits say they are (development rows)', () => {
  it.each<Case>([
    // Our authentication failed, or the sender does not match it: a refusal of us, even under 4xx.
    [1736, 'UNKNOWN', 'blocked', 'policy-wording'], // 451 Authentication failed: Could not authenticate
    [1639, 'UNKNOWN', 'blocked', 'policy-wording'], // 436 "MAIL FROM" doesn't conform with authentication …
    // A concurrency limit is too many connections from us.
    [1705, 'UNKNOWN', 'rate_limited', 'too-many-connections'], // 421 4.4.5 … concurrency limit reached
    // "the number of allowed outgoing messages was exceeded": a count limit on what we send.
    [1722, 'UNKNOWN', 'rate_limited', 'sending-limit'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near miss: an authentication check that failed for now is a fault of the moment, not a refusal.
    [508, 'UNKNOWN', 'temporary_failure', 'check-temporary-error'], // 451 4.7.23 SPF authentication failed with a temporary error
    // Near miss: a 421 deferral with no limit named stays a fault of the moment.
    [1669, 'UNKNOWN', 'temporary_failure', 'service-closing-temporary'],
    // Near miss: a per-session recipient maximum that is only "reached", not a count "exceeded", is not a sending limit.
    [354, 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe('round 8: refusals of us named in other words, and a sequence error (development rows)', () => {
  it.each<Case>([
    // The recipient blocked our mail (Korean: "수신차단" — reception blocked).
    [1618, 'UNKNOWN', 'blocked', 'policy-wording'],
    // Our From address invalidated (an ESP).
    [1628, 'UNKNOWN', 'blocked', 'policy-wording'], // 550 Invalidated From address
    // A honeypot names a trap for senders, not a mailbox.
    [1649, 'UNKNOWN', 'blocked', 'policy-wording'], // 561 Honeypot rcptto
    // RCPT before MAIL FROM: an error in the order of commands, not a refusal of us.
    [1703, 'UNKNOWN', 'unexpected_response', 'command-sequence-wording'], // 503 RCPT TO without MAIL FROM
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near miss: a 503 that refuses relaying is still a refusal of us, not a sequence error.
    [619, 'UNKNOWN', 'blocked', 'policy-wording'], // 503 5.7.1 Relay not allowed
    // Near miss: a 503 whose own words say no such user stays proof.
    [1038, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    // Near miss: a spam trap named beside a block was already a refusal of us; it stays one.
    [164, 'UNKNOWN', 'blocked', 'policy-wording'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe('round 9: the recipient’s name said to be unknown (development rows)', () => {
  it.each<Case>([
    // "user name is unknown" (a Japanese ISP's list of bounce reasons): the recipient's name, not ours, is unknown.
    [1978, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near miss, same page: a host name that is unknown is DNS, not the recipient.
    [1979, 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    // Near miss: the authenticated user name beside the sender is a refusal of us.
    [1037, 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    ['550 Username unknown', 'INVALID'],
    ['550 Mailbox name not found', 'INVALID'],
    ['550 Your user name is unknown', 'UNKNOWN'],
    ['550 Sender user name unknown', 'UNKNOWN'],
    ['550 Domain name unknown', 'UNKNOWN'],
  ] as const)('"%s" → %s', (text, status) => {
    expect(classifyReply('rcpt', parseReply(text)).status).toBe(status);
  });
});

describe('round 9: a mailbox code beside "recipient lookup failed" (development rows)', () => {
  it.each<Case>([
    // Postfix's reject_unverified_recipient as Proxmox configures it: 550 only for a probe that bounced, and the
    // probe's own 5.1.1 kept. The lookup of the recipient came back empty; the code says so.
    [1788, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-lookup-code'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near miss: a lookup in a map of the server's that failed is the server's fault, even under 5.1.1.
    [117, 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'],
    // Near miss: a temporary lookup failure stays a fault of the moment.
    [662, 'UNKNOWN', 'temporary_failure', 'other-4xx'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    // Without a mailbox code the words alone prove nothing.
    ['550 Recipient address lookup failed', 'UNKNOWN'],
    ['550 5.7.1 Recipient address lookup failed', 'UNKNOWN'],
    ['450 4.1.1 Recipient address lookup failed', 'UNKNOWN'],
    // A lookup that errored, or a server named beside it, is the server's fault.
    ['550 5.1.1 Recipient address lookup error', 'UNKNOWN'],
    ['550 5.1.1 Recipient lookup failed: LDAP server unavailable', 'UNKNOWN'],
    ['550 5.1.1 Recipient lookup failed temporarily', 'UNKNOWN'],
    ['550 5.1.1 Sender address lookup failed', 'UNKNOWN'],
  ] as const)('"%s" → %s', (text, status) => {
    expect(classifyReply('rcpt', parseReply(text)).status).toBe(status);
  });
});

describe('round 9: what limits, checks and refusals say they are (development rows, reasons)', () => {
  it.each<Case>([
    // A rate of what we send, in words no row knew: an hourly "send rate", a "traffic quota", "too many emails",
    // a limit on concurrent connections under a 4xx that is not 421.
    [2034, 'UNKNOWN', 'rate_limited', 'sending-limit'], // HST-RTE: Hourly send rate exceeded, retry later.
    [1794, 'UNKNOWN', 'rate_limited', 'sending-limit'], // … smtp traffic quota has been exceeded
    [1902, 'UNKNOWN', 'rate_limited', 'rate-wording-permanent'], // … is sending too many emails - rate overlimit …
    [1913, 'UNKNOWN', 'rate_limited', 'rate-wording'], // 432 4.3.2 Concurrent connections limit exceeded.
    // An SPF check that could not be completed for now: a fault of the moment, not a refusal of us.
    [1865, 'UNKNOWN', 'temporary_failure', 'check-temporary-error'], // temporary error when checking the SPF policy
    [2045, 'UNKNOWN', 'temporary_failure', 'check-temporary-error'], // 451 SPF lookup failure (#4.3.0)
    // The content of what we would send, refused: a refusal of us, not a topic beside the mailbox.
    [1885, 'UNKNOWN', 'blocked', 'policy-wording'], // 550 Error: content rejected.http://mail.qq.com/…
    [1998, 'UNKNOWN', 'blocked', 'policy-wording'], // Message content rejected
    [461, 'UNKNOWN', 'blocked', 'policy-wording'], // 550 Error: content rejected (round 3)
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near miss: a system limit beside a full mailbox stays what it was, not a rate.
    [42, 'UNKNOWN', 'mailbox_full', 'mailbox-full-code'],
    // Near miss: a recipient limit that names SPF is still the transaction's limit, not a failed check.
    [546, 'UNKNOWN', 'temporary_failure', 'too-many-recipients-code'], // 452 4.5.3 only one recipient allowed without spf pass
    // Near miss: the DATA size limit is not a content refusal.
    [1641, 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    ['550 5.1.1 User unknown: too many emails in the mailbox', 'INVALID'],
    ['552 5.2.2 Mailbox quota has been exceeded', 'UNKNOWN'],
    ['550 5.7.1 SPF lookup failure', 'UNKNOWN'],
  ] as const)('"%s" → %s', (text, status) => {
    expect(classifyReply('rcpt', parseReply(text)).status).toBe(status);
  });
});

describe('round 9: refusals of us in words no row knew (development rows, reasons)', () => {
  it.each<Case>([
    // Unsolicited mail or unusual sending activity detected from us: a refusal of us, not a topic beside the mailbox.
    [2018, 'UNKNOWN', 'blocked', 'policy-wording'], // … unusual amount of unsolicited email originating from your address
    [1927, 'UNKNOWN', 'blocked', 'policy-wording'], // 550 5.4.6 Unusual sending activity detected. …
    // Our access to the system refused.
    [1964, 'UNKNOWN', 'blocked', 'policy-wording'], // Your access to submit messages to this e-mail system has been rejected
    // Our (sender) domain has no DNS or MX: a check of us, at 5xx and at 421.
    [1810, 'UNKNOWN', 'blocked', 'policy-wording'], // 505 Your domain has not DNS/MX entries
    [1762, 'UNKNOWN', 'blocked', 'service-closing-refusal'], // 421 Refused. The domain of your sender address has no mail exchanger (MX).
    // A refusal with no mailbox words: mail refused, not welcome, use forbidden.
    [1996, 'UNKNOWN', 'blocked', 'refusal-wording'], // 550 5.5.0 Mail refused
    [1997, 'UNKNOWN', 'blocked', 'refusal-wording'], // This Message is not welcome
    [1809, 'UNKNOWN', 'blocked', 'refusal-wording'], // 551 Server use forbidden
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near miss: an unusual rate of unsolicited mail under 421 stays the rate it was labelled.
    [1942, 'UNKNOWN', 'rate_limited', 'service-closing'],
    // Near miss: the recipient's domain with no mail exchanger is no refusal of us.
    [1853, 'UNKNOWN', 'temporary_failure', 'other-4xx'], // 451 4.4.3 cannot find a mail exchanger for example.net
    // Near miss: a bare "Message rejected" stays unexplained (labelled so): only "refused" is added.
    [737, 'UNKNOWN', 'unexpected_response', 'other-5xx'],
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    // Mailbox words beside a weak refusal keep their proof.
    ['550 5.1.1 User unknown, mail refused', 'INVALID'],
    ['550 No such user here - access forbidden', 'INVALID'],
  ] as const)('"%s" → %s', (text, status) => {
    expect(classifyReply('rcpt', parseReply(text)).status).toBe(status);
  });
});

describe('round 9: our own account, and a filter rule (development rows)', () => {
  it.each<Case>([
    // The sending service's account (ours) not yet activated: a refusal of us (Brevo, quoted in an issue thread).
    [1908, 'UNKNOWN', 'blocked', 'policy-wording'],
    // The message matched a filter rule of the recipient's system: a refusal of our message.
    [2003, 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // Near miss: the recipient's account not activated stays proof of a disabled mailbox.
    [127, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'], // 550 <x>... User account not activated
    // Near miss: the same refusal of our account under 5.7.0 was already a refusal (by its code); it stays one.
    [1909, 'UNKNOWN', 'blocked', 'policy-wording'], // 502 5.7.0 Your SMTP account is not yet activated
  ])('near miss #%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    // "Your account" is the sender's, never the recipient's: no proof, whatever state it is in.
    ['550 Your SMTP account has been suspended', 'UNKNOWN'],
    ['550 Your account has been disabled', 'UNKNOWN'],
    ['550 5.2.1 Your account is disabled', 'UNKNOWN'],
    ['550 Account disabled', 'INVALID'],
    ['550 5.2.1 The account you tried to reach is disabled', 'INVALID'],
  ] as const)('"%s" → %s', (text, status) => {
    expect(classifyReply('rcpt', parseReply(text)).status).toBe(status);
  });
});

describe('round 9: a 554 about the recipient address’s form or a delay (development rows, reasons)', () => {
  it.each<Case>([
    // spamdyke's refusal of an unqualified recipient: a complaint about the address's form, not a refusal of us.
    [1754, 'UNKNOWN', 'unexpected_response', 'transaction-error-554'], // 554 Improper recipient address. Try supplying a domain name.
    // A delay announced under 554: an error of the delivery, not a refusal.
    [1823, 'UNKNOWN', 'unexpected_response', 'transaction-error-554'], // 554 There will be a delay in delivery of this message.
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    // The sender's address's form is a refusal of us, and "invalid recipient" stays proof.
    ['554 Malformed sender address', 'UNKNOWN', 'blocked'],
    ['554 Invalid recipient', 'INVALID', 'mailbox_not_found'],
    ['554 Improper recipient address: no such user', 'INVALID', 'mailbox_not_found'],
  ] as const)('"%s" → %s %s', (text, status, reason) => {
    expect(classifyReply('rcpt', parseReply(text))).toMatchObject({ status, reason });
  });
});

describe('round 9: a link to an IP-reputation operator names a refusal of us (development rows)', () => {
  it.each<Case>([
    // Commtouch (now Cyren) runs an IP-reputation service; a deferral that points at its check page refuses our IP.
    [1799, 'UNKNOWN', 'blocked', 'policy-wording'],
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it('reads only the operator’s own site as a blocklist, not a look-alike host', () => {
    expect(serverWording('check at http://www.commtouch.com/Site/Resources/Check_IP_Reputation.asp')).toBe(
      'check at dnsbl',
    );
    expect(serverWording('see http://commtouch.example.org/help')).toBe('see ~');
  });
});

describe('round 9: a refusal of our null sender (development rows)', () => {
  it.each<Case>([
    // Qsmtp: a bounce (null sender, as the prober may send) to several recipients refused — about our sender.
    [1869, 'UNKNOWN', 'blocked', 'weak-refusal-wording'], // 550 5.5.3 bounce messages must not have more than one recipient
    [977, 'UNKNOWN', 'blocked', 'weak-refusal-wording'], // 550 mailing lists do not accept null senders
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it('keeps mailbox words beside it as proof', () => {
    expect(
      classifyReply('rcpt', parseReply('550 5.1.1 User unknown; bounce messages are not accepted')),
    ).toMatchObject({ status: 'INVALID', reason: 'mailbox_not_found' });
  });
});

describe('round 20: a mailing list that does not exist, a retired domain (development rows)', () => {
  it.each<Case>([
    [3458, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 Mailing list wikitech-l does not exist.
    [3583, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 There is no mailing list with this name
    [3608, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'], // 550 The domain example.com is no longer supported
    [3609, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'], // 550 The domain example.com is obsolete
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    '550 Sender is not in the mailing list',
    '550 5.7.1 You are not a member of this mailing list',
    '550 Your domain is no longer supported',
    '550 Sender domain is obsolete',
  ])('near miss: %s stays UNKNOWN', (text) => {
    expect(classifyReply('rcpt', parseReply(`${text}\r\n`)).status).toBe('UNKNOWN');
  });
});

describe("rounds 20–23's development rows under 550 5.1.1 (the code-swap audit): their words name another cause", () => {
  it.each([
    3772, // 550 5.7.1 can't identify domain in `From: news@'
    3774, // 451 4.7.0 unknown failure
    3818, // 451 Requested action aborted: invalid state
    3647, // 443 4.7.1 <x>: Recipient address rejected: LDAP base not set.
    3651, // 554 5.7.1 <x>: Recipient address rejected: Recipient domain not resolvable: example.invalid
    3402, // 450 4.2.1 Mailbox busy
    3565, // 550 5.1.4 Requested action not taken: Destination mailbox address ambiguous
    3584, // 500 Invalid RCPT TO argument.
    3596, // 450 try this address in the next batch
    3459, // 550 Cannot route to remote domain example.invalid
    3489, // 554 5.7.1 <x>: Recipient address rejected: You have exceeded your Outmail quota.
  ])('#%i stays UNKNOWN under 550 5.1.1', (id) => {
    expect(row(id).status).toBe('UNKNOWN');
    const swapped = parseReply(`550 5.1.1 ${parseQuotedReply(row(id).reply).text}\r\n`);
    expect(classifyReply('rcpt', swapped).status).toBe('UNKNOWN');
  });

  it('keeps missing-mailbox words under 5.1.1 as proof', () => {
    for (const text of ['550 5.1.1 Mailbox unknown', '550 5.1.1 Invalid recipient']) {
      expect(classifyReply('rcpt', parseReply(`${text}\r\n`)).status).toBe('INVALID');
    }
  });
});

describe('round 21: an account expired and not accepting mail, an address that accepts no mail (development rows)', () => {
  it.each<Case>([
    [3665, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'], // 550 User account expired and not accepting mail.
    // 554 5.7.1 <x>: Recipient address rejected: This tracker does not accept email submissions.
    [3633, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-policy-code'],
    [1011, 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'], // 550 5.1.1 This address does not accept email
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    '550 This server does not accept mail.',
    '550 This mailbox does not accept mail from you.',
    '550 The recipient does not accept unencrypted mail.',
    '550 The sender does not accept mail',
    '550 Your IP is blocked; not accepting mail',
  ])('near miss: %s stays UNKNOWN', (text) => {
    expect(classifyReply('rcpt', parseReply(`${text}\r\n`)).status).toBe('UNKNOWN');
  });
});

describe("the echoed address as the subject in the lexicons' first languages", () => {
  // Development rows whose words state the address missing, with the address echoed as the subject instead, as
  // English's "<x> does not exist" is read.
  it.each<[id: number, from: RegExp, to: string]>([
    [2548, /^Questo indirizzo/, '<anna@example.it>'], // 550 Questo indirizzo non esiste
    [2839, /mailbox .* unavailable \(邮箱不存在\)/, '<user@example.cn>不存在'], // 550 mailbox <x> unavailable (邮箱不存在)
  ])('#%i with the echo as its subject reads as sent', (id, from, to) => {
    const echoed = reworded(id, (text) => text.replace(from, to));
    expect(echoed.text).toContain(to);
    expect(classifyReply('rcpt', echoed)).toMatchObject({ status: 'INVALID', reason: row(id).reason });
  });

  it.each([
    '550 <john@example.com> existiert nicht',
    "550 <john@example.com> n'existe pas",
    '550 <john@example.com> não existe',
    '550 <john@example.com> bestaat niet',
    '550 <john@example.com> nie istnieje',
    '550 <john@example.com> не существует',
    '550 <john@example.com>は存在しません',
  ])('%s is INVALID', (text) => {
    expect(classifyReply('rcpt', parseReply(`${text}\r\n`)).status).toBe('INVALID');
  });

  it.each([
    '550 Absender <john@example.com> existiert nicht',
    '550 Expéditeur <john@example.com> inconnu',
    '550 El remitente <john@example.com> no existe',
    '550 发件人<john@example.com>不存在',
    '550 Отправитель <john@example.com> не существует',
    '550 送信者<john@example.com>は存在しません',
  ])('near miss, the sender echoed: %s stays UNKNOWN', (text) => {
    expect(classifyReply('rcpt', parseReply(`${text}\r\n`)).status).toBe('UNKNOWN');
  });
});

describe('round 22: a domain the server alone takes mail for, and mail refused from a host (development rows)', () => {
  it.each<Case>([
    // 550 Only the domains ["ahem.email"] are allowed to receive mail
    [3740, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'],
    // 554 5.7.1 <x>: Recipient address rejected: We do not accept mail for example.com from 192.0.2.10. Please send to MX records!
    [3684, 'UNKNOWN', 'blocked', 'policy-code'],
    [3685, 'UNKNOWN', 'blocked', 'policy-code'], // … from 192.0.2.10 with name mail.example.net. Please use the official mail servers!
    // relabelled by documented decisions before any rule changed (their notes say why)
    [3716, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 Invalid Mailbox
    [3736, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 551 user not local; please try <forward-path>
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    '550 Only authenticated users are allowed to send mail',
    '550 Only the domains ["a.example"] are allowed to receive mail from you',
    '550 We do not accept mail for example.com from your IP',
  ])('near miss: %s stays UNKNOWN', (text) => {
    expect(classifyReply('rcpt', parseReply(`${text}\r\n`)).status).toBe('UNKNOWN');
  });
});

describe('the recipient domain named with "does not accept mail" (RFC 7505 null MX, after round 23)', () => {
  // Round 23's held-out vert.x reply, read after its measurement; the words of RFC 7505 with the domain named.
  it.each([
    '556 5.1.10 <foo@example.com>: Recipient address rejected: Domain example.com does not accept mail (nullMX)',
    '550 Domain example.org does not accept mail',
  ])('%s is a domain not hosted', (text) => {
    expect(classifyReply('rcpt', parseReply(`${text}\r\n`))).toMatchObject({
      status: 'INVALID',
      reason: 'mailbox_not_found',
      rule: 'domain-not-hosted',
    });
  });

  it.each([
    '550 Your domain example.com does not accept mail',
    '550 Sender domain example.com does not accept mail',
    '550 Domain example.com does not accept mail from your IP',
  ])('near miss: %s stays UNKNOWN', (text) => {
    expect(classifyReply('rcpt', parseReply(`${text}\r\n`)).status).toBe('UNKNOWN');
  });
});

describe('round 24: one address alone allowed to receive mail is an allow list, not a domain not hosted (development rows)', () => {
  it.each<Case>([
    [3889, 'UNKNOWN', 'unexpected_response', 'other-5xx'], // 550 Only to@localhost.com is allowed to receive mail
    [3740, 'INVALID', 'mailbox_not_found', 'domain-not-hosted'], // 550 Only the domains ["ahem.email"] are allowed …
    // relabelled by the documented 551 decision before any rule changed (its note says why)
    [3877, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 551 User not local; please try forward path
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });
});

describe('round 25: misspelt and idiomatic missing mailboxes, and a relay refusal beside rcpthosts (development rows)', () => {
  it.each<Case>([
    [3953, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 550 unknow mailbox
    [3935, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'], // 553 YOU MUST HAVE A WRONG NUMBER.
    // relabelled before any rule changed (their notes say why): a 421 is temporary; the documented 551 decision
    [3901, 'UNKNOWN', 'rate_limited', 'service-closing'], // 421 closing transmission - 5.1.1 User unknown: <x>
    [3905, 'INVALID', 'mailbox_not_found', 'mailbox-not-found-policy-code'], // 551 5.7.1 User not local; please try <x> directly
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  it.each([
    '550 Unknow user',
    '550 5.1.1 unknow recipient <john@example.com>',
    '550 You have the wrong number',
    '553 Sorry, you have reached a wrong number',
  ])('%s is INVALID', (text) => {
    expect(classifyReply('rcpt', parseReply(`${text}\r\n`)).status).toBe('INVALID');
  });

  it.each([
    '501 Wrong number of arguments',
    '550 You must have the wrong number of recipients',
    '550 Unknow sender',
    '550 5.1.1 Unknow sender <john@example.com>',
  ])('near miss: %s stays UNKNOWN', (text) => {
    expect(classifyReply('rcpt', parseReply(`${text}\r\n`)).status).toBe('UNKNOWN');
  });

  // Round 25's held-out qmail-tls reply, read after its measurement: the domain is not in rcpthosts, and relaying
  // ("gatewaying") needs a client certificate we lack — a refusal to relay for us, not a domain the MX disowns.
  it('a domain not in rcpthosts beside "no valid cert for gatewaying" is a relay refusal', () => {
    const read = (text: string) => classifyReply('rcpt', parseReply(`${text}\r\n`));
    expect(
      read(
        "553 sorry, that domain isn't in my list of allowed rcpthosts; no valid cert for gatewaying (#5.7.1)",
      ),
    ).toMatchObject({ status: 'UNKNOWN' });
    expect(read("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)")).toMatchObject({
      status: 'INVALID',
      rule: 'domain-not-hosted',
    });
  });
});

describe("Microsoft's DBEB refusal with its trailer, in the corpus's development rows (round 16, round 28)", () => {
  // Labelled UNKNOWN by their words, relabelled INVALID by the documented DBEB decision (their notes say why; the
  // messages round 28's rows come from say the addresses had gone). #3022 carries the stamp with Microsoft's host
  // inside it, which the rule took only after round 27.
  it.each<Case>([
    [3022, 'INVALID', 'mailbox_not_found', 'microsoft-dbeb-unknown-recipient'], // … Access denied. [~ 2023-09-18T…]
    [4152, 'INVALID', 'mailbox_not_found', 'microsoft-dbeb-unknown-recipient'], // … Access denied. AS(201806281) [~ 2023-…]
    [4155, 'INVALID', 'mailbox_not_found', 'microsoft-dbeb-unknown-recipient'], // 550 5.4.1 [x]: … Access denied [~]
  ])('#%i → %s %s', (id, status, reason, rule) => {
    expect(classifyRow(id)).toMatchObject({ status, reason, rule });
  });

  // A bounce quotes the reply with the words that follow it: Postfix's "(in reply to RCPT TO command)", a note. The
  // echo stripper reads a bracketed host followed by words as "[~ words" (the bracket is glue after an echo), and the
  // trailer must still count.
  it.each([3022, 4152, 4155])('#%i with words after its trailer is still Microsoft’s', (id) => {
    const sent = row(id).reply;
    for (const after of [' (in reply to RCPT TO command)', ' - please check the address']) {
      expect(classifyReply('rcpt', parseReply(`${sent}${after}\r\n`))).toMatchObject({
        status: 'INVALID',
        rule: 'microsoft-dbeb-unknown-recipient',
      });
    }
  });
});

describe("Postfix's \"(in reply to RCPT TO command)\" is the quoting MTA's, not the server's words", () => {
  // A Postfix bounce quotes every RCPT-time reply with it. "RCPT" is a word about the recipient, so before, it let an
  // x.1.1 decide beside words that name something else: #780's "not accepted here (#5.1.1)" read INVALID with it and
  // UNKNOWN without it (the frames check after round 28: 1 of 2,410 development replies changed with the suffix).
  it('is not among the server’s words', () => {
    expect(serverWording('User unknown (in reply to RCPT TO command)')).toBe('User unknown');
    expect(serverWording('User unknown (in reply to RCPT TO command) x')).toBe('User unknown x');
  });

  it.each([780, 17, 24, 1031])('#%i reads the same with it', (id) => {
    const sent = row(id).reply;
    expect(classifyReply('rcpt', parseQuotedReply(`${sent} (in reply to RCPT TO command)`))).toEqual(
      classifyRow(id),
    );
  });
});
