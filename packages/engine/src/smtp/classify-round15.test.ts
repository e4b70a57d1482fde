import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { parseQuotedReply } from './quoted-reply.js';

// Round 15's development rows (packages/engine/corpus/replies.jsonl, quoted with their row id) and the near misses
// that must keep their verdict. Rows without a code are read as the corpus bench reads them (`parseQuotedReply`).

/** Each case: the reply, the status and reason it must get, the row that must decide it. */
type Case = [reply: string, status: Status, reason: Reason, rule: string];

const classify = (text: string) => classifyReply('rcpt', parseQuotedReply(text));

describe('"not known" under a mailbox code', () => {
  it.each<Case>([
    // #2869 (Twisted's list archive): the echo, then absence said with "not known"
    [
      '550 5.1.1 <inheritance@twistedmatrix.com>... Not known here',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
    // near misses: a host not known, our client not known
    ['550 5.1.1 Host not known here', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    ['550 5.1.1 Client not known here', 'UNKNOWN', 'blocked', 'not-found-about-us'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});
