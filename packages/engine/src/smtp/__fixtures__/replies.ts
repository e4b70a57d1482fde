import type { Reason } from '@mailprobe/core';
import type { SmtpStage } from '../types.js';

/** A reply as a real server sent it (raw lines, CRLF-terminated) and what it must classify as. */
export interface ReplyFixture {
  server: string;
  stage: SmtpStage;
  raw: string;
  reason: Reason;
  rule: string;
  retryAfterSeconds?: number;
}

const lines = (...parts: string[]): string => parts.map((part) => `${part}\r\n`).join('');

// Transcripts from /work/shared/smtp-replies.md (public bounce references and RFCs), plus a few stage variants.
export const REPLY_FIXTURES: ReplyFixture[] = [
  // Accepted
  { server: 'Postfix', stage: 'rcpt', raw: lines('250 2.1.5 Ok'), reason: 'accepted', rule: 'accepted' },
  { server: 'Gmail', stage: 'rcpt', raw: lines('250 2.1.5 OK 41be03b00d2f7-b4f5 - gsmtp'), reason: 'accepted', rule: 'accepted' },
  { server: 'RFC 5321', stage: 'rcpt', raw: lines('251 User not local; will forward to <user@example.org>'), reason: 'accepted', rule: 'accepted' },
  { server: 'Sendmail VRFY-style', stage: 'rcpt', raw: lines('252 2.5.2 Cannot VRFY user, but will accept message'), reason: 'unexpected_response', rule: 'positive-elsewhere' },

  // The mailbox does not exist
  {
    server: 'Gmail',
    stage: 'rcpt',
    raw: lines(
      '550-5.1.1 The email account that you tried to reach does not exist. Please try',
      "550-5.1.1 double-checking the recipient's email address for typos or",
      '550-5.1.1 unnecessary spaces. For more information, go to',
      '550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-b4f5 - gsmtp',
    ),
    reason: 'mailbox_not_found',
    rule: 'mailbox-not-found-code',
  },
  { server: 'Microsoft 365 DBEB', stage: 'rcpt', raw: lines('550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]'), reason: 'mailbox_not_found', rule: 'microsoft-dbeb-unknown-recipient' },
  { server: 'Exchange on-premises', stage: 'rcpt', raw: lines('550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-code' },
  { server: 'Postfix virtual', stage: 'rcpt', raw: lines('550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in virtual mailbox table'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-code' },
  { server: 'Postfix local', stage: 'rcpt', raw: lines('550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in local recipient table'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-code' },
  { server: 'Postfix relay', stage: 'rcpt', raw: lines('550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in relay recipient table'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-code' },
  { server: 'Exim', stage: 'rcpt', raw: lines('550 Unrouteable address'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-wording' },
  { server: 'cPanel/Exim', stage: 'rcpt', raw: lines('550 No Such User Here'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-wording' },
  { server: 'Sendmail', stage: 'rcpt', raw: lines('550 5.1.1 <user@example.com>... User unknown'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-code' },
  { server: 'Yahoo', stage: 'rcpt', raw: lines("554 delivery error: dd This user doesn't have a yahoo.com account (user@yahoo.com) [0] - mta1001.mail.gq1.yahoo.com"), reason: 'mailbox_not_found', rule: 'yahoo-no-account' },
  { server: 'generic', stage: 'rcpt', raw: lines('550 5.1.1 User Unknown'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-code' },
  { server: 'generic', stage: 'rcpt', raw: lines('550 Invalid Recipient'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-wording' },
  { server: 'generic', stage: 'rcpt', raw: lines('550 No such user (user@example.com)'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-wording' },
  { server: 'generic', stage: 'rcpt', raw: lines('550 5.1.1 unknown or illegal alias'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-code' },
  { server: 'RFC 5321', stage: 'rcpt', raw: lines('551 User not local; please try <user@example.org>'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-wording' },
  { server: 'Sendmail', stage: 'rcpt', raw: lines('553 5.3.0 <user@example.com>... No such user here'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-wording' },
  { server: 'RFC 3463', stage: 'rcpt', raw: lines('550 5.1.6 Destination mailbox has moved, no forwarding address'), reason: 'mailbox_not_found', rule: 'mailbox-not-found-code' },

  // Exists but cannot take mail now
  { server: 'Gmail', stage: 'rcpt', raw: lines('550-5.2.1 The email account that you tried to reach is disabled. Learn more at', '550 5.2.1  https://support.google.com/mail/?p=DisabledUser 41be03b00d2f7 - gsmtp'), reason: 'mailbox_disabled', rule: 'mailbox-disabled-code' },
  { server: 'generic', stage: 'rcpt', raw: lines('550 5.2.1 Mailbox disabled, not accepting messages'), reason: 'mailbox_disabled', rule: 'mailbox-disabled-code' },
  { server: 'generic', stage: 'rcpt', raw: lines('550 Account has been disabled'), reason: 'mailbox_disabled', rule: 'mailbox-disabled-wording' },
  { server: 'Gmail', stage: 'rcpt', raw: lines('452-4.2.2 The email account that you tried to reach is over quota. Please direct', '452 4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp 41be03b00d2f7 - gsmtp'), reason: 'mailbox_full', rule: 'mailbox-full-code' },
  { server: 'Postfix/Dovecot', stage: 'rcpt', raw: lines('552 5.2.2 Mailbox full'), reason: 'mailbox_full', rule: 'mailbox-full-code' },
  { server: 'Dovecot LMTP', stage: 'rcpt', raw: lines('552 5.2.2 <user@example.com> Quota exceeded (mailbox for user is full)'), reason: 'mailbox_full', rule: 'mailbox-full-code' },
  { server: 'generic', stage: 'rcpt', raw: lines('552 Mailbox quota exceeded for this recipient'), reason: 'mailbox_full', rule: 'mailbox-full-wording' },
  { server: 'Gmail', stage: 'rcpt', raw: lines('450-4.2.1 The user you are trying to contact is receiving mail at a rate that', '450-4.2.1 prevents additional messages from being delivered. Please resend your', '450 4.2.1 message at a later time. 41be03b00d2f7 - gsmtp'), reason: 'temporary_failure', rule: 'recipient-receiving-too-fast' },

  // Try again later
  { server: 'postgrey', stage: 'rcpt', raw: lines('450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html'), reason: 'greylisted', rule: 'greylisted', retryAfterSeconds: 300 },
  { server: 'custom greylister', stage: 'rcpt', raw: lines('451 4.7.1 Greylisted, try again in 120 seconds'), reason: 'greylisted', rule: 'greylisted', retryAfterSeconds: 120 },
  { server: 'custom greylister', stage: 'rcpt', raw: lines('450 4.7.1 Greylisting in action, please retry in 5 minutes'), reason: 'greylisted', rule: 'greylisted', retryAfterSeconds: 300 },
  { server: 'generic greylister', stage: 'rcpt', raw: lines('451 4.7.1 Please try again later'), reason: 'greylisted', rule: 'greylisted', retryAfterSeconds: 300 },
  { server: 'Exim', stage: 'rcpt', raw: lines('451 Temporary local problem - please try later'), reason: 'greylisted', rule: 'greylisted', retryAfterSeconds: 300 },
  { server: 'Postfix anvil', stage: 'greeting', raw: lines('421 4.7.0 mail.example.com Error: too many connections from 192.0.2.1'), reason: 'rate_limited', rule: 'service-closing' },
  { server: 'Postfix anvil', stage: 'rcpt', raw: lines('421 4.7.0 mail.example.com Error: too much mail from 192.0.2.1'), reason: 'rate_limited', rule: 'service-closing' },
  { server: 'Gmail', stage: 'rcpt', raw: lines('421-4.7.0 This message is suspicious due to the very low reputation of the sending', '421-4.7.0 IP address. To protect our users from spam, mail sent from your IP', '421 4.7.0 address has been temporarily rate limited. - gsmtp'), reason: 'rate_limited', rule: 'service-closing' },
  { server: 'Gmail', stage: 'mail', raw: lines('421-4.7.0 Our system has detected an unusual rate of unsolicited mail originating', '421 4.7.0 from your IP address. - gsmtp'), reason: 'rate_limited', rule: 'service-closing' },
  { server: 'Yahoo', stage: 'greeting', raw: lines('421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes'), reason: 'rate_limited', rule: 'service-closing' },
  { server: 'Microsoft', stage: 'rcpt', raw: lines('451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77719) [BN1NAM02FT040.eop-nam02.prod.protection.outlook.com]'), reason: 'rate_limited', rule: 'rate-wording' },
  { server: 'Postfix', stage: 'rcpt', raw: lines('452 4.5.3 Error: too many recipients'), reason: 'temporary_failure', rule: 'too-many-recipients' },
  { server: 'RFC 5321', stage: 'rcpt', raw: lines('452 4.5.3 Recipient limit reached'), reason: 'temporary_failure', rule: 'too-many-recipients-code' },
  { server: 'Postfix', stage: 'rcpt', raw: lines('451 4.3.0 <user@example.com>: Temporary lookup failure'), reason: 'temporary_failure', rule: 'other-4xx' },
  { server: 'Postfix', stage: 'rcpt', raw: lines('450 4.1.1 <user@example.com>: Recipient address rejected: unverified address: host mx.example.com said: 550 no such user'), reason: 'temporary_failure', rule: 'other-4xx' },

  // The server refuses us
  { server: 'Spamhaus via Postfix', stage: 'rcpt', raw: lines('554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1'), reason: 'blocked', rule: 'policy-wording' },
  { server: 'DNSBL', stage: 'rcpt', raw: lines('550 5.7.1 Mail from 192.0.2.1 refused: listed at bl.example.org'), reason: 'blocked', rule: 'policy-wording' },
  { server: 'Postfix', stage: 'rcpt', raw: lines('554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: Access denied'), reason: 'blocked', rule: 'policy-wording' },
  { server: 'Postfix', stage: 'rcpt', raw: lines('550 5.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]'), reason: 'blocked', rule: 'policy-wording' },
  { server: 'Postfix', stage: 'rcpt', raw: lines('450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]'), reason: 'blocked', rule: 'policy-wording' },
  { server: 'reputation filter', stage: 'rcpt', raw: lines("554 Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means."), reason: 'blocked', rule: 'policy-wording' },
  { server: 'Postfix', stage: 'greeting', raw: lines('554 mail.example.com ESMTP not accepting messages'), reason: 'blocked', rule: 'policy-wording' },
  { server: 'generic', stage: 'greeting', raw: lines('554 5.7.1 Connection refused'), reason: 'blocked', rule: 'policy-wording' },
  { server: 'generic', stage: 'greeting', raw: lines('554 mx.example.com'), reason: 'blocked', rule: 'transaction-failed-554' },
  { server: 'Postfix', stage: 'rcpt', raw: lines('554 5.7.1 <user@example.com>: Relay access denied'), reason: 'blocked', rule: 'policy-wording' },
  { server: 'directory-checking gateway', stage: 'rcpt', raw: lines('554 5.7.1 <user@example.com>: Recipient address rejected: Access denied'), reason: 'blocked', rule: 'policy-wording' },
  { server: 'generic', stage: 'rcpt', raw: lines('550 5.7.1 Message rejected due to local policy'), reason: 'blocked', rule: 'policy-code' },
  { server: 'Gmail', stage: 'rcpt', raw: lines('550-5.7.1 Our system has detected an unusual rate of unsolicited mail originating', '550 5.7.1 from your IP address. - gsmtp'), reason: 'blocked', rule: 'policy-code' },
  { server: 'generic', stage: 'rcpt', raw: lines('554 Transaction failed'), reason: 'blocked', rule: 'transaction-failed-554' },
  { server: 'Postfix', stage: 'mail', raw: lines('553 5.1.8 <probe@mailprobe.example>: Sender address rejected: Domain not found'), reason: 'blocked', rule: 'refused-before-rcpt' },
  { server: 'generic', stage: 'ehlo', raw: lines('550 5.5.0 HELO/EHLO rejected'), reason: 'blocked', rule: 'refused-before-rcpt' },

  // Proves nothing
  { server: 'Postfix', stage: 'rcpt', raw: lines('503 5.5.1 Error: need MAIL command'), reason: 'unexpected_response', rule: 'command-not-understood' },
  { server: 'Postfix', stage: 'ehlo', raw: lines('502 5.5.2 Error: command not recognized'), reason: 'unexpected_response', rule: 'command-not-understood' },
  { server: 'Exchange', stage: 'rcpt', raw: lines('550 Requested action not taken: mailbox unavailable'), reason: 'unexpected_response', rule: 'other-5xx' },
  { server: 'generic', stage: 'rcpt', raw: lines('550 5.1.2 Host unknown'), reason: 'unexpected_response', rule: 'other-5xx' },
  { server: 'generic', stage: 'greeting', raw: lines('451 Local error'), reason: 'temporary_failure', rule: 'other-4xx' },
];
