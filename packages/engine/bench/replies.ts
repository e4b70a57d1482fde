// Accuracy of the reply classifier on the committed corpus of real replies (prints figures; asserts nothing).
// Run: pnpm --filter @mailprobe/engine bench:replies [-- --split dev|heldout] [-- --round 1|2|…|18|20|…|30] [-- --misses]
// On replies of your own, labelled the same way: [-- --corpus file.jsonl] — one JSON object per line with `reply` (the
// reply as quoted: parseQuotedReply reads it) and `status` (VALID, INVALID or UNKNOWN), optionally `reason`, `id` (else
// the line number) and `split` (rows without one are reported together as "all").
import { readFileSync } from 'node:fs';
import { type Status, statusOf } from '@mailprobe/core';
import { classifyReply, SmtpProtocolError, type SmtpReply } from '../src/index.js';
import { parseQuotedReply } from '../src/smtp/quoted-reply.js';

interface CorpusRow {
  id: number;
  /** `dev` or `heldout` in the committed corpus; any name, or `all` when absent, in a file given by `--corpus`. */
  split: string;
  reply: string;
  status: Status;
  /** Absent in a file given by `--corpus` that labels statuses only: reason agreement then counts labelled rows. */
  reason?: string;
  /** `reply` as parseQuotedReply reads it, once; null when no server could have sent it (see readReply). */
  read: SmtpReply | null;
}

interface Prediction {
  status: Status;
  reason: string;
}

const CORPUS_URL = new URL('../corpus/replies.jsonl', import.meta.url);
/** Corpus rounds by id range (corpus/README.md): each was labelled and split before the classifier saw it. */
const ROUNDS: Record<string, [first: number, last: number]> = {
  '1': [1, 346],
  '2': [347, 404],
  '3': [405, 636],
  '4': [637, 858],
  '5': [859, 1144],
  '6': [1145, 1376],
  '7': [1377, 1608],
  '8': [1609, 1752],
  '9': [1753, 2047],
  '10': [2048, 2246],
  '11': [2247, 2337],
  '12': [2338, 2511],
  '13': [2512, 2628],
  '14': [2629, 2752],
  '15': [2753, 2893],
  '16': [2894, 3034],
  '17': [3035, 3217],
  '18': [3218, 3388],
  // Round 19 was classified once but not merged (too few rows for a split).
  '20': [3389, 3612],
  '21': [3613, 3675],
  '22': [3676, 3748],
  '23': [3749, 3847],
  '24': [3848, 3890],
  '25': [3891, 3999],
  '26': [4000, 4075],
  '27': [4076, 4130],
  '28': [4131, 4178],
  '29': [4179, 4207],
  '30': [4208, 4232],
  '31': [4233, 4254],
  '32': [4255, 4339],
  '33': [4340, 4357],
};
const STATUSES: Status[] = ['VALID', 'INVALID', 'UNKNOWN'];

function loadCorpus(file: string | URL): CorpusRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, number }) => {
      let row: Partial<CorpusRow>;
      try {
        row = JSON.parse(line) as Partial<CorpusRow>;
      } catch {
        throw new Error(`${file}, line ${number}: not a JSON object`);
      }
      if (typeof row.reply !== 'string' || !STATUSES.includes(row.status as Status))
        throw new Error(
          `${file}, line ${number}: needs "reply" (text) and "status" (${STATUSES.join(', ')})`,
        );
      return {
        id: typeof row.id === 'number' ? row.id : number,
        split: typeof row.split === 'string' ? row.split : 'all',
        reply: row.reply,
        status: row.status as Status,
        ...(typeof row.reason === 'string' ? { reason: row.reason } : {}),
        read: readReply(row.reply),
      };
    });
}

/** Every row is read as the reply to RCPT TO, the stage the corpus was labelled for. */
function classify(row: CorpusRow): Prediction {
  if (!row.read) return UNREADABLE;
  const { status, reason } = classifyReply('rcpt', row.read);
  return { status, reason };
}

/** The rule-free baseline: any 5xx is INVALID, any 2xx VALID, everything else UNKNOWN. */
function baseline(row: CorpusRow): Prediction {
  const code = row.read?.code;
  if (code === undefined) return UNREADABLE;
  if (code >= 500) return { status: 'INVALID', reason: 'mailbox_not_found' };
  if (code < 300) return { status: statusOf('accepted'), reason: 'accepted' };
  return { status: 'UNKNOWN', reason: 'temporary_failure' };
}

