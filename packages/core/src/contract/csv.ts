import { providerOfMx } from '../providers.js';
import type { VerificationResult } from '../vocabulary.js';

/**
 * Column names of `GET /v1/jobs/:id/results` with `Accept: text/csv`, in order.
 * Booleans are `true`/`false`, absent values are empty, `mx` is space-separated.
 */
export const RESULT_CSV_COLUMNS = [
  'address',
  'normalized',
  'status',
  'reason',
  'domain',
  'role_account',
  'disposable',
  'free_provider',
  'catch_all',
  'suggestion',
  'mx',
  'smtp_host',
  'smtp_ip',
  'smtp_reply_code',
  'smtp_enhanced_code',
  'smtp_reply_text',
  'checked_at',
  'cached',
  'total_ms',
  'provider',
] as const;
export type ResultCsvColumn = (typeof RESULT_CSV_COLUMNS)[number];

/** Header names recognised (case-insensitively) as the address column of an uploaded CSV. */
export const EMAIL_COLUMN_NAMES: readonly string[] = ['email', 'e-mail', 'email_address'];

const NEEDS_QUOTES = /[",\r\n]/;

// OWASP's CSV-injection rule: a cell that starts with one of these is read as a formula by Excel,
// LibreOffice and Google Sheets (tab and CR too, since some spreadsheets strip them first).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell value made safe to open in a spreadsheet: one that could start a formula gets a leading `'`.
 * Every cell Mailprobe writes from third-party text (reply texts, suggestions, hosts) passes through this; a
 * tenant's own cells only when they ask (`excelSafe`), since a phone number `+1 555…` must come back as sent.
 */
export function neutralizeCsvFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Quotes one CSV field per RFC 4180 (quoting only when needed). */
export function escapeCsvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The header line of a results CSV (no line ending). */
export function resultCsvHeader(): string {
  return RESULT_CSV_COLUMNS.join(',');
}

/** One result as CSV field values, in `RESULT_CSV_COLUMNS` order (formula-neutralized, not yet quoted). */
export function resultToCsvValues(result: VerificationResult): string[] {
  const text = (value: string | number | boolean | null | undefined): string =>
    value === null || value === undefined ? '' : String(value);
  const values: Record<ResultCsvColumn, string> = {
    address: result.address,
    normalized: text(result.normalized),
    status: result.status,
    reason: result.reason,
    domain: text(result.domain),
    role_account: text(result.flags.roleAccount),
    disposable: text(result.flags.disposable),
    free_provider: text(result.flags.freeProvider),
    catch_all: text(result.flags.catchAll),
    suggestion: text(result.suggestion),
    mx: result.mx.join(' '),
    smtp_host: text(result.smtp?.host),
    smtp_ip: text(result.smtp?.ip),
    smtp_reply_code: text(result.smtp?.replyCode),
    smtp_enhanced_code: text(result.smtp?.enhancedCode),
    smtp_reply_text: text(result.smtp?.replyText),
    checked_at: result.checkedAt,
    cached: text(result.cached),
    total_ms: text(result.timings.totalMs),
    // Results stored before `provider` existed get it from their MX list: the same pure function decides.
    provider: result.provider ?? providerOfMx(result.mx),
  };
  return RESULT_CSV_COLUMNS.map((column) => neutralizeCsvFormula(values[column]));
}

/** One result as an escaped CSV line (no line ending); lines are joined with CRLF. */
export function resultToCsvRow(result: VerificationResult): string {
  return resultToCsvValues(result).map(escapeCsvField).join(',');
}

/**
 * Where the addresses are in an uploaded CSV, judged from its first row: a column named like
 * `EMAIL_COLUMN_NAMES` (that row is a header); otherwise the first column, and the first row is a header
 * only if its first cell holds no `@`.
 */
export function emailColumn(firstRow: readonly string[]): { index: number; hasHeader: boolean } {
  const index = firstRow.findIndex((cell) => EMAIL_COLUMN_NAMES.includes(cell.trim().toLowerCase()));
  if (index >= 0) return { index, hasHeader: true };
  return { index: 0, hasHeader: !(firstRow[0] ?? '').includes('@') };
}

/** The delimiters a CSV list may use, the default first (Excel in many locales writes `;`, some tools tabs). */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;

/**
 * The delimiter of a CSV: whichever of `,` `;` tab occurs most in its first line outside quotes (`,` on a tie or when
 * none does), so a quoted cell such as `"Smith, John"` in a `;` list does not vote for the comma.
 */
export function detectCsvDelimiter(head: string): string {
  const counts = new Map<string, number>(CSV_DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const character of head) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === '\n' || character === '\r')) break;
    else if (!quoted && counts.has(character)) counts.set(character, (counts.get(character) ?? 0) + 1);
  }
  let best: string = CSV_DELIMITERS[0];
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

/**
 * The line ending of a CSV: its first line break outside quotes, or `fallback` when the text holds none (the CLI
 * writes `\n` then, the prober RFC 4180's `\r\n`).
 */
export function detectCsvLineEnding(text: string, fallback: '\n' | '\r\n'): string {
  let quoted = false;
  for (let position = 0; position < text.length; position += 1) {
    const character = text[position];
    if (character === '"') quoted = !quoted;
    else if (!quoted && character === '\n') return '\n';
    else if (!quoted && character === '\r') return text[position + 1] === '\n' ? '\r\n' : '\r';
  }
  return fallback;
}
