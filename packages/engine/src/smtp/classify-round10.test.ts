import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { parseReply } from './reply-parser.js';

// Round 10's development rows (packages/engine/corpus/replies.jsonl, quoted with their row id) and the near misses
// that must keep their verdict, one block per class closed.

/** Each case: the reply, the status and reason it must get, the row that must decide it. */
type Case = [reply: string, status: Status, reason: Reason, rule: string];

const classify = (text: string) => classifyReply('rcpt', parseReply(text));

describe('an address on the server’s list of refused recipients is a refusal, not proof of absence', () => {
  it.each<Case>([
    // #2214 (bruceg/mailfront plugin-qmail-validate.c): 5.1.1, but the words name a list, not a missing mailbox
    ['553 5.1.1 Sorry, that address is in my badrcptto list.', 'UNKNOWN', 'blocked', 'policy-wording'],
    // qmail's own wording of the same list
    [
      '553 sorry, your envelope recipient is in my badrcptto list (#5.7.1)',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
    // another server's wording of the same meaning
    [
      '550 5.1.1 <x@example.com>: this recipient is on our bad recipients list',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
    // #2215: the sender's list, as before
    [
      '553 5.1.0 Sorry, your envelope sender is in my badmailfrom list.',
      'UNKNOWN',
      'blocked',
      'weak-refusal-wording',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // near misses: a list of *valid* recipients the address is not on still proves it absent (#363)
    [
      '553 sorry, this recipient is not in my validrcptto list (#5.7.1)',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-policy-code',
    ],
    [
      '550 <user@example.com>: Recipient address rejected: not in recipient list',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    [
      '550 5.1.1 <x@example.com>: Recipient address rejected: User unknown',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
  ])('near miss: %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('a policy service’s 554 x.7.x that only calls the recipient invalid proves nothing', () => {
  it.each<Case>([
    // #2227–#2231 (sicherha/pykolab kolab_smtp_access_policy.py and its shipped de, fr, nl, es catalogues)
    [
      '554 5.7.1 <jdoe@example.com>: Recipient address rejected: Invalid recipient',
      'UNKNOWN',
      'unexpected_response',
      'recipient-invalid-policy-service',
    ],
    [
      '554 5.7.1 <jdoe@example.com>: Recipient address rejected: Ungültiger Empfänger',
      'UNKNOWN',
      'unexpected_response',
      'recipient-invalid-policy-service',
    ],
    [
      '554 5.7.1 <jdoe@example.com>: Recipient address rejected: Destinataire  non valide',
      'UNKNOWN',
      'unexpected_response',
      'recipient-invalid-policy-service',
    ],
    [
      '554 5.7.1 <jdoe@example.com>: Recipient address rejected: Ongeldige ontvanger',
      'UNKNOWN',
      'unexpected_response',
      'recipient-invalid-policy-service',
    ],
    [
      '554 5.7.1 <jdoe@example.com>: Recipient address rejected: Destinatario no válido',
      'UNKNOWN',
      'unexpected_response',
      'recipient-invalid-policy-service',
    ],
    // another wording of the same judgement
    [
      '554 5.7.1 <x@example.com>: Recipient address rejected: not a valid recipient',
      'UNKNOWN',
      'unexpected_response',
      'recipient-invalid-policy-service',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // near misses: absence words under the same framing still prove it (classification.md's x.7.x decisions)
    [
      '554 5.7.1 <x@example.com>: Recipient address rejected: User unknown',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-policy-code',
    ],
    [
      '554 5.7.1 <x@example.com>: Recipient address rejected: Nonexistent user',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-policy-code',
    ],
    // disabled words beside "invalid" keep their proof (the x.7.x mailbox rows decide, as before)
    [
      '554 5.7.1 <x@example.com>: Recipient address rejected: Invalid recipient, account disabled',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-policy-code',
    ],
    // #2232: the policy's refusal of us stays blocked
    [
      '554 5.7.1 <jdoe@example.com>: Recipient address rejected: Unberechtigter Zugriff nicht erlaubt',
      'UNKNOWN',
      'blocked',
      'policy-code',
    ],
    // #871: a 550 that states the recipient invalid keeps its label (not the policy-service framing)
    [
      '550 5.7.1 recipient <click-1AbCdEf-9x8y7z@example.com> invalid #245 2JAB8R5pN8H500',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-policy-code',
    ],
    // the sender called invalid is a refusal of us
    [
      '554 5.7.1 <x@example.com>: Sender address rejected: invalid sender',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
  ])('near miss: %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('a mailbox said to be absent is missing', () => {
  it.each<Case>([
    // #2184 (mbhangui/indimail-mta smtpd.c): the sender is echoed too, the recipient's mailbox is absent
    [
      '550 sorry, sender@example.net mailbox <jdoe@example.com> is absent on this domain (#5.1.1)',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
    ['550 Recipient mailbox is absent', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    // near misses: the absent thing is ours, or not the mailbox
    ['550 Sender address is absent', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    ['550 Your account is absent from our allow list', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('a mailbox locked for abuse or a policy violation is disabled, not a refusal of us', () => {
  it.each<Case>([
    // #2143 (lavabit/magma smtp.c)
    [
      '550 ACCOUNT LOCKED - THE ACCOUNT <jdoe@example.com> HAS BEEN LOCKED FOR ABUSE POLICY VIOLATIONS',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-for-cause',
    ],
    [
      '550 5.2.1 <x@example.com>: mailbox suspended due to terms of service violations',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-for-cause',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<[reply: string, status: Status]>([
    // near misses: our account, the sender, or a temporary lock stay UNKNOWN
    ['550 Your account has been suspended for abuse policy violations', 'UNKNOWN'],
    ['550 Sender account locked for abuse policy violations', 'UNKNOWN'],
    ['550 Account temporarily locked for policy violations', 'UNKNOWN'],
    ['550 5.7.1 Message rejected for policy violations', 'UNKNOWN'],
  ])('near miss: %s → %s', (reply, status) => {
    expect(classify(reply).status).toBe(status);
  });
});

describe('a 250 that says it will relay is an acceptance', () => {
  it.each<Case>([
    // #2206 (LumiSoft.MailServer VirtualServer.cs)
    ['250 User not local will relay.', 'VALID', 'accepted', 'accepted'],
    ['250 User not local; will forward to <x@example.org>', 'VALID', 'accepted', 'accepted'],
    // near miss: an acceptance whose words deny the mailbox is still not believed
    [
      '250 U:NMBC,A,S:ST/ST (Mail box does not exist)',
      'UNKNOWN',
      'unexpected_response',
      'accepted-contradicted',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('reasons: a mailbox’s quota or storage exceeded is a full mailbox', () => {
  it.each<Case>([
    // #2243 (bare 552) and #2072 (Lavabit's Magma, no code)
    ['552 mailbox quota limit exceeded', 'UNKNOWN', 'mailbox_full', 'mailbox-full-wording'],
    // (the corpus row carries no code; here under a 552)
    ['552 Allocated mailbox storage exceeded (#1.02)', 'UNKNOWN', 'mailbox_full', 'mailbox-full-wording'],
    // near misses: a quota on what we send is a rate; a server's storage is no mailbox
    ['550 Daily sending quota exceeded', 'UNKNOWN', 'rate_limited', 'sending-limit'],
    ['452 4.3.1 Insufficient system storage', 'UNKNOWN', 'temporary_failure', 'other-4xx'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('reasons: "more than N messages in a 24-hour period" is a rate', () => {
  it.each<Case>([
    // #2148, #2149 (Lavabit's Magma)
    [
      '451 MAILBOX UNAVAILABLE - THE ACCOUNT <jdoe@example.com> IS CONFIGURED NOT TO ACCEPT MORE THAN 100 MESSAGES MESSAGES IN A TWENTY-FOUR HOUR PERIOD - PLEASE TRY AGAIN LATER',
      'UNKNOWN',
      'rate_limited',
      'sending-limit',
    ],
    [
      '451 MAILBOX UNAVAILABLE - THE ACCOUNT <jdoe@example.com> IS CONFIGURED NOT TO ACCEPT MORE THAN 10 MESSAGES MESSAGES FROM ANY SINGLE SUBNET IN A TWENTY-FOUR HOUR PERIOD - PLEASE TRY AGAIN LATER',
      'UNKNOWN',
      'rate_limited',
      'sending-limit',
    ],
    ['450 4.7.1 no more than 50 recipients per hour', 'UNKNOWN', 'rate_limited', 'sending-limit'],
    // near miss (#2147): the same server's bare try-again stays a greylister's answer
    ['451 MAILBOX UNAVAILABLE - PLEASE TRY AGAIN IN 5 MINUTES', 'UNKNOWN', 'temporary_failure', 'other-4xx'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('reasons: a DNS or rDNS lookup that failed for now is a fault of the moment', () => {
  it.each<Case>([
    // #2156 (a Postfix-style rDNS check), #2221 (a DNS error during the RBL check)
    [
      '450 client [192.0.2.10] rDNS lookup error (ESERVFAIL)',
      'UNKNOWN',
      'temporary_failure',
      'check-temporary-error',
    ],
    ['451 4.3.0 DNS error doing RBL lookup', 'UNKNOWN', 'temporary_failure', 'check-temporary-error'],
    // near misses: a reverse DNS that is missing, or a listing found, is a refusal of us
    [
      '450 4.7.1 Client host rejected: cannot find your reverse hostname',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
    [
      '451 4.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('reasons: refusals of us in other words, and a concurrency cap', () => {
  it.each<Case>([
    // #2192 (qmail-style 421 naming our IP, echoed between), #2167 (qpsmtpd's karma), #2124 (Forpsi's reverse DNS)
    [
      '421 sorry, your IP (192.0.2.10) is temporarily denied (#4.7.1)',
      'UNKNOWN',
      'blocked',
      'service-closing-refusal',
    ],
    ['550 very bad karma score: -8', 'UNKNOWN', 'blocked', 'policy-wording'],
    [
      '554 cmg1.fe.forpsi.com bizsmtp 0bcW1i00G0jifNx01bcmHa no DNS reverse for x.x.x.x',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
    // #2066 (Magma): a cap on concurrent sessions is a rate
    ['451 4.5.1 [192.0.2.10] Max concurrent sessions (#1.04)', 'UNKNOWN', 'rate_limited', 'rate-wording'],
    // near misses: a 421 that closes for load stays a rate; a 421 for a fault stays temporary
    [
      '421 4.7.0 mail.example.com Error: too many connections from 192.0.2.1',
      'UNKNOWN',
      'rate_limited',
      'too-many-connections',
    ],
    [
      '421 4.7.0 mail.example.com Error: too much mail from 192.0.2.1',
      'UNKNOWN',
      'rate_limited',
      'service-closing',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('reasons: "Service unavailable" under a policy code is a refusal of us', () => {
  it.each<Case>([
    // #2123 (the cause is only in the link, which the echo stripper removes)
    [
      '554 5.7.1 Service unavailable(4); / See http://www.buffalo.edu/ubit/forms/email-whitelist.html',
      'UNKNOWN',
      'blocked',
      'policy-service-unavailable',
    ],
    // near misses: without x.7.x it names the server (#378's wording), and mailbox words under x.7.x still decide
    ['550 5.5.0 Service unavailable', 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'],
    ['550 5.7.1 No such user!', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-policy-code'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('reasons: a recipient limit under another 5xx is a rate', () => {
  it.each<Case>([
    // #2151, #2194
    [
      '541 RCPT TO REJECTED - PER MESSAGE RECIPIENT LIMIT REACHED',
      'UNKNOWN',
      'rate_limited',
      'too-many-recipients-other-code',
    ],
    ['557 sorry, too many recipients (#5.7.1)', 'UNKNOWN', 'rate_limited', 'too-many-recipients-other-code'],
    // near misses: 452/552 keep the transaction split; a limit beside a refusal of us is the refusal (#790)
    ['452 4.5.3 Too many recipients', 'UNKNOWN', 'temporary_failure', 'too-many-recipients'],
    ['550 too many recipients for karma -3 (h: -5)', 'UNKNOWN', 'blocked', 'policy-wording'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('reasons: our HELO and our sender', () => {
  it.each<Case>([
    // #2086, #2116
    ['501 5.5.1 HELO/EHLO requires domain address', 'UNKNOWN', 'blocked', 'policy-wording'],
    [
      '451 4.1.8 Domain of sender address email address does not resolve',
      'UNKNOWN',
      'blocked',
      'sender-address-code',
    ],
    // near misses: a recipient's domain that does not resolve, and a greylister under 4.1.8's neighbour 4.1.1
    ['451 4.1.2 Domain of recipient address does not resolve', 'UNKNOWN', 'temporary_failure', 'other-4xx'],
    [
      '450 4.2.0 <x@example.com>: Recipient address rejected: Greylisted',
      'UNKNOWN',
      'greylisted',
      'greylisted',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});
