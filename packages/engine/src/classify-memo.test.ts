import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyRcptReply } from './classify-memo.js';
import { REPLY_FIXTURES } from './smtp/__fixtures__/replies.js';
import { classifyReply, parseReply } from './smtp/index.js';
import { parseQuotedReply } from './smtp/quoted-reply.js';

// The memo keys a reply with every `<…>` emptied: it must answer exactly what the classifier answers, whatever the
// brackets held, on real replies (the corpus's development rows and the fixtures) and on echoes chosen to tempt it.
const corpusReplies = readFileSync(new URL('../corpus/replies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { split: string; reply: string })
  .filter((row) => row.split === 'dev')
  // Rows quoted without their reply code (round 4) are read as the reply they quote, as the corpus bench does.
  .map((row) => parseQuotedReply(row.reply).lines.join('\r\n'));
const fixtureReplies = REPLY_FIXTURES.filter((fixture) => fixture.stage === 'rcpt').map(
  (fixture) => fixture.raw,
);
const crafted = [
  '550 5.1.1 <gone3@d1.pfbench.test>: Recipient address rejected: User unknown in virtual mailbox table',
  '554 5.7.1 <x@example.com>: Relay access denied',
  '550 5.7.1 <http://www.spamhaus.org/query/bl?ip=192.0.2.1> blocked',
  '550 5.7.1 Service unavailable; see http://www.spamhaus.org/<x@example.com>',
  '550 <>: no such user',
  '550 5.1.1 User <a> <b> unknown <c@d.example> try again in 5 minutes',
  '451 4.7.1 <x@example.com>: Recipient address rejected: Greylisted, retry in 300 seconds',
];
const echoes = [
  '<>',
  '<user-unknown@blocked.example>',
  '<http://www.spamhaus.org/query/bl?ip=192.0.2.1>',
  '<no such user>',
  '<www.spamcop.net>',
  '<mailbox full>',
];

const parse = (raw: string) => parseReply(raw.endsWith('\n') ? raw : `${raw}\r\n`);

describe('classifyRcptReply', () => {
  const replies = [...corpusReplies, ...fixtureReplies, ...crafted];

  it('answers what classifyReply answers, memoised or not', () => {
    expect(replies.length).toBeGreaterThan(300);
    for (const raw of replies) {
      const reply = parse(raw);
      const direct = classifyReply('rcpt', reply);
      expect(classifyRcptReply(reply), raw).toEqual(direct);
      expect(classifyRcptReply(reply), raw).toEqual(direct);
    }
  });

  it('answers for each echo what classifyReply answers, after another echo filled the memo', () => {
    let withBrackets = 0;
    for (const raw of replies) {
      if (!/<[^<>]*>/.test(raw)) continue;
      withBrackets += 1;
      classifyRcptReply(parse(raw));
      for (const echo of echoes) {
        const variant = parse(raw.replace(/<[^<>\r\n]*>/g, echo));
        expect(classifyRcptReply(variant), `${raw} with ${echo}`).toEqual(classifyReply('rcpt', variant));
      }
    }
    expect(withBrackets).toBeGreaterThan(50);
  });
});
