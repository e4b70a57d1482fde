import { classifyReply, type SmtpReply } from './smtp/index.js';
import type { Classification } from './verdict.js';

// Replies repeat: every accepted recipient gets the same `250 2.1.5 Ok`, and every unknown one at a server the same
// refusal around its own address (`550 5.1.1 <gone3@example.com>: Recipient address rejected: User unknown …`).
// Each distinct one is classified once per process; the memo is bounded.
const MEMO_ENTRIES = 512;
const MEMO_MAX_TEXT = 200;
const memo = new Map<string, Classification>();

// The classifier reads the stage, the codes and `serverWording(text)`, whose second step turns every `<…>` (no
// `<` or `>` inside) into one placeholder, and whose first step (URLs) never adds, removes or crosses a `<` or `>`.
// So two texts that differ only inside such brackets have the same wording: the memo keys them alike, and a
// refusal echoing each recipient's address is classified once per server wording, not once per recipient.
// classify-memo.test.ts holds this against the reply corpus.
const ANGLE_BRACKETS = /<[^<>]*>/g;

/** `classifyReply('rcpt', reply)`, memoised by everything it reads. */
export function classifyRcptReply(reply: SmtpReply): Classification {
  if (reply.text.length > MEMO_MAX_TEXT) return classifyReply('rcpt', reply);
  const text = reply.text.includes('<') ? reply.text.replace(ANGLE_BRACKETS, '<>') : reply.text;
  const key = `${reply.code} ${reply.enhancedCode ?? ''} ${text}`;
  let classification = memo.get(key);
  if (classification === undefined) {
    classification = classifyReply('rcpt', reply);
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    memo.set(key, classification);
  }
  return classification;
}
