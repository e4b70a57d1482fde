import { performance } from 'node:perf_hooks';
import { classifyReply } from './classify.js';
import { parseReply } from './reply-parser.js';
import type { SmtpStage } from './types.js';

// V8 compiles a regular expression to machine code the first time it runs, once for one-byte (Latin-1) subjects and
// once for two-byte ones, and keeps that code for the life of the process. The classifier's rules and lexicons are
// large expressions: a fresh process spends about 300 ms in those compilations, spread over its first replies
// (the first unknown-recipient refusal alone took 90–150 ms on the bench machine). A server that has just started
// would hold its event loop that long in its first job, delaying every other session and request.
// warmClassifier() pays that cost up front, before the server takes work, by classifying replies that walk every
// stage, every code class and the common paths through the rules, in both string widths. It changes no state the
// classifier reads: classifyReply is a pure function and the warm-up bypasses the reply memo.

const STAGES: readonly SmtpStage[] = ['greeting', 'ehlo', 'mail', 'rcpt'];

/** Reply codes of each class, with and without the enhanced codes the rules look at. */
const CODES = [
  '250 2.1.5',
  '251',
  '421 4.7.0',
  '450 4.2.0',
  '451',
  '452 4.5.3',
  '501 5.1.3',
  '503',
  '550',
  '550 5.1.1',
  '550 5.2.1',
  '550 5.7.1',
  '551',
  '552 5.2.2',
  '553',
  '554 5.7.1',
] as const;

/**
 * Words that match no rule (so every rule's pattern is tried) and words that reach the common rules' further checks,
 * in one-byte text and in two-byte text (Cyrillic and Chinese).
 */
const TEXTS = [
  'zq',
  'zq you \u0436\u4e00',
  '<a@example.com>: Recipient address rejected: User unknown in local recipient table',
  'mailbox unavailable (S1) [a.example.com 2024-01-01T00:00:00.000Z 08DC]',
  'Sender address rejected: Domain not found; from=<a@example.com> to=<b@example.net>',
  'Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://example.org/a',
  'Greylisted, please try again later',
  'Mailbox full, quota exceeded',
  'Benutzer unbekannt / Utilisateur inconnu',
  'The user you tried to reach is unkown',
  '\u041f\u043e\u043b\u044c\u0437\u043e\u0432\u0430\u0442\u0435\u043b\u044c \u043d\u0435 \u043d\u0430\u0439\u0434\u0435\u043d / \u7528\u6237\u4e0d\u5b58\u5728',
] as const;

/**
 * Compiles the classifier's regular expressions now rather than during the first replies of a job; returns how many
 * milliseconds it took (a few when this process has warmed it before). Call once when a long-lived process starts.
 */
export function warmClassifier(): number {
  const started = performance.now();
  for (const [stage, reply] of warmUpReplies()) classifyReply(stage, parseReply(reply));
  return performance.now() - started;
}

/** The replies warmClassifier() classifies, with their stages (exported for its test). */
export function warmUpReplies(): [SmtpStage, string][] {
  return STAGES.flatMap((stage) =>
    CODES.flatMap((code) => TEXTS.map((text): [SmtpStage, string] => [stage, `${code} ${text}\r\n`])),
  );
}
