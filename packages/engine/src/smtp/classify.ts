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
/**
 * A 421 "too many connections" with no delay in its text: Postfix's anvil counts connections per client over a
 * 60 s window (`anvil_rate_time_unit`), so a minute is when a fresh connection is welcome again.
 */
export const DEFAULT_CONNECTION_LIMIT_RETRY_SECONDS = 60;
/** Longest retry hint believed from a reply text: one day. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

type CodeRange = readonly [low: number, high: number];
const ANY_4XX: CodeRange = [400, 499];
const ANY_5XX: CodeRange = [500, 599];
/** Permanent refusals that can carry mailbox wording: 500–504 are command errors, 505–509 unused. */
const ANY_RCPT_REFUSAL: CodeRange = [510, 559];

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
  /** greylist: hint or 300 s; connections: hint or 60 s; hint: only when the text gives one. */
  retry?: 'greylist' | 'connections' | 'hint';
  /** What the row is for, for the docs. */
  summary: string;
  /** The reply the row was written for. */
  example: string;
}

// Wording that says a mailbox is missing, in the languages real servers answer in. Kept specific: RFC 5321's
// generic "mailbox unavailable" is also what servers say for policy refusals, so it proves nothing; so do a bare
// "address rejected" (Cisco's "#5.1.0 Address rejected") and "invalid address" (often a syntax complaint).
const UNKNOWN_USER = new RegExp(
  [
    // English
    'user unknown|unknown user|user is unknown|addressee unknown|recipient unknown',
    'unknown (recipient|mailbox|or illegal alias|local[- ]part|e-?mail address)',
    'no such (user|mailbox|recipient|account|address|person)|no mailbox here by that name',
    '(recipient|mailbox|user|e-?mail address|email account) (was )?not found|recipientnotfound|recipnotfound',
    'unrouteable address|invalid (recipient|mailbox)|not a valid (mailbox|user|recipient)',
    "(account|mailbox|e-?mail address|user|recipient) (\\S+ )?(does not|doesn't|did not|is not|not) exist",
    "doesn't have an? \\S+ account|user not local|not our customer",
    'not listed in (the )?(domino |public )?(directory|name (& |and )?address book)',
    // German, French, Spanish, Portuguese, Italian, Polish, Russian
    'benutzer (ist )?(unbekannt|nicht bekannt)|empf(ä|ae)nger (ist )?unbekannt|unbekannte[rn]? (benutzer|empf(ä|ae)nger)',
    "utilisateur inconnu|destinataire inconnu|adresse inconnue|(utilisateur|adresse|destinataire|compte) (\\S+ )?n'existe pas",
    'usuario desconocido|destinatario desconocido|(usuario|buz[oó]n|destinatario|cuenta) (\\S+ )?no existe|no existe (ese|dicho|el) (usuario|destinatario)',
    'usu[aá]rio desconhecido|destinat[aá]rio (desconhecido|inexistente)|(usu[aá]rio|conta|caixa postal) (\\S+ )?(n[aã]o existe|inexistente)',
    'utente sconosciuto|destinatario sconosciuto|(utente|destinatario|indirizzo|casella) (\\S+ )?inesistente',
    'nie ma takiego (konta|u[żz]ytkownika)',
    'нет такого пользователя|пользователь не найден|(почтовый ящик|пользователь) (\\S+ )?не существует',
  ].join('|'),
  'i',
);
// The part of that wording unambiguous enough to outweigh an x.7.x (policy) enhanced code.
const UNKNOWN_USER_UNAMBIGUOUS =
  /user unknown|unknown user|no such (user|mailbox|recipient)|no mailbox here by that name|not a valid mailbox|(mailbox|user|recipient|email account) (\S+ )?(does not|doesn't) exist/i;
// A refusal of the prober (its IP, HELO, sender, authentication) or of relaying: never proof about the mailbox.
const POLICY = new RegExp(
  [
    'spamhaus|spamcop|barracuda|sorbs|\\bdnsbl|\\brbl\\b|block ?list|black ?list|(?<!not )listed (at|on|in|by)|\\bblocked\\b',
    'client host rejected|helo command rejected|sender verify failed|verification failed for',
    'sender (address )?(rejected|refused|denied|blocked|invalid|unknown|does not exist|not allowed)',
    'relay(ing)? (access )?(denied|not permitted|prohibited|not allowed)|(unable|not permitted|not allowed) to relay|rcpthosts',
    'reputation|access denied|not accepting (messages|mail|connections)|connection refused|\\bbanned\\b',
    'polic(y|ies)\\b|administrative prohibition|\\bspam|\\bspf\\b|\\bdmarc\\b|\\bdkim\\b|authentication required',
    '\\b(your|sending|source|client|connecting|originating|remote) ip\\b|not in whitelist|tls required',
  ].join('|'),
  'i',
);
// A 421 that names a block rather than a rate: the channel closes because of who we are.
const CLOSING_REFUSAL =
  /blocked (using|by)|listed (at|on|in|by)|spamhaus|spamcop|barracuda|sorbs|\bdnsbl|\brbl\b|block ?list|black ?list|sender address blocked|access denied|\bbanned\b|not in whitelist|tls required/i;
const RATE =
  /too many (connections|concurrent|sessions|messages|requests)|too much mail|rate limit|unusual rate|server busy|unexpected volume|excessive volume|temporarily deferred|try again later from|throttl|max(imum)? (messages?|connections?) per/i;
const GREYLIST = /gr[ea]y ?list|postgrey/i;
// Try-later wording without a reason: greylisters (sqlgrey, Rspamd, milter-greylist, Mimecast) answer like this.
const TRY_LATER =
  /try again later|please try (again )?later|try later|come back later|deferred, retry|internal resources? (are |is )?temporarily unavailable/i;
// The mailbox's own storage. "Insufficient system storage" (RFC 5321's 452) is the server's disk, not the mailbox.
const QUOTA = new RegExp(
  [
    'over ?quota|quota (exceeded|full)|exceed(ed|s)? (the |its |their )?(storage|quota)|mailbox (is )?full|mailbox size limit',
    'out of storage space|(has )?exhausted (the )?allowed storage|too many messages on the server',
    'speichervolumen|postfach (ist )?voll|bo[iî]te (du destinataire |aux lettres )?pleine|buz[oó]n (est[aá] )?lleno|caixa (postal )?(est[aá] )?cheia',
  ].join('|'),
  'i',
);
const DISABLED =
  /(account|mailbox|user|recipient) (\S+ )?(is |has been |was )?(administratively |temporarily )?(disabled|deactivated|suspended|inactive|closed|discontinued)|mail ?address is administratively disabled|inactive (e-?mail address|account|user|mailbox)|is no longer valid/i;

/**
 * The table, first match wins. Order matters: specific rows before the generic ones they would otherwise
 * fall into (Gmail's 4.2.1 rate text before x.2.1; Microsoft's 5.4.1 before "access denied"; a refusal of
 * us before any mailbox wording; quota wording before x.1.1, which Orange sends with "mailbox full").
 * INVALID reasons appear only at RCPT, only for 5xx, and only with proof.
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
    text: /receiving mail (at a rate|too quickly)/i,
    reason: 'temporary_failure',
    summary:
      'The recipient gets too much mail right now (Gmail, Yahoo 4.2.1): says nothing against the mailbox.',
    example:
      '450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.',
  },
  {
    id: 'greylisted',
    range: ANY_4XX,
    text: GREYLIST,
    reason: 'greylisted',
    retry: 'greylist',
    summary: 'A 4xx (421 too) that says greylisting; retry hint from the text, else 300 s.',
    example:
      '450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html',
  },
  {
    id: 'service-closing-refusal',
    codes: [421],
    text: CLOSING_REFUSAL,
    reason: 'blocked',
    retry: 'hint',
    summary: '421 that names a blocklist, a block policy or a TLS/whitelist requirement: a refusal of us.',
    example: '421 4.7.0 TLS required for RCPT domain, closing connection.',
  },
  {
    id: 'session-error-limit',
    codes: [421],
    text: /too many errors/i,
    reason: 'temporary_failure',
    summary:
      'The server ends a session that made too many failed commands (Postfix smtpd_hard_error_limit): a per-session limit, not a rate; the rest is asked in a fresh session.',
    example: '421 4.7.0 mx.example.com Error: too many errors',
  },
  {
    id: 'too-many-connections',
    codes: [421],
    text: /too many (connections|concurrent|sessions)/i,
    reason: 'rate_limited',
    retry: 'connections',
    summary:
      '421 for too many connections from us: retry hint from the text, else 60 s (Postfix anvil window).',
    example: '421 4.7.0 mail.example.com Error: too many connections from 192.0.2.1',
  },
  {
    id: 'service-closing',
    codes: [421],
    reason: 'rate_limited',
    retry: 'hint',
    summary: '421: the server closes the channel, mostly because of message rates or load.',
    example: '421 4.7.0 mail.example.com Error: too much mail from 192.0.2.1',
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
    summary: 'Quota or mailbox-full wording, whatever the enhanced code (Orange sends it with 5.1.1).',
    example: '552 Mailbox quota exceeded for this recipient',
  },
  {
    id: 'mailbox-not-found-x21',
    stages: ['rcpt'],
    range: ANY_5XX,
    enhanced: /^5\.2\.1$/,
    text: UNKNOWN_USER,
    reason: 'mailbox_not_found',
    summary: 'x.2.1 with unknown-user wording (AT&T): missing, not disabled.',
    example: '550 5.2.1 <user@example.com>... Addressee unknown, relay=[192.0.2.1]',
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
    id: 'policy-wording',
    range: [400, 599],
    text: POLICY,
    reason: 'blocked',
    summary:
      'Blocklist, reputation, policy, spam, IP, HELO, sender or relay refusal: a refusal of us, never INVALID.',
    example: '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org',
  },
  {
    id: 'try-later',
    codes: [450, 451],
    text: TRY_LATER,
    reason: 'greylisted',
    retry: 'greylist',
    summary:
      '450/451 that only says "try later": how greylisters answer; retry hint from the text, else 300 s.',
    example: '451 4.7.1 Please try again later',
  },
  {
    id: 'mailbox-not-found-policy-code',
    stages: ['rcpt'],
    range: ANY_RCPT_REFUSAL,
    enhanced: /^5\.7\.\d+$/,
    text: UNKNOWN_USER_UNAMBIGUOUS,
    reason: 'mailbox_not_found',
    summary: 'x.7.x, but the wording unambiguously says the mailbox is missing (Yandex, some Postfix maps).',
    example: '550 5.7.1 No such user!',
  },
  {
    id: 'policy-code',
    range: ANY_5XX,
    enhanced: /^5\.7\.\d+$/,
    reason: 'blocked',
    summary: '5xx with x.7.x (security or policy) and no other proof.',
    example: '550 5.7.1 Requested action not taken: message refused',
  },
  {
    id: 'mailbox-disabled-wording',
    stages: ['rcpt'],
    range: ANY_RCPT_REFUSAL,
    text: DISABLED,
    reason: 'mailbox_disabled',
    summary:
      'Disabled, deactivated, suspended, inactive or closed account wording (even with x.1.1, as iCloud).',
    example: '550 Account has been disabled',
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
    range: ANY_RCPT_REFUSAL,
    text: UNKNOWN_USER,
    reason: 'mailbox_not_found',
    summary: '510–559 with unknown-user wording (any language listed), e.g. qmail, Exim, Yahoo.',
    example: '550 No Such User Here',
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
    example:
      '553 5.1.8 <probe@mailprobe.example>... Domain of sender address probe@mailprobe.example does not exist',
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
  else if (rule.retry === 'connections')
    classification.retryAfterSeconds = hint ?? DEFAULT_CONNECTION_LIMIT_RETRY_SECONDS;
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
