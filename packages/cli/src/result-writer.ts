import {
  type JobRowMarks,
  jobResultCsvHeader,
  jobResultCsvHeaderTail,
  jobResultCsvTail,
  jobResultToCsvRow,
  neutralizeCsvFormula,
  providerOfMx,
  RESULT_CSV_COLUMNS,
  resultToCsvValues,
  type VerificationResult,
} from '@mailprobe/core';
import { stringify } from 'csv-stringify/sync';
import type { OutputFormat } from './output-format.js';
import type { CsvLayout, InputRecord } from './read-input.js';

/** Writes results to stdout: streaming formats one at a time in input order, the others at the end. */
export interface ResultWriter {
  /**
   * Called in input order with each row's result (null for a CSV row whose address cell is blank: not verified),
   * its input record (kept by `--keep-columns`) and its skip marks.
   */
  write(result: VerificationResult | null, record?: InputRecord, marks?: JobRowMarks): void;
  end(): void;
}

const NO_MARKS: JobRowMarks = { skipped: null, duplicateOf: null };

/** What `--keep-columns` writes: the input's header and layout, and whether to neutralise its own cells. */
export interface KeptColumns {
  header: readonly string[];
  layout: CsvLayout;
  /** `--excel-safe`: neutralise the input's own cells too (Mailprobe's are always). */
  excelSafe: boolean;
}

/** A blank row's line in JSON output: no verdict, and why. */
function skippedLine(record: InputRecord | undefined): Record<string, unknown> {
  return { address: record?.address ?? '', status: null, reason: null, skipped: 'blank' };
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

function table(results: ReadonlyArray<VerificationResult | null>): string {
  const rows = [
    ['ADDRESS', 'STATUS', 'REASON', 'PROVIDER', 'MX', 'DETAIL'],
    ...results.map((result) =>
      result === null
        ? ['', 'SKIPPED', 'blank', '', '', '']
        : [
            result.address,
            result.status,
            result.reason,
            result.provider ?? providerOfMx(result.mx),
            result.smtp?.host ?? result.mx[0] ?? '',
            detail(result),
          ],
    ),
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
 * CSV with the input's rows first, byte for byte as read (same delimiter, byte-order mark, line ending and
 * quoting), then the result columns named `mailprobe_status`, `mailprobe_reason`, …, `mailprobe_skipped`,
 * `mailprobe_duplicate_of` — the same layout as a job's results CSV from the prober. Only the cells Mailprobe
 * writes are formula-neutralised, unless `--excel-safe` asks for every cell. Short rows are padded to the header's
 * width so the result columns line up.
 */
function keptColumnsCsv(kept: KeptColumns, print: (text: string) => void): ResultWriter {
  const { header, layout, excelSafe } = kept;
  const { delimiter, lineEnding } = layout;
  const width = header.length;
  const bom = layout.bom ? '\uFEFF' : '';
  if (excelSafe) print(`${bom}${jobResultCsvHeader(header, { delimiter, excelSafe })}${lineEnding}`);
  else {
    const padding = delimiter.repeat(Math.max(0, width - layout.headerCells));
    print(`${bom}${layout.header}${padding}${jobResultCsvHeaderTail(delimiter)}${lineEnding}`);
  }
  return {
    write: (result, record, marks = NO_MARKS) => {
      const cells = record?.cells ?? [];
      if (excelSafe || record?.raw === undefined) {
        const own = excelSafe ? cells.map(neutralizeCsvFormula) : cells;
        print(`${jobResultToCsvRow(own, width, result, marks, { delimiter })}${lineEnding}`);
        return;
      }
      const padding = delimiter.repeat(Math.max(0, width - cells.length));
      print(`${record.raw}${padding}${jobResultCsvTail(result, marks, delimiter)}${lineEnding}`);
    },
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
  keptColumns: KeptColumns | null = null,
): ResultWriter {
  const collected: Array<VerificationResult | null> = [];
  switch (format) {
    case 'jsonl':
      return {
        write: (result, record) => print(`${JSON.stringify(result ?? skippedLine(record))}\n`),
        end: () => {},
      };
    case 'csv':
      if (keptColumns) return keptColumnsCsv(keptColumns, print);
      print(stringify([[...RESULT_CSV_COLUMNS]]));
      return {
        write: (result) =>
          print(stringify([result === null ? RESULT_CSV_COLUMNS.map(() => '') : resultToCsvValues(result)])),
        end: () => {},
      };
    case 'json': {
      const lines: unknown[] = [];
      return {
        write: (result, record) => lines.push(result ?? skippedLine(record)),
        end: () => print(`${JSON.stringify(lines, null, 2)}\n`),
      };
    }
    case 'table':
      return { write: (result) => collected.push(result), end: () => print(`${table(collected)}\n`) };
  }
}
