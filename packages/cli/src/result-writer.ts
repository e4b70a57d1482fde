import {
  jobResultCsvHeader,
  jobResultToCsvRow,
  providerOfMx,
  RESULT_CSV_COLUMNS,
  resultToCsvValues,
  type VerificationResult,
} from '@mailprobe/core';
import { stringify } from 'csv-stringify/sync';
import type { OutputFormat } from './output-format.js';

/** Writes results to stdout: streaming formats one at a time in input order, the others at the end. */
export interface ResultWriter {
  /** Called with results in input order; `cells` is the input row (CSV input), kept by `--keep-columns`. */
  write(result: VerificationResult, cells?: readonly string[]): void;
  end(): void;
}

const TABLE_TEXT_WIDTH = 60;

function detail(result: VerificationResult): string {
  const parts: string[] = [];
  if (result.smtp?.replyCode) {
    parts.push(
      [result.smtp.replyCode, result.smtp.enhancedCode, result.smtp.replyText].filter(Boolean).join(' '),
    );
  }
  if (result.suggestion) parts.push(`did you mean ${result.suggestion}?`);
  if (result.retryAfterSeconds) parts.push(`retry after ${result.retryAfterSeconds}s`);
  const text = parts.join('; ');
  return text.length > TABLE_TEXT_WIDTH ? `${text.slice(0, TABLE_TEXT_WIDTH - 1)}…` : text;
}

function table(results: readonly VerificationResult[]): string {
  const rows = [
    ['ADDRESS', 'STATUS', 'REASON', 'PROVIDER', 'MX', 'DETAIL'],
    ...results.map((result) => [
      result.address,
      result.status,
      result.reason,
      result.provider ?? providerOfMx(result.mx),
      result.smtp?.host ?? result.mx[0] ?? '',
      detail(result),
    ]),
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * CSV with the input's columns first, then the result columns named `mailprobe_status`, `mailprobe_reason`, … —
 * the same layout (core's `jobResultCsvHeader` / `jobResultToCsvRow`) as a job's results CSV from the prober,
 * every cell formula-neutralized. Rows are padded to the header's width so the result columns line up.
 */
function keptColumnsCsv(header: readonly string[], print: (text: string) => void): ResultWriter {
  print(`${jobResultCsvHeader(header)}\n`);
  return {
    write: (result, cells = []) => print(`${jobResultToCsvRow(cells, header.length, result)}\n`),
    end: () => {},
  };
}

/**
 * A writer for `format` that prints through `print` (stdout). `keptColumns`, the input's CSV header, makes the
 * CSV output carry each row's input columns before the result columns.
 */
export function createResultWriter(
  format: OutputFormat,
  print: (text: string) => void,
  keptColumns: readonly string[] | null = null,
): ResultWriter {
  const collected: VerificationResult[] = [];
  switch (format) {
    case 'jsonl':
      return { write: (result) => print(`${JSON.stringify(result)}\n`), end: () => {} };
    case 'csv':
      if (keptColumns) return keptColumnsCsv(keptColumns, print);
      print(stringify([[...RESULT_CSV_COLUMNS]]));
      return { write: (result) => print(stringify([resultToCsvValues(result)])), end: () => {} };
    case 'json':
      return {
        write: (result) => collected.push(result),
        end: () => print(`${JSON.stringify(collected, null, 2)}\n`),
      };
    case 'table':
      return { write: (result) => collected.push(result), end: () => print(`${table(collected)}\n`) };
  }
}
