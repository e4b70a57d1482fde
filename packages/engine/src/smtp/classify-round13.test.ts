import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { parseQuotedReply } from './quoted-reply.js';

// Round 13's development rows (packages/engine/corpus/replies.jsonl, quoted with their row id) and the near misses
// that must keep their verdict, one block per class closed. Rows without a code are read as the corpus bench reads
// them (`parseQuotedReply`: a bounce's diagnostic is a 550).

/** Each case: the reply, the status and reason it must get, the row that must decide it. */
type Case = [reply: string, status: Status, reason: Reason, rule: string];

const classify = (text: string) => classifyReply('rcpt', parseQuotedReply(text));

describe('Italian "no such user": the abbreviated recipient and "nessun utente"', () => {
  it.each<Case>([
    // #2547 (bounce-processing): "destin." is how the bounce line abbreviates "destinatario"
    [
      '550 <user@example.it>, destin. sconosciuto',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    // #2549: "no such user at this address"
    [
      '550 Nessun utente simile in questo indirizzo',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    // the same words as #2546 prints them, without its 5.1.1
    [
      '550 Siamo spiacenti, non esiste nessun utente con questo nome',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    ['550 Nessuna casella corrispondente', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // near misses: "no user authorised", "no valid recipient" say nothing of one mailbox's absence
    ['550 Nessun utente autorizzato a inviare', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 Nessun destinatario valido', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    // a second cause beside it is a hedge, as in every language
    ['550 destin. sconosciuto o casella piena', 'UNKNOWN', 'mailbox_full', 'mailbox-full-wording'],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('a dormant mailbox — shut for inactivity or until its owner logs in — is disabled', () => {
  it.each<Case>([
    // #2564: "blocked", but for the recipient's inactivity, not for anything of ours
    [
      '550 Mailbox is blocked due to long-time inactivity',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-for-cause',
    ],
    // #2560: no activity of the recipient since a date
    [
      '550 NOACTIVITY: Sorry, no recipient activity since 2019-01-01',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-wording',
    ],
    // #2563: receiving stays off until the owner logs in (under Postfix's 5.7.1 framing of a map's REJECT)
    [
      '554 5.7.1 User user@example.com should log in to enable receiving the mail',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-policy-code',
    ],
    [
      '550 Account suspended due to prolonged inactivity',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-wording',
    ],
    [
      '550 Mailbox has been blocked for inactivity',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-for-cause',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // near misses: our account, our session, our login, a state said to be temporary, a bare block
    ['550 Your account is blocked due to inactivity', 'UNKNOWN', 'blocked', 'policy-wording'],
    ['550 Connection closed due to inactivity', 'UNKNOWN', 'unexpected_response', 'not-about-the-mailbox'],
    ['421 4.4.2 Connection closed due to inactivity', 'UNKNOWN', 'rate_limited', 'service-closing'],
    ['550 You must log in to enable sending', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    [
      '554 5.7.1 You should log in to enable receiving mail from the web',
      'UNKNOWN',
      'blocked',
      'weak-refusal-wording',
    ],
    ['550 Mailbox is temporarily blocked due to inactivity', 'UNKNOWN', 'blocked', 'policy-wording'],
    ['550 Mailbox is blocked', 'UNKNOWN', 'blocked', 'policy-wording'],
    // our own account or the sender's, dormant or asked to log in
    ['550 Your account has had no login activity for 90 days', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 Sender account has no account activity since 2020', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    [
      '550 Your account should log in again to enable incoming mail',
      'UNKNOWN',
      'unexpected_response',
      'other-5xx',
    ],
    ['550 Sender account blocked due to inactivity', 'UNKNOWN', 'blocked', 'policy-wording'],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('"not a registered user" and "user have no mail" say the recipient is absent', () => {
  it.each<Case>([
    // #2593 (hyvor/relay): RFC 3464's sample DSN, "not a registered gateway user"
    [
      "550 'arathib@vnet.IBM.COM' is not a registered gateway user",
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    // #2568 (bounce-processing): the grammar as the server broke it
    [
      '550 5.0.0 user@example.com This is user have no mail',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    [
      '550 <a@b.example> is not a registered user',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    ['550 The user has no mail account.', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // near misses: we are the unregistered ones, or the mail is something else the user lacks
    ['550 You are not a registered user', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['530 You are not a registered user of this gateway', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 Sender is not a registered user', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    // no recipient as the subject: whose registration is meant is not said
    ['550 5.7.1 not a registered user of the relay', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    ['550 This user has no mail access', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 user has no mail for you today', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('a failed validation of the recipient under x.1.1 is the lookup that came back empty', () => {
  it.each<Case>([
    // #2599 (lore.kernel.org): Postfix relays its policy service's "recipient verify from ldap failed"
    [
      '551 5.1.1 <huangguangbin2@huawei.com>: Recipient address rejected: Failed recipient validation check.: host 127.0.0.1[127.0.0.1] said: 554 5.7.1 recipient verify from ldap failed (in reply to RCPT TO command)',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-lookup-code',
    ],
    [
      '550 5.1.1 Failed recipient validation check',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-lookup-code',
    ],
    [
      '550 5.1.1 <a@b.example>: Recipient verification failed',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-lookup-code',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // near misses: a fault named beside it, no x.1.1, a 4xx, our sender
    [
      '550 5.1.1 Recipient verification failed: LDAP server unavailable',
      'UNKNOWN',
      'unexpected_response',
      'server-fault-wording',
    ],
    [
      '550 5.1.1 recipient verify from ldap failed, try again later',
      'UNKNOWN',
      'unexpected_response',
      'server-fault-wording',
    ],
    ['550 Recipient verification failed', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['450 4.1.1 recipient verify from ldap failed', 'UNKNOWN', 'temporary_failure', 'other-4xx'],
    ['550 5.1.1 <a@b.example>: Sender verification failed', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('a retired address — obsolete, defunct, no longer in use — is disabled', () => {
  it.each<Case>([
    // #2619 (lore.kernel.org): an access map's text under Postfix's 554 5.7.1 framing
    [
      '554 5.7.1 <mpm@selenic.com>: Recipient address rejected: This identity is obsolete',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-policy-code',
    ],
    ['550 Mailbox no longer in use', 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'],
    ['550 This address has been retired', 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // near misses: our address, our IP, a protocol or a name of ours that is obsolete
    ['550 Your address is no longer in use', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 Sender address is obsolete', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    ['550 The IP address is retired', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    ['550 This protocol is obsolete', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    // an address's format said obsolete is about its form, not the mailbox
    ['550 The recipient address format is obsolete', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 The HELO name is obsolete', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('"too many mails" at a 4xx is a rate, as at a 5xx', () => {
  it.each<Case>([
    // #2582 (maillog-analyzer): GMX's mail-bomb limit
    [
      '450 4.3.2 Too many mails (mail bomb), try again in 1 hour(s) 25 minute(s) and see ( http://portal.gmx.net/serverrules ) {mx-us011}',
      'UNKNOWN',
      'rate_limited',
      'rate-wording',
    ],
    ['451 4.7.1 Too many e-mails', 'UNKNOWN', 'rate_limited', 'rate-wording'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // near miss: too many mails held in the mailbox is a full mailbox, decided by its code
    ['452 4.2.2 Too many mails in the mailbox', 'UNKNOWN', 'mailbox_full', 'mailbox-full-code'],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

// The lead's change after the rule writer's audit (before round 13's held-out split was measured): the disabled-mailbox
// words had no guard against the sender's or our own account, which a server refuses for sending.
describe("a disabled account that is ours or the sender's is no proof", () => {
  it.each<Case>([
    ['550 Sender account locked (due to inactivity)', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    ['550 Your mailbox is disabled', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 Your suspended account cannot send mail', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    ['550 Account disabled: <bob@example.com>', 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'],
    ['550 Recipient account is suspended', 'INVALID', 'mailbox_disabled', 'mailbox-disabled-wording'],
    [
      '550 5.2.1 The email account that you tried to reach is disabled',
      'INVALID',
      'mailbox_disabled',
      'mailbox-disabled-code',
    ],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

// Added after round 13's held-out split was measured (accuracy.md says so): one of its missed INVALID.
describe('a mailbox deleted by its owner or an administrator no longer exists (round 13 held out, after its measurement)', () => {
  it.each<Case>([
    // #2544 (pflogreport: Rambler's refusal)
    [
      '<user@rambler.ru>: Recipient address rejected: Account deleted by user',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    ['550 Account removed by administrator', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    ['550 Mailbox deleted by its owner', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    ['550 Account removed by the spam filter', 'UNKNOWN', 'blocked', 'policy-wording'],
    ['550 Recipient removed from list', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});
