import { readFileSync } from 'node:fs';
import { MAX_REPLY_TEXT_LENGTH } from '@mailprobe/core';
import { type FakeInternet, type FakeSmtpOptions, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './engine.js';
import { classifyReply, parseQuotedReply, type SmtpReply } from './smtp/index.js';

// Every reply of the corpus (corpus/replies.jsonl), sent by a real SMTP server on loopback to a real RCPT TO of the
// engine, multi-line replies as their lines: the engine's verdict must be the classifier's, and its evidence the
// reply the server sent. This holds the whole path (socket, reply parser, pipelined sessions, the catch-all probe,
// transactions split by "too many recipients", the classification memo, the result) to what bench:replies measures.
// Each server hosts twenty replies' recipients at one domain, so they share sessions as a list's do, pipelined and one
// RCPT at a time (servers without PIPELINING). A 421 closes the session it is given in (RFC 5321 §3.8), so each of
// those has a domain of its own: in a shared one, the recipients after it are left unanswered, no verdict about them.

interface CorpusRow {
  id: number;
  reply: string;
}

const REPLIES_PER_DOMAIN = 20;
const rows = readFileSync(new URL('../corpus/replies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusRow);

const cases = rows.map((row, index) => {
  const reply = parseQuotedReply(row.reply);
  const domain =
    reply.code === 421 ? `s${row.id}.wire.test` : `d${Math.floor(index / REPLIES_PER_DOMAIN)}.wire.test`;
  return { id: row.id, address: `r${row.id}@${domain}`, domain, reply };
});

/** A fake internet whose servers answer each case's recipient with its reply, and an engine on its DNS. */
async function startWire(pipelining: boolean): Promise<{ internet: FakeInternet; engine: Engine }> {
  const domains: Record<string, { mx: { host: string; smtp: FakeSmtpOptions }[] }> = {};
  for (const { address, domain, reply } of cases) {
    domains[domain] ??= { mx: [{ host: `mx.${domain}`, smtp: { rcptReplies: {}, pipelining } }] };
    const smtp = (domains[domain].mx[0] as { smtp: { rcptReplies: Record<string, string> } }).smtp;
    smtp.rcptReplies[address] = reply.lines.join('\r\n');
  }
  const internet = await startFakeInternet({ domains });
  return { internet, engine: createEngine(internet.engineOptions) };
}

const wires: { internet: FakeInternet; engine: Engine }[] = [];
afterAll(async () => {
  for (const { internet, engine } of wires.splice(0)) {
    await engine.close();
    await internet.close();
  }
});

/** What the result's evidence says of the reply: code, enhanced code, text (bounded as every result's is). */
const evidenceOf = (reply: SmtpReply) => ({
  replyCode: reply.code,
  enhancedCode: reply.enhancedCode ?? null,
  replyText: reply.text.slice(0, MAX_REPLY_TEXT_LENGTH),
});

describe('the reply corpus over the wire', () => {
  it.each([
    ['pipelined', true],
    ['one RCPT at a time', false],
  ])(
    `%s: gives every one of the ${rows.length} replies the classifier's status and reason, with the reply as its evidence`,
    async (_mode, pipelining) => {
      const wire = await startWire(pipelining);
      wires.push(wire);
      const results = await wire.engine.verifyMany(cases.map(({ address }) => address));
      const mismatches = cases.flatMap(({ id, reply }, index) => {
        const result = results[index];
        const expected = classifyReply('rcpt', reply);
        const got = {
          status: result?.status,
          reason: result?.reason,
          replyCode: result?.smtp?.replyCode,
          enhancedCode: result?.smtp?.enhancedCode,
          replyText: result?.smtp?.replyText,
        };
        const want = { status: expected.status, reason: expected.reason, ...evidenceOf(reply) };
        return JSON.stringify(got) === JSON.stringify(want) ? [] : [{ id, got, want }];
      });
      expect(mismatches).toEqual([]);
    },
  );
});
