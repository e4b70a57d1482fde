import { classifyReply } from './src/index.js';
import { corpusReply } from './bench/corpus-reply.js';
for (const text of process.argv.slice(2)) {
  const r = classifyReply('rcpt', corpusReply(text));
  console.log(JSON.stringify(r), '|', text);
}
