import { MAX_REPLY_TEXT_LENGTH } from '@mailprobe/core';
import {
  type FakeInternet,
  replyCorpusOnTheWire,
  startFakeInternet,
  wireMismatches,
} from '@mailprobe/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './engine.js';
import { classifyReply, parseQuotedReply } from './smtp/index.js';

// Every reply of the corpus (corpus/replies.jsonl) sent by a real SMTP server on loopback to a real RCPT TO of the
// engine, multi-line replies as their lines, echoing the recipient's own address as real servers do: the engine's
// verdict must be the classifier's, and its evidence the reply the server sent. This holds the whole path (socket,
// reply parser, pipelined or one-at-a-time sessions, the catch-all probe, transactions split by "too many
// recipients", the classification memo, the result) to what bench:replies measures. Twenty recipients share a domain,
// and so sessions, as a list's do (replyCorpusOnTheWire).

const started: { internet: FakeInternet; engine: Engine }[] = [];
afterAll(async () => {
  for (const { internet, engine } of started.splice(0)) {
    await engine.close();
    await internet.close();
  }
});

describe('the reply corpus over the wire', () => {
  it.each([
    ['pipelined', true],
    ['one RCPT at a time', false],
  ])(
    "%s: every reply gets the classifier's status and reason, with the reply as its evidence",
    async (_mode, pipelining) => {
      const { cases, domains } = replyCorpusOnTheWire(parseQuotedReply, { pipelining });
      const internet = await startFakeInternet({ domains });
      const engine = createEngine(internet.engineOptions);
      started.push({ internet, engine });
      const results = await engine.verifyMany(cases.map(({ address }) => address));
      expect(results).toHaveLength(cases.length);
      const expected = (reply: (typeof cases)[number]['reply']) => classifyReply('rcpt', reply);
      expect(wireMismatches(cases, results, expected, MAX_REPLY_TEXT_LENGTH)).toEqual([]);
    },
  );
});
