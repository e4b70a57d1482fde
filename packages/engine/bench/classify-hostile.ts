// What one reply from a hostile server costs the classifier (prints figures; asserts nothing): replies as large as
// the reply parser lets through (DEFAULT_REPLY_LIMITS: lines of 2 KiB, 16 KiB in all), made of the shapes that make
// text patterns backtrack — long runs of letters, of `@`, dots, colons and hyphens, the lexicon's own words repeated,
// and random mixes of words, addresses, hosts and URLs. Each reply is classified warm (after two passes), five times;
// the figure is its mean. The event loop waits that long for every such reply the server sends.
// Run: pnpm --filter @mailprobe/engine bench   (or: node --conditions=@mailprobe/source --import tsx bench/classify-hostile.ts)
import { classifyReply, parseReply } from '../src/index.js';
import { DEFAULT_REPLY_LIMITS } from '../src/smtp/reply-parser.js';

const LINE = DEFAULT_REPLY_LIMITS.maxLineBytes - 16;
/** As many full lines as fit the parser's reply limit. */
const LINES = Math.floor(DEFAULT_REPLY_LIMITS.maxReplyBytes / (LINE + 16));
const WORDS = [
  'user',
  'unknown',
  'mailbox',
  'not',
  'found',
  'does',
  'exist',
  'sender',
  'or',
  'maybe',
  'blocked',
  'spam',
  'try',
  'later',
  'a@b.c',
  '<x@y.z>',
  'mx.host.example',
  '...',
  'invalid',
  'recipient',
  'disabled',
  'quota',
  '5.1.1',
  'http://x.example/z',
  '(#5.1.1)',
  'no such',
  'relay',
  'denied',
];

let seed = 20261207;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

function replyOf(lines: readonly string[]): string {
  return `${lines.map((line, index) => `550${index === lines.length - 1 ? ' ' : '-'}5.1.1 ${line}`).join('\r\n')}\r\n`;
}

function mixed(separator: string): string {
  let line = '';
  while (line.length < LINE) line += `${WORDS[Math.floor(random() * WORDS.length)]}${separator}`;
  return line.slice(0, LINE);
}

const repeated = (unit: string) => unit.repeat(Math.ceil(LINE / unit.length)).slice(0, LINE);

const shapes: Array<[name: string, line: () => string]> = [
  ['letters', () => repeated('a')],
  ['hex digits', () => repeated('ab12')],
  ['a@ repeated', () => repeated('a@')],
  ['a. repeated', () => repeated('a.')],
  ['a: repeated', () => repeated('a:')],
  ['x- repeated', () => repeated('x-')],
  ['dots', () => repeated('.')],
  ['quotes', () => repeated('"a')],
  ['angle brackets', () => repeated('<a')],
  ['"user " repeated', () => repeated('user ')],
  ['"no " repeated', () => repeated('no ')],
  ['HTML entities', () => repeated('&amp;')],
  ['words, spaces', () => mixed(' ')],
  ['words, glued', () => mixed('')],
  ['words, dots', () => mixed('.')],
];

const results = shapes.map(([name, line]) => {
  const reply = parseReply(replyOf(Array.from({ length: LINES }, line)));
  for (let pass = 0; pass < 2; pass += 1) classifyReply('rcpt', reply);
  const started = performance.now();
  for (let run = 0; run < 5; run += 1) classifyReply('rcpt', reply);
  return { name, bytes: reply.text.length, ms: (performance.now() - started) / 5 };
});
results.sort((a, b) => b.ms - a.ms);
console.log(
  `classifyReply on hostile replies at the parser's limits (${LINES} lines of ${LINE + 16} bytes), warm, mean of 5:`,
);
for (const { name, bytes, ms } of results)
  console.log(`  ${ms.toFixed(2).padStart(6)} ms  ${name} (${bytes} characters)`);
console.log(`worst: ${results[0]?.ms.toFixed(2)} ms per reply (${results[0]?.name})`);
