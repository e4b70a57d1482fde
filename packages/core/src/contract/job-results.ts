import { z } from 'zod';
import { StatusSchema, type VerificationResult, VerificationResultSchema } from '../vocabulary.js';
import { neutralizeCsvFormula, RESULT_CSV_COLUMNS, resultToCsvValues } from './csv.js';
import type { JobRowCounts } from './jobs.js';

/** Why a row was not verified on its own: a blank address cell, or an address an earlier row already holds. */
export const JOB_ROW_SKIPS = ['blank', 'duplicate'] as const;
export const JobRowSkipSchema = z.enum(JOB_ROW_SKIPS);
export type JobRowSkip = z.infer<typeof JobRowSkipSchema>;

const rowFields = {
  row: z.int().positive().describe('1-based number of the input row (header and blank lines not counted)'),
  input: z.string().describe('The address cell exactly as uploaded'),
  columns: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe(
      'The original row: CSV header → cell (as uploaded), an NDJSON object as sent; null for a JSON list',
    ),
};

/**
 * One line of `GET /v1/jobs/:id/results` for a row whose address was verified: `address` and `input` are the
 * address exactly as the row gave it, `row` its 1-based number among the upload's data rows (header and blank
 * lines not counted), `columns` the whole original row (CSV: header → cell; NDJSON objects: as sent; a plain JSON
 * list: null). `skipped` is `duplicate` (with `duplicateOf`, the row that first held the address) when an earlier
 * row holds the same address: it carries that address's verdict, verified and charged once.
 */
export const JobVerifiedRowSchema = VerificationResultSchema.extend({
  ...rowFields,
  skipped: z.literal('duplicate').nullable().optional().describe('`duplicate`, or null'),
  duplicateOf: z.int().positive().nullable().optional().describe('The earlier row holding this address'),
});

/** One line of `GET /v1/jobs/:id/results` for a row whose address cell is blank: no verdict, not charged. */
export const JobSkippedRowSchema = z.object({
  ...rowFields,
  status: z.null(),
  reason: z.null(),
  skipped: z.literal('blank'),
  duplicateOf: z.null(),
});

/** One line of `GET /v1/jobs/:id/results`: a verified row, or a row skipped for its blank address cell. */
export const JobResultRowSchema = z.union([JobVerifiedRowSchema, JobSkippedRowSchema]);
export type JobResultRow = z.infer<typeof JobResultRowSchema>;
export type JobVerifiedRow = z.infer<typeof JobVerifiedRowSchema>;
export type JobSkippedRow = z.infer<typeof JobSkippedRowSchema>;

/** Whether a results line carries a verdict (false for a row skipped for its blank address cell). */
export function isVerifiedJobRow(row: JobResultRow): row is JobVerifiedRow {
  return row.status !== null;
}

/** Result columns appended after a row's own columns in the results CSV, in order. */
export const JOB_RESULT_CSV_COLUMNS = [
  'mailprobe_status',
  'mailprobe_reason',
  ...RESULT_CSV_COLUMNS.filter(
    (column) => column !== 'address' && column !== 'status' && column !== 'reason',
  ).map((column) => `mailprobe_${column}` as const),
  'mailprobe_skipped',
  'mailprobe_duplicate_of',
] as const;

/**
 * Filtered downloads, by row (they match `rowCounts`): `valid` the deliverable rows, `valid_risky` deliverable and
 * risky (catch-all), `invalid` the undeliverable ones (a suppression list), `all` every row. Duplicate and blank
 * rows are only in `all`.
 */
export const JOB_RESULT_SETS = ['all', 'valid', 'valid_risky', 'invalid'] as const;
export const JobResultSetSchema = z.enum(JOB_RESULT_SETS);
export type JobResultSet = z.infer<typeof JobResultSetSchema>;

/** The `rowCounts` bucket of each set. */
const SET_BUCKETS: Record<Exclude<JobResultSet, 'all'>, ReadonlyArray<keyof JobRowCounts>> = {
  valid: ['deliverable'],
  valid_risky: ['deliverable', 'risky'],
  invalid: ['undeliverable'],
};

/** `GET /v1/jobs/:id/results` query string. */
export const JobResultsQuerySchema = z.object({
  status: StatusSchema.optional().describe('Only rows with this verdict'),
  set: JobResultSetSchema.optional().describe(
    'Only these rows (default all): valid = deliverable, valid_risky = deliverable + catch-all, invalid = ' +
      'undeliverable (a suppression list); duplicate and blank rows are only in all',
  ),
  excelSafe: z
    .enum(['true', 'false', '1', '0'])
    .transform((value) => value === 'true' || value === '1')
    .optional()
    .describe(
      "true: every cell that a spreadsheet would run as a formula gets a leading ' — the upload's own cells too " +
        '(by default they come back byte for byte and only the cells Mailprobe writes are neutralised)',
    ),
  format: z
    .enum(['ndjson', 'csv', 'xlsx'])
    .optional()
    .describe(
      'Overrides the Accept header (handy for a browser download link); xlsx only for a spreadsheet upload',
    ),
});
export type JobResultsQuery = z.infer<typeof JobResultsQuerySchema>;

