import { type Reason, type Status, statusOf } from '@mailprobe/core';
import type { SmtpReply, SmtpStage } from './types.js';

/** What one reply tells a verifier. `rule` names the table row that decided it. */
export interface ReplyClassification {
  status: Status;
  reason: Reason;
  /** When to ask again, for `greylisted` (always) and `rate_limited` (when the text says). */
  retryAfterSeconds?: number;
  rule: ClassificationRuleId;
}

/** Greylisters usually accept a retry after about five minutes (postgrey's default delay is 300 s). */
export const DEFAULT_GREYLIST_RETRY_SECONDS = 300;
/** Longest retry hint believed from a reply text: one day. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

type CodeRange = readonly [low: number, high: number];
const ANY_4XX: CodeRange = [400, 499];
const ANY_5XX: CodeRange = [500, 599];

/** One row of the table: every given condition must hold. */
interface ClassificationRule {
  id: string;
  /** Only at these stages; every stage when absent. */
  stages?: readonly SmtpStage[];
  /** Reply codes, listed. */
  codes?: readonly number[];
  /** Reply codes, an inclusive range. */
  range?: CodeRange;
  /** Tested against the RFC 3463 enhanced code, e.g. `5.1.1`. */
  enhanced?: RegExp;
  /** Tested against the reply text (every line, codes removed). */
  text?: RegExp;
  reason: Reason;
  retry?: 'greylist' | 'hint';
  /** What the row is for, for the docs. */
  summary: string;
  /** The reply the row was written for. */
  example: string;
}

