import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  escapeCsvCell,
  inJobResultSet,
  type JobResultSet,
  jobResultCsvHeader,
  jobResultCsvHeaderTail,
  jobResultCsvTail,
  jobResultToCsvRow,
  jobRowBucket,
  neutralizeCsvFormula,
  type Status,
  type VerificationResult,
} from '@mailprobe/core';
import type { JobRecord, JobRow, JobStore } from '../stores/types.js';
import { fallbackColumnName } from './upload-rows.js';

/**
 * Cells read from the store per page: a page holds this many cells' worth of rows (at least one row, at most
 * `MAX_RESULTS_PAGE_ROWS`), so a narrow list is read in large pages and a row of 30,000 cells alone.
 */
export const RESULTS_PAGE_CELLS = 16_384;
const MAX_RESULTS_PAGE_ROWS = 256;
/** Text handed to the socket at a time; the stream waits for the client (backpressure) and the event loop between. */
export const RESULTS_CHUNK_CHARS = 64 * 1024;
/** Column name of the address in the results of a plain JSON list (it has no columns of its own). */
export const LIST_ADDRESS_COLUMN = 'email';

export interface ResultsDownloadOptions {
  type: 'ndjson' | 'csv';
  /** Only rows with this verdict. */
  status?: Status | undefined;
  /** Only the rows of this set (by `rowCounts` bucket); default all. */
  set?: JobResultSet | undefined;
  /** Neutralise the row's own cells too (CSV). */
  excelSafe?: boolean | undefined;
}

/**
 * The keys of a CSV row's `columns` object, computed once per job in linear time: a repeated header gets `_2`,
 * `_3`, … (the next free one), so 16,000 columns named `x` cost one pass, not one per row.
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  const nextCopy = new Map<string, number>();
  return names.map((name) => {
    let key = name;
    if (taken.has(key)) {
      let copy = nextCopy.get(name) ?? 2;
      while (taken.has(`${name}_${copy}`)) copy += 1;
      key = `${name}_${copy}`;
      nextCopy.set(name, copy + 1);
    }
    taken.add(key);
    return key;
  });
}

/** The cells of one CSV record's raw text (RFC 4180 quotes; the record holds no line ending of its own). */
export function splitCsvRecord(raw: string, delimiter: string): string[] {
  const cells: string[] = [];
  let position = 0;
  for (;;) {
    let cell = '';
    if (raw[position] === '"') {
      position += 1;
      for (;;) {
        const quote = raw.indexOf('"', position);
        if (quote < 0) {
          cell += raw.slice(position);
          position = raw.length;
          break;
        }
        cell += raw.slice(position, quote);
        if (raw[quote + 1] === '"') {
          cell += '"';
          position = quote + 2;
        } else {
          position = quote + 1;
          break;
        }
      }
      const end = raw.indexOf(delimiter, position);
      // Characters between a closing quote and the delimiter (csv-parse refused them on upload) are kept.
      cell += raw.slice(position, end < 0 ? raw.length : end);
      position = end < 0 ? raw.length : end;
    } else {
      const end = raw.indexOf(delimiter, position);
      cell = raw.slice(position, end < 0 ? raw.length : end);
      position = end < 0 ? raw.length : end;
    }
    cells.push(cell);
    if (position >= raw.length) return cells;
    position += delimiter.length;
    if (position === raw.length) {
      cells.push('');
      return cells;
    }
  }
}

