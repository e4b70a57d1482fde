// What a fresh process's first replies cost the classifier, and what warmClassifier() moves before them (prints
// figures; asserts nothing). V8 compiles each regular expression the first time it runs, and keeps the code: the
// first replies of a process pay for the table's large expressions, the event loop waiting meanwhile. Each run is a
// fresh child process that classifies the reply corpus in order twice (as replies to RCPT TO): "cold" straight away,
// "warmed" after warmClassifier(). Printed per run: the warm-up's time, the first pass (total, its slowest reply and
// the first refusal's time) and the second pass (everything compiled) — the first pass less the second is what
// compiling still costs there.
// Run: pnpm --filter @mailprobe/engine bench   (or: node --conditions=@mailprobe/source --import tsx bench/classify-cold.ts)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { classifyReply, warmClassifier } from '../src/index.js';
import { parseQuotedReply } from '../src/smtp/quoted-reply.js';

const CORPUS = fileURLToPath(new URL('../corpus/replies.jsonl', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Pass {
  totalMs: number;
  slowestMs: number;
  firstRefusalMs: number;
}

function pass(replies: ReturnType<typeof parseQuotedReply>[]): Pass {
  const started = performance.now();
  let slowestMs = 0;
  let firstRefusalMs = Number.NaN;
  for (const reply of replies) {
    const before = performance.now();
    classifyReply('rcpt', reply);
    const ms = performance.now() - before;
    slowestMs = Math.max(slowestMs, ms);
    if (Number.isNaN(firstRefusalMs) && reply.code >= 500) firstRefusalMs = ms;
  }
  return { totalMs: performance.now() - started, slowestMs, firstRefusalMs };
}

function child(warm: boolean): void {
  // Parsed before the clock starts: the reply parser is not what is measured.
  const replies = readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => parseQuotedReply((JSON.parse(line) as { reply: string }).reply));
  const warmUpMs = warm ? warmClassifier() : 0;
  const first = pass(replies);
  const second = pass(replies);
  process.stdout.write(JSON.stringify({ replies: replies.length, warmUpMs, first, second }));
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function parent(): void {
  console.log(`classifier in a fresh process, ${RUNS} runs each (median): the reply corpus classified twice`);
  for (const mode of ['cold', 'warmed'] as const) {
    const runs: { replies: number; warmUpMs: number; first: Pass; second: Pass }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), mode], {
        encoding: 'utf8',
      });
      if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`);
      runs.push(JSON.parse(out.stdout));
    }
    const pick = (read: (r: (typeof runs)[number]) => number) => median(runs.map(read));
    console.log(
      `  ${mode.padEnd(6)} warm-up ${ms(pick((r) => r.warmUpMs))}; first pass of ${runs[0]?.replies} replies ` +
        `${ms(pick((r) => r.first.totalMs))} (slowest reply ${ms(pick((r) => r.first.slowestMs))}, first refusal ` +
        `${ms(pick((r) => r.first.firstRefusalMs))}); second pass ${ms(pick((r) => r.second.totalMs))} ` +
        `(slowest ${ms(pick((r) => r.second.slowestMs))})`,
    );
  }
}

const mode = process.argv[2];
if (mode === 'cold' || mode === 'warmed') child(mode === 'warmed');
else parent();
