import { z } from 'zod';
import { StatusSchema, type VerificationResult, VerificationResultSchema } from '../vocabulary.js';
import { escapeCsvField, neutralizeCsvFormula, RESULT_CSV_COLUMNS, resultToCsvValues } from './csv.js';

/**
 * One line of `GET /v1/jobs/:id/results`: the verdict of one input row. `address` and `input` are the address
 * exactly as the row gave it, `row` its 1-based number among the upload's data rows (header and blank lines not
 * counted), `columns` the whole original row (CSV: header → cell; NDJSON objects: as sent; a plain JSON list: null).
 */
export const JobResultRowSchema = VerificationResultSchema.extend({
  row: z.int().positive().describe('1-based number of the input row (header and blank lines not counted)'),
  input: z.string().describe('The address cell exactly as uploaded'),
  columns: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe(
      'The original row: CSV header → cell (as uploaded), an NDJSON object as sent; null for a JSON list',
    ),
});
export type JobResultRow = z.infer<typeof JobResultRowSchema>;

/** Result columns appended after a row's own columns in the results CSV, in order. */
export const JOB_RESULT_CSV_COLUMNS = [
  'mailprobe_status',
  'mailprobe_reason',
  ...RESULT_CSV_COLUMNS.filter(
    (column) => column !== 'address' && column !== 'status' && column !== 'reason',
  ).map((column) => `mailprobe_${column}` as const),
] as const;

/** `GET /v1/jobs/:id/results` query string. */
export const JobResultsQuerySchema = z.object({
  status: StatusSchema.optional().describe('Only rows with this verdict'),
  format: z
    .enum(['ndjson', 'csv'])
    .optional()
    .describe('Overrides the Accept header (handy for a browser download link)'),
});
export type JobResultsQuery = z.infer<typeof JobResultsQuerySchema>;

/** The header line of a job's results CSV: the upload's columns (formula-neutralized), then `JOB_RESULT_CSV_COLUMNS`. */
export function jobResultCsvHeader(columns: readonly string[]): string {
  return [...columns.map(neutralizeCsvFormula), ...JOB_RESULT_CSV_COLUMNS].map(escapeCsvField).join(',');
}

/**
 * One row of a job's results CSV (no line ending): the row's own cells, untouched but formula-neutralized and
 * padded to `width`, then the result values in `JOB_RESULT_CSV_COLUMNS` order.
 */
export function jobResultToCsvRow(
  cells: readonly string[],
  width: number,
  result: VerificationResult,
): string {
  const own = Array.from({ length: width }, (_, index) => neutralizeCsvFormula(cells[index] ?? ''));
  const values = resultToCsvValues(result);
  const pick = (name: (typeof RESULT_CSV_COLUMNS)[number]) => values[RESULT_CSV_COLUMNS.indexOf(name)] ?? '';
  const tail = JOB_RESULT_CSV_COLUMNS.map((column) => pick(column.slice('mailprobe_'.length) as never));
  return [...own, ...tail].map(escapeCsvField).join(',');
}