/**
 * A row's reply, or null when no server could have sent it (a line over the parser's limits, control characters: a
 * file given by `--corpus` may hold such rows; the committed corpus holds none). The engine ends a session on such a
 * reply with UNKNOWN, and so is it counted.
 */
function readReply(quoted: string): SmtpReply | null {
  try {
    return parseQuotedReply(quoted);
  } catch (error) {
    if (error instanceof SmtpProtocolError) return null;
    throw error;
  }
}
const UNREADABLE: Prediction = { status: 'UNKNOWN', reason: 'unexpected_response' };

const percent = (part: number, whole: number) =>
  whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`;

function report(title: string, rows: CorpusRow[], predict: (row: CorpusRow) => Prediction, misses: boolean) {
  const predictions = rows.map((row) => ({ row, predicted: predict(row) }));
  const count = (test: (row: CorpusRow, predicted: Prediction) => boolean) =>
    predictions.filter(({ row, predicted }) => test(row, predicted)).length;
  const statusAgreement = count((row, predicted) => row.status === predicted.status);
  const reasonAgreement = count((row, predicted) => row.reason === predicted.reason);
  const reasonLabelled = count((row) => row.reason !== undefined);
  const falseInvalid = count((row, predicted) => predicted.status === 'INVALID' && row.status !== 'INVALID');
  const falseValid = count((row, predicted) => predicted.status === 'VALID' && row.status !== 'VALID');
  const labelledInvalid = count((row) => row.status === 'INVALID');
  const missedInvalid = count((row, predicted) => row.status === 'INVALID' && predicted.status !== 'INVALID');
  console.log(`\n${title} (${rows.length} replies)`);
  console.log(
    `  status agreement  ${statusAgreement}/${rows.length} = ${percent(statusAgreement, rows.length)}`,
  );
  console.log(
    `  reason agreement  ${reasonAgreement}/${reasonLabelled} = ${percent(reasonAgreement, reasonLabelled)}`,
  );
  console.log(`  false INVALID     ${falseInvalid}`);
  console.log(`  false VALID       ${falseValid}`);
  console.log(`  missed INVALID    ${missedInvalid} of ${labelledInvalid}`);
  console.log('  confusion (rows: label, columns: verdict)');
  console.log(`    ${''.padEnd(8)}${STATUSES.map((status) => status.padStart(9)).join('')}`);
  for (const label of STATUSES) {
    const cells = STATUSES.map((verdict) =>
      String(count((row, predicted) => row.status === label && predicted.status === verdict)).padStart(9),
    );
    console.log(`    ${label.padEnd(8)}${cells.join('')}`);
  }
  if (!misses) return;
  for (const { row, predicted } of predictions) {
    if (row.status === predicted.status && (row.reason === undefined || row.reason === predicted.reason))
      continue;
    const mark = row.status === predicted.status ? 'reason' : 'STATUS';
    console.log(
      `  ${mark} #${row.id} label ${row.status}/${row.reason ?? '—'}, got ${predicted.status}/${predicted.reason}: ${row.reply.replace(/\n/g, ' / ')}`,
    );
  }
}

function main() {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const only = option('--split');
  const misses = args.includes('--misses');
  const file = option('--corpus');
  if (args.includes('--corpus') && !file) throw new Error('--corpus takes the path of a JSON-lines file');
  const round = args.includes('--round') ? ROUNDS[option('--round') ?? ''] : undefined;
  if (args.includes('--round') && !round)
    throw new Error(`--round takes one of ${Object.keys(ROUNDS).join(', ')}`);
  if (round && file)
    throw new Error('--round is a round of the committed corpus, not of a file given by --corpus');
  const corpus = loadCorpus(file ?? CORPUS_URL).filter(
    (row) => !round || (row.id >= round[0] && row.id <= round[1]),
  );
  console.log(
    `${file ? `Replies of ${file}` : 'Reply corpus'}${round ? ` (rows ${round[0]}–${round[1]})` : ''}: ${corpus.length} real replies, each classified as a reply to RCPT TO.`,
  );
  const splits = [...new Set(corpus.map((row) => row.split))].sort((a, b) =>
    a === 'dev' ? -1 : b === 'dev' ? 1 : a.localeCompare(b),
  );
  for (const split of splits) {
    if (only && only !== split) continue;
    const rows = corpus.filter((row) => row.split === split);
    report(`${split}: classifyReply`, rows, classify, misses);
    report(`${split}: baseline "any 5xx is INVALID"`, rows, baseline, false);
  }
}

main();
