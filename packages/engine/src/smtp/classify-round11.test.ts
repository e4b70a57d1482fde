import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { parseReply } from './reply-parser.js';

// Round 11's development rows (packages/engine/corpus/replies.jsonl, quoted with their row id) and the near misses
// that must keep their verdict, one block per class closed.

/** Each case: the reply, the status and reason it must get, the row that must decide it. */
type Case = [reply: string, status: Status, reason: Reason, rule: string];

const classify = (text: string) => classifyReply('rcpt', parseReply(text));

describe('a mailbox code whose words only ask the sender to do something is no proof', () => {
  it.each<Case>([
    // #2285 (e-postinc.jp): E-Post's relay / sender-list refusal, sent under 5.1.1
    ['550 5.1.1 Please mail to a valid e-mail address.', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    // another server's wording of the same request, in English and German
    ['550 5.1.1 Please use a valid recipient address', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    [
      '550 5.1.1 Bitte verwenden Sie eine gültige Empfängeradresse',
      'UNKNOWN',
      'unexpected_response',
      'other-5xx',
    ],
    ['550 5.1.1 Proszę podać poprawny adres odbiorcy', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    // the same request after a label of the server's (the trailers audit's prefixes)
    [
      '550 5.1.1 Delivery failed: Please mail to a valid e-mail address.',
      'UNKNOWN',
      'unexpected_response',
      'other-5xx',
    ],
    [
      '550 5.1.1 Error: Please mail to a valid e-mail address.',
      'UNKNOWN',
      'unexpected_response',
      'other-5xx',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // near misses: a label that speaks of the recipient is the server's refusal of it, which x.1.1 decides (dev #1788)
    [
      '550 5.1.1 <bob@example.com>: Recipient address rejected: Please check the recipient address and try again.',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
    // near misses: a request beside a statement of absence keeps its proof (Gmail's x.1.1 wording)
    [
      '550 5.1.1 Please check the address: the email account that you tried to reach does not exist.',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
    [
      '550 5.1.1 Please check the recipient address, it is invalid',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
    // #2303 (postmarkapp.com): a statement, no request
    [
      '550 5.1.1 <someone@misspelleddomain.co> Recipient not found.',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
    // #2269 (wanglu.net): the code with only a help URL still decides
    [
      '550 5.1.1 http://mail.google.com/support/bin/answer.py?answer=6596',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('a recipient who "doesn\'t have an account" here is absent, however the contraction is spelt', () => {
  it.each<Case>([
    // #2276 (wanglu.net): Yahoo's delivery error, "doesnt" without its apostrophe
    [
      '554 delivery error: This user doesnt have a yahoo.com account',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    // other servers' wording of the same statement
    [
      "550 This recipient dosen't have a mailbox here",
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    [
      '550 User does not have an account on this server',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<[reply: string, status: Status]>([
    // near misses: it is us who have no account, or the "user" has no permission (#2290, 163.com's submission refusal)
    ["550 You don't have an account here, authentication required", 'UNKNOWN'],
    ['553 Sender does not have an account on this system', 'UNKNOWN'],
    ['550 User has no permission', 'UNKNOWN'],
  ])('near miss %s → %s', (reply, status) => {
    expect(classify(reply).status).toBe(status);
  });
});

describe('a mailbox whose size or volume exceeded its limit is full', () => {
  it.each<Case>([
    // #2287 (nobuneko.com, a pdx.ne.jp bounce): the server's reply inside Postfix's wrapper
    [
      "552 We failed to deliver mail because the volume of recipient's mailbox exceeded the local limit. x@pdx.ne.jp",
      'UNKNOWN',
      'mailbox_full',
      'mailbox-full-wording',
    ],
    // other servers' wording of the same state
    ['552 The size of the mailbox has exceeded its limit', 'UNKNOWN', 'mailbox_full', 'mailbox-full-wording'],
    ['452 Recipient mailbox exceeded the storage limit', 'UNKNOWN', 'mailbox_full', 'mailbox-full-wording'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<[reply: string, reason: Reason]>([
    // near misses: the message's size, not the mailbox's
    ['552 5.3.4 Message size exceeds fixed maximum message size', 'mailbox_full'],
    ['552 Message size exceeded the local limit', 'mailbox_full'],
  ])('near miss %s is not %s', (reply, reason) => {
    expect(classify(reply).reason).not.toBe(reason);
  });
});
