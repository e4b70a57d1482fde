import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { EMAIL_COLUMN_NAMES } from '@mailprobe/core';
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
}

export interface InputList {
  /** One record per input line or row, in input order; only blank lines are left out. */
  records: InputRecord[];
  /** The CSV input's header, as wide as its widest row; null without a CSV file. */
  header: string[] | null;
  /** Whether every address came from the command line (no file, no stdin). */
  fromArguments: boolean;
}

/** Inputs larger than this are refused rather than read into memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const STDIN_ARGUMENT = '-';
/** Delimiters a CSV export may use (Excel in many locales writes `;`, some tools tabs). */
const CSV_DELIMITERS = [',', ';', '\t'] as const;

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

/** The delimiter that occurs most often in the first line (comma when none does). */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  let best: string = CSV_DELIMITERS[0];
  let bestCount = 0;
  for (const delimiter of CSV_DELIMITERS) {
    const count = firstLine.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
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

/** A CSV file: the first row is the header; every other non-blank row is one record, cells untouched. */
function csvRecords(text: string, column: string | undefined, origin: string): InputList {
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      // A quote inside an unquoted cell (`5'10"`, `=HYPERLINK("…")`) is kept as written, as spreadsheets do.
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    throw new CliUsageError(`${origin} is not valid CSV: ${(error as Error).message}`);
  }
  // A row whose cells are all empty is a blank line of a spreadsheet export (`,,,`).
  const nonBlank = rows.filter((row) => row.some((cell) => cell.trim().length > 0));
  const [header = [], ...body] = nonBlank;
  const index = columnIndex(header, column, origin);
  const width = Math.max(header.length, ...body.map((row) => row.length));
  return {
    records: body.map((cells) => ({ address: (cells[index] ?? '').trim(), cells })),
    header: Array.from({ length: width }, (_, position) => header[position] ?? ''),
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
  const text = decodeInput(await readFileBytes(sources.file), origin);
  const csv = sources.column !== undefined || sources.file.toLowerCase().endsWith('.csv');
  if (!csv) return { records: [...records, ...lines(text)], header: null, fromArguments: false };
  const table = csvRecords(text, sources.column, origin);
  return { ...table, records: [...records, ...table.records] };
}
