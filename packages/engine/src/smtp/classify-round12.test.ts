import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { corpusReply } from '../../bench/corpus-reply.js';
import { classifyReply } from './classify.js';

// Round 12's development rows (packages/engine/corpus/replies.jsonl, quoted with their row id) and the near misses
// that must keep their verdict, one block per class closed. Rows without a code are read as the corpus bench reads
// them (`corpusReply`: a bounce's diagnostic is a 550).

/** Each case: the reply, the status and reason it must get, the row that must decide it. */
type Case = [reply: string, status: Status, reason: Reason, rule: string];

const classify = (text: string) => classifyReply('rcpt', corpusReply(text));

describe('a recipient that "could not be found" is absent, however the words between run', () => {
  it.each<Case>([
    // #2343 (defund12.org): Exchange's NDR text for 5.1.1, quoted without its code
    [
      "The email address you entered couldn't be found. Please check the recipient's email address and try to resend the message. If the problem continues, please contact your helpdesk.",
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    // the same statement without the contraction or the relative clause
    ['550 Email address could not be found', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    ['550 The recipient cannot be found', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    // a misspelling beside absence is still about the address (dev #1116 keeps its proof)
    [
      '550 5.1.1 <jane.doe@biotech-calendar.com>: Email address could not be found, or was misspelled (G8)',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });

  it.each<Case>([
    // #2342 (iroha-dco): Gmail's NDR offers a second cause — a disjunction, no proof
    [
      "Address not found\nYour message wasn't delivered to yamashita@soramitsu.co.jp because the address couldn't be found, or is unable to receive mail.",
      'UNKNOWN',
      'unexpected_response',
      'hedged-mailbox-wording',
    ],
    // near misses: the host, the domain or our own address could not be found
    ['550 Host for the address could not be found', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 MX for the recipient address could not be found', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 The domain of the address could not be found', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 Your address could not be found', 'UNKNOWN', 'blocked', 'not-found-about-us'],
    ['550 The sender address could not be found', 'UNKNOWN', 'blocked', 'not-found-about-us'],
  ])('near miss %s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});
