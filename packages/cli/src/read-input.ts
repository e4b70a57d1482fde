import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  detectCsvDelimiter,
  detectCsvLineEnding,
  EMAIL_COLUMN_NAMES,
  type JobRowMarks,
  parseAddress,
} from '@mailprobe/core';
import { parse } from 'csv-parse/sync';
import { CliUsageError } from './cli-errors.js';

export interface InputSources {
  /** Positional arguments; `-` reads stdin. */
  args: readonly string[];
  /** `--file`: one address per line, or CSV when `column` is given or the file ends in `.csv`. */
  file?: string;
  /** `--column`: CSV column by header name or 1-based number; the first row is then always the header. */
  column?: string;
  stdin: Readable;
}

/** One input line (or CSV row): the address as given, and the row's cells when the input is CSV. */
export interface InputRecord {
  address: string;
  cells?: readonly string[];
  /** A CSV row's text exactly as read (without its line ending): what `--keep-columns` writes back. */
  raw?: string;
}

/** How a CSV input was written, so `--keep-columns` writes it back the same way. */
export interface CsvLayout {
  delimiter: string;
  bom: boolean;
  lineEnding: string;
  /** The header line's text exactly as read, and how many cells it holds. */
  header: string;
  headerCells: number;
}

export interface InputList {
  /** One record per input line or row, in input order; only blank lines are left out. */
  records: InputRecord[];
  /** The CSV input's header, as wide as its widest row; null without a CSV file. */
  header: string[] | null;
  /** How the CSV input was written; absent without a CSV file. */
  layout?: CsvLayout;
  /** Whether every address came from the command line (no file, no stdin). */
  fromArguments: boolean;
}

/** Inputs larger than this are refused rather than read into memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const STDIN_ARGUMENT = '-';

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
};

async function readBytes(stream: Readable, origin: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new CliUsageError(`${origin} is larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function readFileBytes(file: string): Promise<Buffer> {
  try {
    return await readBytes(createReadStream(file), `--file ${file}`);
  } catch (error) {
    if (CliUsageError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliUsageError(`cannot read --file ${file}: ${READ_ERRORS[code] ?? code}`);
  }
}

/**
 * The input as text: UTF-8 with or without BOM. A NUL byte means a binary file (a spreadsheet, an archive), and
 * bytes that are not UTF-8 mean another encoding: both are refused rather than verified as garbage addresses.
 */
