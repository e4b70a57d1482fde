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

describe('a domain that cannot be found or routed is about the host; "Unrouteable address" and "address unknown" are proof', () => {
  it.each<Case>([
    // #2340 (emailjs): Gmail as a submission server, x.1.2 (relabelled UNKNOWN, classification.md's decisions)
    [
      "553-5.1.2 We weren't able to find the recipient domain. Please check for any\n553-5.1.2 spelling errors, and make sure you didn't enter any spaces, periods,\n553 5.1.2 or other punctuation after the recipient's email address. - gsmtp",
      'UNKNOWN',
      'unexpected_response',
      'other-5xx',
    ],
    // #2375 (lug-s.org): Exim, the domain (relabelled UNKNOWN)
    ['550 isnich@gibtsni.cht: unrouteable mail domain', 'UNKNOWN', 'unexpected_response', 'other-5xx'],
    // #2339 (emailengine): Gmail's bounce quoting an NXDOMAIN (relabelled UNKNOWN)
    [
      "DNS Error: DNS type 'mx' lookup of dasdasdsadas.com responded with code NXDOMAIN Domain name not found: dasdasdsadas.com Learn more at https://support.google.com/mail/?p=BadRcptDomain",
      'UNKNOWN',
      'unexpected_response',
      'not-about-the-mailbox',
    ],
    // #2392 (docker-mailman): Exim's own MX, no router takes the recipient (relabelled INVALID)
    ['Unrouteable address', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
    // #2446 (SES guide): SubEthaSMTP's unknown-recipient words (relabelled INVALID; dev #985 reads the same)
    ['553 <bob@example> address unknown', 'INVALID', 'mailbox_not_found', 'mailbox-not-found-wording'],
  ])('%s → %s %s', (reply, status, reason, rule) => {
    expect(classify(reply)).toMatchObject({ status, reason, rule });
  });
});