/** A row's place in `rowCounts`, from its verdict (null: not final yet) and its skip mark. */
export function jobRowBucket(
  result: Pick<VerificationResult, 'status' | 'reason'> | null,
  skipped: JobRowSkip | null,
): keyof JobRowCounts {
  if (skipped === 'blank') return 'skipped';
  if (skipped === 'duplicate') return 'duplicate';
  if (result === null) return 'pending';
  if (result.status === 'VALID') return 'deliverable';
  if (result.status === 'INVALID') return 'undeliverable';
  return result.reason === 'catch_all' ? 'risky' : 'unknown';
}

/** Whether a row in `bucket` belongs to the download `set`. */
export function inJobResultSet(set: JobResultSet, bucket: keyof JobRowCounts): boolean {
  return set === 'all' || SET_BUCKETS[set].includes(bucket);
}

/** How a row was skipped, as the results show it. */
export interface JobRowMarks {
  skipped: JobRowSkip | null;
  duplicateOf: number | null;
}

/** Options of the results CSV writers. */
export interface JobResultCsvOptions {
  /** Field delimiter (the upload's): `,` by default. */
  delimiter?: string;
  /** Neutralise the row's own cells too (OWASP CSV injection); Mailprobe's own columns always are. */
  excelSafe?: boolean;
}

/** One CSV field quoted when it holds the delimiter, a quote or a line break (RFC 4180). */
export function escapeCsvCell(value: string, delimiter = ','): string {
  const needsQuotes =
    value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r');
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The values Mailprobe appends to a row, in `JOB_RESULT_CSV_COLUMNS` order, each formula-neutralised (reply
 * texts, suggestions and hosts come from third parties); a blank row has an empty verdict.
 */
export function jobResultCsvValues(result: VerificationResult | null, marks: JobRowMarks): string[] {
  const values = result === null ? null : resultToCsvValues(result);
  const pick = (name: string) => (values ? (values[RESULT_CSV_COLUMNS.indexOf(name as never)] ?? '') : '');
  return JOB_RESULT_CSV_COLUMNS.map((column) => {
    if (column === 'mailprobe_skipped') return marks.skipped ?? '';
    if (column === 'mailprobe_duplicate_of')
      return marks.duplicateOf === null ? '' : String(marks.duplicateOf);
    return pick(column.slice('mailprobe_'.length));
  });
}

/** The appended fields of a row, each preceded by the delimiter: what follows a row's own raw text. */
export function jobResultCsvTail(
  result: VerificationResult | null,
  marks: JobRowMarks,
  delimiter = ',',
): string {
  let tail = '';
  for (const value of jobResultCsvValues(result, marks)) tail += delimiter + escapeCsvCell(value, delimiter);
  return tail;
}

/** The appended header fields, each preceded by the delimiter. */
export function jobResultCsvHeaderTail(delimiter = ','): string {
  return JOB_RESULT_CSV_COLUMNS.map((column) => delimiter + column).join('');
}

/**
 * The header line of a job's results CSV (no line ending): the upload's columns (untouched unless `excelSafe`),
 * then `JOB_RESULT_CSV_COLUMNS`.
 */
export function jobResultCsvHeader(columns: readonly string[], options: JobResultCsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const own = columns.map((cell) => (options.excelSafe ? neutralizeCsvFormula(cell) : cell));
  return (
    own.map((cell) => escapeCsvCell(cell, delimiter)).join(delimiter) + jobResultCsvHeaderTail(delimiter)
  );
}

/**
 * One row of a job's results CSV (no line ending): the row's own cells padded to `width` (untouched unless
 * `excelSafe`), then the values of `JOB_RESULT_CSV_COLUMNS`. For rows whose raw text is not kept (a JSON list,
 * NDJSON, a spreadsheet); a CSV upload's rows are written back from their raw text (`jobResultCsvTail`).
 */
export function jobResultToCsvRow(
  cells: readonly string[],
  width: number,
  result: VerificationResult | null,
  marks: JobRowMarks = { skipped: null, duplicateOf: null },
  options: JobResultCsvOptions = {},
): string {
  const delimiter = options.delimiter ?? ',';
  const own = Array.from({ length: Math.max(width, cells.length) }, (_, index) => {
    const cell = cells[index] ?? '';
    return escapeCsvCell(options.excelSafe ? neutralizeCsvFormula(cell) : cell, delimiter);
  });
  return own.join(delimiter) + jobResultCsvTail(result, marks, delimiter);
}