export function decodeInput(bytes: Uint8Array, origin: string): string {
  if (bytes.includes(0)) {
    throw new CliUsageError(`${origin} is a binary file, not text (export the list as CSV or plain text)`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliUsageError(`${origin} is not UTF-8 text (save it as UTF-8, e.g. "CSV UTF-8" in Excel)`);
  }
}

/** A plain list: one address per line. Only blank lines are skipped (`#` is a valid local-part character). */
function lines(text: string): InputRecord[] {
  return text
    .split(/\r\n|\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((address) => ({ address }));
}

/** A header cell compared case- and punctuation-insensitively (`E-mail`, `Email Address`, `email_address`). */
function headerKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

const ADDRESS_HEADER_KEYS = new Set(EMAIL_COLUMN_NAMES.map(headerKey));

function columnIndex(header: readonly string[], column: string | undefined, origin: string): number {
  const names = header.map((name) => JSON.stringify(name)).join(', ');
  if (column !== undefined && /^\d+$/.test(column)) {
    const index = Number(column) - 1;
    if (index < 0) throw new CliUsageError('--column numbers start at 1');
    if (index >= header.length) {
      throw new CliUsageError(`${origin} has ${header.length} columns, not ${column} (columns: ${names})`);
    }
    return index;
  }
  const index =
    column === undefined
      ? header.findIndex((name) => ADDRESS_HEADER_KEYS.has(headerKey(name)))
      : header.findIndex((name) => name.trim().toLowerCase() === column.trim().toLowerCase());
  if (index < 0) {
    throw new CliUsageError(
      column === undefined
        ? `${origin}: no address column (${EMAIL_COLUMN_NAMES.join(', ')}); choose one with --column (columns: ${names})`
        : `${origin}: no column named ${JSON.stringify(column)} (columns: ${names})`,
    );
  }
  return index;
}

/**
 * A record's own text from csv-parse's `raw`, which carries the line break that ended it and those of blank lines
 * before it (a cell that starts or ends with a line break is quoted, so the record never does).
 */
function rawRecordText(raw: string): string {
  return raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
}

/**
 * A CSV file: the first row is the header; every other non-blank row is one record, cells untouched, with its
 * text exactly as read (so `--keep-columns` gives it back byte for byte).
 */
function csvRecords(text: string, column: string | undefined, origin: string, bom: boolean): InputList {
  const body = text;
  const delimiter = detectCsvDelimiter(body);
  const lineEnding = detectCsvLineEnding(body, '\n');
  let rows: Array<{ record: string[]; raw: string }>;
  try {
    rows = parse(body, {
      delimiter,
      record_delimiter: lineEnding,
      raw: true,
      relax_column_count: true,
      // A quote inside an unquoted cell (`5'10"`, `=HYPERLINK("…")`) is kept as written, as spreadsheets do.
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as Array<{ record: string[]; raw: string }>;
  } catch (error) {
    throw new CliUsageError(`${origin} is not valid CSV: ${(error as Error).message}`);
  }
  // A row whose cells are all empty is a blank line of a spreadsheet export (`,,,`).
  const nonBlank = rows.filter((row) => row.record.some((cell) => cell.trim().length > 0));
  const [first, ...rest] = nonBlank;
  const header = first?.record ?? [];
  const index = columnIndex(header, column, origin);
  const width = Math.max(header.length, ...rest.map((row) => row.record.length));
  return {
    records: rest.map(({ record, raw }) => ({
      address: (record[index] ?? '').trim(),
      cells: record,
      raw: rawRecordText(raw),
    })),
    header: Array.from({ length: width }, (_, position) => header[position] ?? ''),
    layout: {
      delimiter,
      bom,
      lineEnding,
      header: rawRecordText(first?.raw ?? ''),
      headerCells: header.length,
    },
    fromArguments: false,
  };
}

/** Every record to verify, in order: arguments (and stdin for `-`), then the file. */
export async function readInput(sources: InputSources): Promise<InputList> {
  const records: InputRecord[] = [];
  let fromArguments = true;
  for (const arg of sources.args) {
    if (arg === STDIN_ARGUMENT) {
      fromArguments = false;
      records.push(...lines(decodeInput(await readBytes(sources.stdin, 'stdin'), 'stdin')));
    } else {
      records.push({ address: arg });
    }
  }
  if (sources.file === undefined) {
    if (sources.column !== undefined) throw new CliUsageError('--column needs --file');
    return { records, header: null, fromArguments };
  }
  const origin = `--file ${sources.file}`;
  const bytes = await readFileBytes(sources.file);
  const text = decodeInput(bytes, origin);
  const csv = sources.column !== undefined || sources.file.toLowerCase().endsWith('.csv');
  if (!csv) return { records: [...records, ...lines(text)], header: null, fromArguments: false };
  // The decoder drops a byte-order mark; whether there was one is kept, so --keep-columns writes it back.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const table = csvRecords(text, sources.column, origin, bom);
  return { ...table, records: [...records, ...table.records] };
}

/**
 * Each record's skip marks: `blank` for a CSV row whose address cell is blank, `duplicate` (with the 1-based row it
 * repeats) for an address an earlier row holds — compared as the prober does, by normalised address.
 */
export function rowMarks(records: readonly InputRecord[], csvInput: boolean): JobRowMarks[] {
  const firstRow = new Map<string, number>();
  return records.map((record, index) => {
    if (csvInput && record.address === '') return { skipped: 'blank', duplicateOf: null };
    const parsed = parseAddress(record.address);
    const key = parsed.ok ? parsed.address.normalized : record.address;
    const first = firstRow.get(key);
    if (first !== undefined) return { skipped: 'duplicate', duplicateOf: first };
    firstRow.set(key, index + 1);
    return { skipped: null, duplicateOf: null };
  });
}
