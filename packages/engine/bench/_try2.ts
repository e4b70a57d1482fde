import { classifyReply } from '../src/smtp/classify.js';
import { parseQuotedReply as corpusReply } from '../src/smtp/quoted-reply.js';
import { readFileSync } from 'node:fs';
const lines = readFileSync(process.argv[2] ?? 0, 'utf8').split('\n').filter(Boolean);
for (const l of lines) {
  const r = classifyReply('rcpt', corpusReply(l.split('\\n').join('\n')));
  console.log(`${r.status.padEnd(8)} ${String(r.reason).padEnd(20)} ${l.slice(0, 150)}`);
}
