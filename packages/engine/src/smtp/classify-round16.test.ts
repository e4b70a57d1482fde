import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { parseQuotedReply } from './quoted-reply.js';

// Round 16's development rows (packages/engine/corpus/replies.jsonl, quoted with their row id) and the near misses
// that must keep their verdict.

/** Each case: the reply, the status and reason it must get, the row that must decide it. */
type Case = [reply: string, status: Status, reason: Reason, rule: string];

const classify = (text: string) => classifyReply('rcpt', parseQuotedReply(text));

describe("AOL's reply tags under a mailbox code", () => {
  it.each<Case>([
    // #2981 (the cypherpunks list archive): AOL's HVU tag and its postmaster page, under 5.2.1 — the false INVALID
    [
      '554 5.2.1  :  (HVU:B1) http://postmaster.info.aol.com/errors/554hvub1.html',
      'UNKNOWN',
      'blocked',
      'transaction-failed-554',
    ],
    [
      '550 5.1.1 (RLY:B1) http://postmaster.info.aol.com/errors/554rlyb1.html',
      'UNKNOWN',
      'unexpected_response',
      'other-5xx',
    ],
    // near miss: the mailbox's own state under the same code
    ['554 5.2.1 Mailbox disabled', 'INVALID', 'mailbox_disabled', 'mailbox-disabled-code'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});
