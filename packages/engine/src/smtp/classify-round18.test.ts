import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { parseQuotedReply } from './quoted-reply.js';

// Round 18's held-out row fixed after its measurement (packages/engine/corpus/replies.jsonl, quoted with its row id)
// and the near misses that must keep their verdict.

/** Each case: the reply, the status and reason it must get, the row that must decide it. */
type Case = [reply: string, status: Status, reason: Reason, rule: string];

const classify = (text: string) => classifyReply('rcpt', parseQuotedReply(text));

describe('round 18: a recipient domain that accepts no mail (RFC 7504, RFC 7505)', () => {
  it.each<Case>([
    // #3382 (samotop, held out, after its measurement): RFC 7504's 556 for a domain that takes no mail
    ['556 Domain does not accept mail', 'INVALID', 'mailbox_not_found', 'domain-not-hosted'],
    ['556 5.1.10 Recipient address has null MX', 'INVALID', 'mailbox_not_found', 'domain-not-hosted'],
    // near misses: the sender's domain, and our own
    ['550 5.7.27 Sender address has null MX', 'UNKNOWN', 'blocked', 'weak-refusal-wording'],
    [
      '556 Your domain does not accept mail, so we cannot bounce',
      'UNKNOWN',
      'unexpected_response',
      'not-about-the-mailbox',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});