// Wording that says a mailbox is missing. Kept specific: RFC 5321's generic "mailbox unavailable" is also
// what servers say for policy refusals, so it proves nothing.
const UNKNOWN_USER =
  /user unknown|unknown user|no such (user|mailbox|recipient|account|address)|recipient not found|recipientnotfound|unrouteable address|invalid (recipient|mailbox)|unknown (recipient|mailbox|or illegal alias)|(account|mailbox|address|user) (\S+ )?(does not|doesn't) exist|user not local|not our customer/i;
const POLICY =
  /spamhaus|spamcop|barracuda|sorbs|\bdnsbl\b|\brbl\b|block ?list|black ?list|listed (at|on|in|by)|\bblocked\b|client host rejected|relay access denied|relaying denied|not permitted to relay|unable to relay|reputation|access denied|not accepting (messages|mail)|connection refused|banned|rejected by policy|policy rejection/i;
const RATE =
  /too many (connections|concurrent|sessions|messages|errors)|too much mail|rate limit|unusual rate|server busy|unexpected volume|temporarily deferred|try again later from|throttl/i;
const GREYLIST =
  /gr[ea]y ?list|postgrey|try again later|please try (again )?later|try later|deferred, retry/i;
const QUOTA =
  /over quota|quota exceeded|exceeded (the |its |their )?(storage|quota)|mailbox (is )?full|mailbox size limit/i;
const DISABLED = /(account|mailbox) (\S+ )?(is |has been )?(disabled|deactivated|suspended|inactive)/i;

/**
 * The table, first match wins. Order matters: specific rows before the generic ones they would otherwise
 * fall into (Gmail's 4.2.1 rate text before x.2.1; Microsoft's 5.4.1 before "access denied"; a refusal of
 * us before any mailbox wording). INVALID reasons appear only at RCPT, only for 5xx, and only with proof.
 */
export const CLASSIFICATION_RULES = [
  {
    id: 'accepted',
    stages: ['rcpt'],
    codes: [250, 251],
    reason: 'accepted',
    summary: 'RCPT accepted (251: accepted, will forward).',
    example: '250 2.1.5 Ok',
  },
  {
    id: 'positive-elsewhere',
    range: [200, 399],
    reason: 'unexpected_response',
    summary: 'Any other positive reply is not an answer about the mailbox.',
    example: '252 2.5.2 Cannot VRFY user, but will accept message',
  },
  {
    id: 'too-many-recipients',
    codes: [452, 552],
    text: /too many recipients/i,
    reason: 'temporary_failure',
    summary: 'Transaction recipient limit (the session retries in a new transaction).',
    example: '452 4.5.3 Too many recipients',
  },
  {
    id: 'too-many-recipients-code',
    codes: [452, 552],
    enhanced: /^[45]\.5\.3$/,
    reason: 'temporary_failure',
    summary: 'Transaction recipient limit, by enhanced code x.5.3.',
    example: '452 4.5.3 Recipient limit reached',
  },
  {
    id: 'recipient-receiving-too-fast',
    text: /receiving mail at a rate/i,
    reason: 'temporary_failure',
    summary: 'The recipient gets too much mail right now (Gmail 4.2.1): says nothing against the mailbox.',
    example:
      '450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.',
  },
  {
    id: 'service-closing',
    codes: [421],
    reason: 'rate_limited',
    retry: 'hint',
    summary: '421: the server closes the channel, mostly because of connection or message rates.',
    example: '421 4.7.0 mail.example.com Error: too many connections from 192.0.2.1',
  },
  {
    id: 'rate-wording',
    range: ANY_4XX,
    text: RATE,
    reason: 'rate_limited',
    retry: 'hint',
    summary: 'A 4xx that says we send too much or too fast.',
    example: '451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77719)',
  },
  {
    id: 'greylisted',
    codes: [450, 451],
    text: GREYLIST,
    reason: 'greylisted',
    retry: 'greylist',
    summary: '450/451 with greylisting or try-later wording; retry hint from the text, else 300 s.',
    example:
      '450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html',
  },
  {
    id: 'microsoft-dbeb-unknown-recipient',
    stages: ['rcpt'],
    codes: [550],
    enhanced: /^5\.4\.1$/,
    text: /recipient address rejected: access denied/i,
    reason: 'mailbox_not_found',
    summary: 'Microsoft 365 Directory-Based Edge Blocking: documented as the unknown-recipient rejection.',
    example: '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)',
  },
  {
    id: 'mailbox-disabled-code',
    stages: ['rcpt'],
    range: ANY_5XX,
    enhanced: /^5\.2\.1$/,
    reason: 'mailbox_disabled',
    summary: '5xx with x.2.1: the mailbox exists but is disabled.',
    example: '550 5.2.1 The email account that you tried to reach is disabled.',
  },
  {
    id: 'mailbox-full-code',
    stages: ['rcpt'],
    range: [400, 599],
    enhanced: /^[45]\.2\.2$/,
    reason: 'mailbox_full',
    summary: 'x.2.2: over quota (RFC 5321 lets a client treat even 552 as temporary).',
    example: '452 4.2.2 The email account that you tried to reach is over quota.',
  },
  {
    id: 'mailbox-full-wording',
    stages: ['rcpt'],
    range: [400, 599],
    text: QUOTA,
    reason: 'mailbox_full',
    summary: 'Quota or mailbox-full wording.',
    example: '552 Mailbox quota exceeded for this recipient',
  },
  {
    id: 'policy-wording',
    range: [400, 599],
    text: POLICY,
    reason: 'blocked',
    summary: 'Blocklist, reputation, client or relay refusal: a refusal of us, never INVALID.',
    example: '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org',
  },
  {
    id: 'policy-code',
    range: ANY_5XX,
    enhanced: /^5\.7\.\d+$/,
    reason: 'blocked',
    summary: '5xx with x.7.x (security or policy) and no other proof.',
    example: '550 5.7.1 Message rejected due to local policy',
  },
  {
    id: 'mailbox-not-found-code',
    stages: ['rcpt'],
    range: ANY_5XX,
    enhanced: /^5\.1\.(1|6|10)$/,
    reason: 'mailbox_not_found',
    summary:
      '5xx with x.1.1 (bad mailbox), x.1.6 (moved, no forwarding) or x.1.10 (Exchange RecipientNotFound).',
    example: '550 5.1.1 The email account that you tried to reach does not exist.',
  },
  {
    id: 'mailbox-not-found-wording',
    stages: ['rcpt'],
    codes: [550, 551, 553],
    text: UNKNOWN_USER,
    reason: 'mailbox_not_found',
    summary: '550/551/553 with unknown-user wording.',
    example: '550 No Such User Here',
  },
  {
    id: 'yahoo-no-account',
    stages: ['rcpt'],
    codes: [554],
    text: /doesn't have an? \S+ account/i,
    reason: 'mailbox_not_found',
    summary: "Yahoo/AOL's 554 for a missing account (Yahoo also accepts some unknown users at RCPT).",
    example:
      "554 delivery error: dd This user doesn't have a yahoo.com account (user@yahoo.com) [0] - mta1001.mail.gq1.yahoo.com",
  },
  {
    id: 'mailbox-disabled-wording',
    stages: ['rcpt'],
    codes: [550],
    text: DISABLED,
    reason: 'mailbox_disabled',
    summary: '550 with disabled/deactivated/suspended-account wording.',
    example: '550 Account has been disabled',
  },
  {
    id: 'transaction-failed-554',
    codes: [554],
    reason: 'blocked',
    summary: '554 without proof about the mailbox: a refusal (at the greeting, always).',
    example: '554 Transaction failed',
  },
  {
    id: 'command-not-understood',
    range: [500, 504],
    reason: 'unexpected_response',
    summary: 'Syntax and sequence errors (500–504) say nothing about the mailbox.',
    example: '503 5.5.1 Error: need MAIL command',
  },
  {
    id: 'refused-before-rcpt',
    stages: ['connect', 'greeting', 'ehlo', 'starttls', 'mail'],
    range: ANY_5XX,
    reason: 'blocked',
    summary: 'Any other 5xx before RCPT (e.g. to MAIL FROM) refuses us, not the mailbox.',
    example: '553 5.1.8 <probe@mailprobe.example>: Sender address rejected: Domain not found',
  },
  {
    id: 'other-4xx',
    range: ANY_4XX,
    reason: 'temporary_failure',
    summary: 'Any other 4xx.',
    example: '451 4.3.0 Temporary lookup failure',
  },
  {
    id: 'other-5xx',
    range: ANY_5XX,
    reason: 'unexpected_response',
    summary: 'Any other 5xx: not proof enough for INVALID.',
    example: '550 Requested action not taken: mailbox unavailable',
  },
] as const satisfies readonly ClassificationRule[];

export type ClassificationRuleId = (typeof CLASSIFICATION_RULES)[number]['id'];

/** Classifies one reply received at `stage` with the first matching row of {@link CLASSIFICATION_RULES}. */
export function classifyReply(stage: SmtpStage, reply: SmtpReply): ReplyClassification {
  const rule = (CLASSIFICATION_RULES as readonly ClassificationRule[]).find((row) =>
    matches(row, stage, reply),
  );
  // The last rows cover every code from 200 to 599, which is all the reply parser lets through.
  if (!rule)
    return { status: statusOf('unexpected_response'), reason: 'unexpected_response', rule: 'other-5xx' };
  const classification: ReplyClassification = {
    status: statusOf(rule.reason),
    reason: rule.reason,
    rule: rule.id as ClassificationRuleId,
  };
  const hint = retryHintSeconds(reply.text);
  if (rule.retry === 'greylist') classification.retryAfterSeconds = hint ?? DEFAULT_GREYLIST_RETRY_SECONDS;
  else if (rule.retry === 'hint' && hint !== undefined) classification.retryAfterSeconds = hint;
  return classification;
}

function matches(rule: ClassificationRule, stage: SmtpStage, reply: SmtpReply): boolean {
  if (rule.stages && !rule.stages.includes(stage)) return false;
  if (rule.codes && !rule.codes.includes(reply.code)) return false;
  if (rule.range && (reply.code < rule.range[0] || reply.code > rule.range[1])) return false;
  if (rule.enhanced && !(reply.enhancedCode && rule.enhanced.test(reply.enhancedCode))) return false;
  if (rule.text && !rule.text.test(reply.text)) return false;
  return true;
}

const RETRY_HINT =
  /(?:try again|retry|wait|again)\D{0,20}?(\d{1,6})\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|h)\b/i;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** "try again in 300 seconds", "retry in 5 minutes" → seconds; undefined when the text gives no delay. */
export function retryHintSeconds(text: string): number | undefined {
  const match = RETRY_HINT.exec(text);
  if (!match) return undefined;
  const unit = UNIT_SECONDS[(match[2] as string)[0]?.toLowerCase() ?? 's'] ?? 1;
  return Math.min(Number(match[1]) * unit, MAX_RETRY_AFTER_SECONDS);
}