/** The row's own data as CSV cells, in `names` order. */
function cellsArray(row: JobRow, names: readonly string[], delimiter: string): string[] {
  if (row.cells === null) return [row.input];
  if (typeof row.cells === 'string') return splitCsvRecord(row.cells, delimiter);
  if (Array.isArray(row.cells)) return row.cells;
  const object = row.cells;
  return names.map((name) => {
    const value = Object.hasOwn(object, name) ? object[name] : undefined;
    if (value === null || value === undefined) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** Rows of a job in upload order with their results; a job stored before rows existed reads its items as rows. */
async function* jobRows(jobs: JobStore, job: JobRecord): AsyncGenerator<JobRow[]> {
  const width = Math.max(1, job.columns?.length ?? 1);
  const pageRows = Math.min(MAX_RESULTS_PAGE_ROWS, Math.max(1, Math.floor(RESULTS_PAGE_CELLS / width)));
  if (job.rows === 0) {
    for (let from = 0; from < job.total; from += pageRows) {
      const page = await jobs.readResults(job.id, from, pageRows);
      yield page.map((result, offset) => ({
        row: from + offset + 1,
        input: result?.address ?? '',
        cells: null,
        result,
        skipped: null,
        duplicateOf: null,
      }));
    }
    return;
  }
  for (let from = 1; from <= job.rows; from += pageRows) {
    yield await jobs.readRows(job.id, from, pageRows);
  }
}

/** Whether a row is in the download: finished (or skipped), with the asked verdict, in the asked set. */
function wanted(row: JobRow, options: ResultsDownloadOptions): boolean {
  const bucket = jobRowBucket(row.result, row.skipped);
  if (bucket === 'pending') return false;
  if (options.status && row.result?.status !== options.status) return false;
  return inJobResultSet(options.set ?? 'all', bucket);
}

/** Characters that make a string need JSON escaping (a lone surrogate too, which JSON.stringify escapes). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON must escape
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as a JSON string literal: most cells need no escaping, and are written without a call per cell. */
function jsonString(value: string): string {
  return NEEDS_JSON_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/**
 * A result's serialised forms, computed once per result object: the rows of one address share it (the stores give
 * them the same object), so 500,000 rows of one address serialise it once per page, not once per row.
 */
class ResultTexts {
  private readonly jsonTexts = new WeakMap<VerificationResult, string>();
  private readonly csvTexts = new WeakMap<VerificationResult, string>();

  constructor(private readonly delimiter: string) {}

  /** The result's JSON members without `address` and without braces. */
  json(result: VerificationResult): string {
    let text = this.jsonTexts.get(result);
    if (text === undefined) {
      text = JSON.stringify({ ...result, address: undefined }).slice(1, -1);
      this.jsonTexts.set(result, text);
    }
    return text;
  }

  /** The appended CSV fields of the result, without the skip marks (the last two fields). */
  csv(result: VerificationResult): string {
    let text = this.csvTexts.get(result);
    if (text === undefined) {
      const full = jobResultCsvTail(result, { skipped: null, duplicateOf: null }, this.delimiter);
      text = full.slice(0, full.length - 2 * this.delimiter.length);
      this.csvTexts.set(result, text);
    }
    return text;
  }
}

/** Cells of a wide row written into one piece of NDJSON text. */
const CELLS_PER_PIECE = 1024;

/** A row's own cells in order (a CSV record split by the job's delimiter), or null when they are not cells. */
function rowCells(row: JobRow, delimiter: string): readonly string[] | null {
  if (typeof row.cells === 'string') return splitCsvRecord(row.cells, delimiter);
  return Array.isArray(row.cells) ? row.cells : null;
}

/**
 * One row as NDJSON text in pieces: the result's JSON, then `columns` written directly from the row's cells (no
 * object is built, so a column named `__proto__` is a key like any other; the keys' JSON is computed once per
 * job), then the skip marks. A wide row comes in many pieces, so no piece is a large string.
 */
function* ndjsonPieces(
  row: JobRow,
  keyPrefixes: readonly string[],
  delimiter: string,
  serialized: ResultTexts,
): Generator<string> {
  const input = jsonString(row.input);
  if (row.result === null) yield `{"row":${row.row},"input":${input},"columns":`;
  else
    yield `{"address":${input},${serialized.json(row.result)},"row":${row.row},"input":${input},"columns":`;
  const cells = rowCells(row, delimiter);
  if (cells === null) {
    yield row.cells === null ? 'null' : JSON.stringify(row.cells);
  } else {
    // Cells are joined in groups: flat strings of a few KB, rather than one string per cell or per row.
    let parts: string[] = ['{'];
    for (let index = 0; index < keyPrefixes.length; index += 1) {
      parts.push(keyPrefixes[index] as string, jsonString(cells[index] ?? ''));
      if (parts.length >= CELLS_PER_PIECE * 2) {
        yield parts.join('');
        parts = [];
      }
    }
    parts.push('}');
    yield parts.join('');
  }
  yield row.result === null
    ? ',"status":null,"reason":null,"skipped":"blank","duplicateOf":null}\n'
    : `,"skipped":${JSON.stringify(row.skipped)},"duplicateOf":${JSON.stringify(row.duplicateOf)}}\n`;
}

/**
 * The results of a job, one line per finished input row in upload order, as bounded text chunks: NDJSON, or CSV
 * written the way the upload was (delimiter, byte-order mark, line ending, each record's own text byte for byte,
 * then Mailprobe's columns). Rows are read a page at a time; between chunks the generator waits for the event loop,
 * and a consumer reading it as a stream pulls only as fast as the client takes it.
 */
export async function* resultChunks(
  jobs: JobStore,
  job: JobRecord,
  options: ResultsDownloadOptions,
): AsyncGenerator<string> {
  const names = job.columns ?? [LIST_ADDRESS_COLUMN];
  const format = job.format;
  const csv = format?.kind === 'csv' ? format : null;
  const delimiter = csv?.delimiter ?? ',';
  const lineEnding = csv?.lineEnding ?? '\r\n';
  const width = names.length;
  // Each column's `"key":` (with its leading comma after the first), computed once per download.
  const keyPrefixes = uniqueColumnNames(names).map(
    (key, index) => `${index === 0 ? '' : ','}${JSON.stringify(key)}:`,
  );
  const excelSafe = options.excelSafe === true;
  const serialized = new ResultTexts(delimiter);

  let chunk = '';
  if (options.type === 'csv') {
    if (csv?.bom) chunk += '\uFEFF';
    if (csv?.header != null && !excelSafe) {
      const own = splitCsvRecord(csv.header, delimiter).length;
      chunk += csv.header + delimiter.repeat(Math.max(0, width - own)) + jobResultCsvHeaderTail(delimiter);
    } else {
      const header = csv?.header != null ? splitCsvRecord(csv.header, delimiter) : [];
      const headerNames = names.map((name, index) => header[index] ?? name ?? fallbackColumnName(index));
      chunk += jobResultCsvHeader(headerNames, { delimiter, excelSafe });
    }
    chunk += lineEnding;
  }
  for await (const page of jobRows(jobs, job)) {
    for (const row of page) {
      if (!wanted(row, options)) continue;
      if (options.type === 'ndjson') {
        for (const piece of ndjsonPieces(row, keyPrefixes, delimiter, serialized)) {
          chunk += piece;
          if (chunk.length >= RESULTS_CHUNK_CHARS) {
            yield chunk;
            chunk = '';
            await nextTurn();
          }
        }
      } else {
        const marks = { skipped: row.skipped, duplicateOf: row.duplicateOf };
        if (typeof row.cells === 'string' && !excelSafe) {
          const own = splitCsvRecord(row.cells, delimiter).length;
          chunk += row.cells + delimiter.repeat(Math.max(0, width - own));
          chunk +=
            row.result === null
              ? jobResultCsvTail(null, marks, delimiter)
              : serialized.csv(row.result) +
                delimiter +
                (marks.skipped ?? '') +
                delimiter +
                escapeCsvCell(marks.duplicateOf === null ? '' : String(marks.duplicateOf), delimiter);
        } else {
          const cells = cellsArray(row, names, delimiter).map((cell) =>
            excelSafe ? neutralizeCsvFormula(cell) : cell,
          );
          chunk += jobResultToCsvRow(cells, width, row.result, marks, { delimiter });
        }
        chunk += lineEnding;
      }
      if (chunk.length >= RESULTS_CHUNK_CHARS) {
        yield chunk;
        chunk = '';
        await nextTurn();
      }
    }
    await nextTurn();
  }
  if (chunk) yield chunk;
}

/** Characters kept from an upload's name in a download's name (no quotes, separators or control bytes). */
const UNSAFE_FILE_NAME = /["\\/\\\p{Cc}]/gu;

/**
 * `Content-Disposition` of a results download: named after the upload (`leads.csv` → `leads-mailprobe.csv`), else
 * after the job; an ASCII `filename` with an RFC 5987 `filename*` for names beyond ASCII.
 */
export function resultsContentDisposition(job: JobRecord, extension: string): string {
  const base =
    (job.fileName ?? job.id).replace(/\.[^./\\]{1,8}$/, '').replace(UNSAFE_FILE_NAME, '_') || job.id;
  const name = `${base}-mailprobe.${extension}`;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  if (ascii === name) return `attachment; filename="${name}"`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
