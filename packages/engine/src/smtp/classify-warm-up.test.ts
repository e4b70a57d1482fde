import { describe, expect, it } from 'vitest';
import { CLASSIFICATION_RULES, classifyReply } from './classify.js';
import { warmClassifier, warmUpReplies } from './classify-warm-up.js';
import { parseReply } from './reply-parser.js';
import type { SmtpStage } from './types.js';

describe('warmClassifier', () => {
  const replies = warmUpReplies();

  it('reaches every rule at one of its stages at least, in one-byte and two-byte text', () => {
    const warmed = new Set(replies.map(([stage]) => stage));
    for (const rule of CLASSIFICATION_RULES as readonly { id: string; stages?: readonly SmtpStage[] }[]) {
      if (rule.stages)
        expect(
          rule.stages.some((stage) => warmed.has(stage)),
          rule.id,
        ).toBe(true);
    }
    // V8 compiles an expression once per string width: both must be walked.
    const twoByte = replies.filter(([, text]) => [...text].some((char) => (char.codePointAt(0) ?? 0) > 0xff));
    expect(twoByte.length).toBeGreaterThan(0);
    expect(twoByte.length).toBeLessThan(replies.length);
  });

  it('walks every reply class and the common verdicts, and every reply parses', () => {
    const classes = new Set(replies.map(([, text]) => text[0]));
    expect([...classes].sort()).toEqual(['2', '4', '5']);
    const statuses = new Set(replies.map(([stage, text]) => classifyReply(stage, parseReply(text)).status));
    expect([...statuses].sort()).toEqual(['INVALID', 'UNKNOWN', 'VALID']);
    expect(warmClassifier()).toBeGreaterThanOrEqual(0);
  });
});
