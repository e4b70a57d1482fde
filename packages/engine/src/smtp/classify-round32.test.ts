import type { Reason, Status } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { parseQuotedReply } from './quoted-reply.js';

// Round 32's development rows changed by rules made from them (packages/engine/corpus/replies.jsonl, quoted with their
// row ids; a real Postfix log of 2013), and the near misses that must keep their verdict.

/** Each case: the reply, the status and reason it must get, the row that must decide it. */
type Case = [reply: string, status: Status, reason: Reason, rule: string];

const classify = (text: string) => classifyReply('rcpt', parseQuotedReply(text));

describe("round 32: Postfix's reject footer, and where to get help, offer no other cause", () => {
  it.each<Case>([
    // #4268: "User unknown" with Postfix's reject footer, flattened into one line by the log; the footer's "Client:"
    // field names our address, and "or see <URL>" is where to get help
    [
      '550-5.1.1 <Valusla00@azet.sk>: Recipient address rejected: User unknown 550 5.1.1 For assistance, contact your administrator or see http://onas.azet.sk/kontakty Please provide the following information in your problem report: Time: (Jun 10 09:28:30), Client: (81.95.98.2), Server: (smtp8.azet.sk).',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-code',
    ],
    // near misses: a refusal of us keeps the footer's verdict; a cause offered beside the help, or after the footer,
    // is still another cause
    [
      '554 5.7.1 <x@example.com>: Client host rejected: cannot find your hostname. Please provide the following information in your problem report: time (Mon Jun 3 14:02:11 2024), client (192.0.2.1) and server (mx.example.com).',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
    [
      '550 5.1.1 User unknown or the server is busy, or see https://example.com/help',
      'UNKNOWN',
      'unexpected_response',
      'hedged-mailbox-wording',
    ],
    [
      '550 5.1.1 User unknown. Please provide the following information in your problem report: time (Mon Jun 3 14:02:11 2024), client (192.0.2.1) and server (mx.example.com). Your IP address is blacklisted.',
      'UNKNOWN',
      'blocked',
      'policy-wording',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});

describe('round 32: "unroutable address", as Exim\'s "unrouteable address"', () => {
  it.each<Case>([
    // #4314
    [
      '550 unroutable address irena.zdenkova@poradce.ing.cz',
      'INVALID',
      'mailbox_not_found',
      'mailbox-not-found-wording',
    ],
    // near miss: the domain is the server's routing, not the mailbox (a documented decision)
    [
      '550 unroutable mail domain example.com',
      'UNKNOWN',
      'unexpected_response',
      'recipient-domain-not-found',
    ],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});
