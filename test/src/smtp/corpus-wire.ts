import { readFileSync } from 'node:fs';
import type { FakeDomain } from '../fake-internet.js';

/** The engine's reply corpus (one JSON object per line, `id` and `reply` among its fields). */
export const REPLY_CORPUS = new URL('../../../packages/engine/corpus/replies.jsonl', import.meta.url);

/** What the wire needs of a reply: its code and its lines as the server writes them; and what a result shows of it. */
export interface WireReply {
  code: number;
  enhancedCode?: string | null;
  text: string;
  lines: readonly string[];
}

/** What a verification result says of a case: the verdict, and the reply as its evidence. */
export interface WireResult {
  address: string;
  status: string;
  reason: string;
  smtp?: { replyCode: number | null; enhancedCode: string | null; replyText: string | null } | null;
}

/** One corpus reply as a fake server gives it to the RCPT TO of `address`. */
export interface CorpusWireCase<R extends WireReply> {
  id: number;
  address: string;
  /** The reply the server sends, read back with the caller's reader. */
  reply: R;
}

export interface CorpusWire<R extends WireReply> {
  cases: CorpusWireCase<R>[];
  /** For `startFakeInternet`: the domains, each on a server of its own. */
  domains: Record<string, FakeDomain>;
}

/** Replies of one domain: they share sessions, as a list's addresses at one domain do. */
const REPLIES_PER_DOMAIN = 20;
/** The first address a reply echoes (the corpus keeps each reply's own, or an example one). */
const ECHOED_ADDRESS = /[\w.%+'=-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;

/**
 * Every reply of the corpus as a real server would give it to one recipient of a list: the address the reply echoes
 * becomes that recipient's own (as real servers echo the RCPT TO), twenty recipients per domain. A 421 closes the
 * session it is given in (RFC 5321 §3.8), so each of those has a domain of its own: in a shared one, the recipients
 * after it would be left unanswered, which says nothing about them. `read` is the engine's `parseQuotedReply` (the
 * test kit does not depend on the engine).
 */
export function replyCorpusOnTheWire<R extends WireReply>(
  read: (quoted: string) => R,
  smtp: { pipelining?: boolean } = {},
): CorpusWire<R> {
  const rows = readFileSync(REPLY_CORPUS, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: number; reply: string });
  const domains: Record<string, FakeDomain> = {};
  const replies = new Map<string, Record<string, string>>();
  const cases = rows.map((row, index) => {
    const quoted = read(row.reply);
    const domain =
      quoted.code === 421
        ? `s${row.id}.corpus.test`
        : `d${Math.floor(index / REPLIES_PER_DOMAIN)}.corpus.test`;
    const address = `r${row.id}@${domain}`;
    const echoed = ECHOED_ADDRESS.exec(quoted.lines.join('\n'))?.[0];
    const lines = echoed ? quoted.lines.map((line) => line.replaceAll(echoed, address)) : quoted.lines;
    let rcptReplies = replies.get(domain);
    if (!rcptReplies) {
      rcptReplies = {};
      replies.set(domain, rcptReplies);
      domains[domain] = { mx: [{ host: `mx.${domain}`, smtp: { ...smtp, rcptReplies } }] };
    }
    rcptReplies[address] = lines.join('\r\n');
    return { id: row.id, address, reply: read(lines.join('\n')) };
  });
  return { cases, domains };
}

/**
 * The cases whose result is not the verdict `expected` gives their reply, with the reply (its text bounded to
 * `maxTextLength`, as every result's evidence is) as evidence; each with what it got and what it wanted.
 */
export function wireMismatches<R extends WireReply>(
  cases: readonly CorpusWireCase<R>[],
  results: readonly (WireResult | undefined)[],
  expected: (reply: R) => { status: string; reason: string },
  maxTextLength: number,
): { id: number; got: unknown; want: unknown }[] {
  return cases.flatMap(({ id, address, reply }, index) => {
    const result = results[index];
    const got = {
      address: result?.address,
      status: result?.status,
      reason: result?.reason,
      replyCode: result?.smtp?.replyCode,
      enhancedCode: result?.smtp?.enhancedCode,
      replyText: result?.smtp?.replyText,
    };
    const { status, reason } = expected(reply);
    const want = {
      address,
      status,
      reason,
      replyCode: reply.code,
      enhancedCode: reply.enhancedCode ?? null,
      replyText: reply.text.slice(0, maxTextLength),
    };
    return JSON.stringify(got) === JSON.stringify(want) ? [] : [{ id, got, want }];
  });
}
