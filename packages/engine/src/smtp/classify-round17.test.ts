import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { parseQuotedReply } from './quoted-reply.js';

// Round 17's development rows (packages/engine/corpus/replies.jsonl, quoted with their row id) and the near misses
// that must keep their verdict.

/** Each case: the reply, the status and reason it must get, the row that must decide it. */
type Case = [reply: string, status: Status, reason: Reason, rule: string];

const classify = (text: string) => classifyReply('rcpt', parseQuotedReply(text));

describe('round 17: an echo inside qmail’s phrase, a domain not in the routes', () => {
  it.each<Case>([
    // #3162 (IndiMail's vdelivermail, as qmail's bounce quotes it): the echo inside "no account … here by that name"
    [
      'no account alice@example.com here by that name. indimail (#5.1.5)',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    [
      '550 No account <bob@example.org> by that name',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    // near miss: our own account
    ['550 Your account by that name is locked', 'UNKNOWN', 'blocked', 'policy-wording'],
    // #3182 (Haraka's recipient-routes probe): the server has no route for the recipient's domain (issue #19, class 3)
    ['550 Sorry, this domain not in my routes', 'INVALID', 'mailbox_not_found', 'domain-not-hosted'],
    ['550 Domain is not in our routing table', 'INVALID', 'mailbox_not_found', 'domain-not-hosted'],
    // near miss: relaying for the sender is about us
    ['550 Sorry, your domain is not in my routes for relaying', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    // #3141 (gumdrop): 551 User not local, as /work/shared/smtp-replies.md reads it (round 9's #1850)
    ['551 5.1.1 User not local', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-code'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});
