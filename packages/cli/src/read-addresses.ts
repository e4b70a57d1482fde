import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { EMAIL_COLUMN_NAMES } from '@mailprobe/core';
import { parse } from 'csv-parse/sync';
import { CliUsageError } from './cli-errors.js';

export interface AddressSources {
  /** Positional arguments; `-` reads stdin. */
  args: readonly string[];
  /** `--file`: one address per line, or CSV when `column` is given or the file ends in `.csv`. */
  file?: string;
  /** `--column`: CSV column by header name or 1-based number. */
  column?: string;
  stdin: Readable;
}

/** Inputs larger than this are refused rather than read into memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const STDIN_ARGUMENT = '-';

async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new CliUsageError(`input is larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Lines of a plain list: blank lines and `#` comments are skipped. */
function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

function csvColumn(text: string, column: string | undefined, origin: string): string[] {
  let rows: string[][];
  try {
    rows = parse(text, {
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw new CliUsageError(`${origin} is not valid CSV: ${(error as Error).message}`);
  }
  const header = rows[0] ?? [];
  let index: number;
  let body = rows;
  if (column !== undefined && /^\d+$/.test(column)) {
    index = Number(column) - 1;
    if (index < 0) throw new CliUsageError('--column numbers start at 1');
    // A header row is recognised by a known address column name, and skipped.
    if (header.some((name) => EMAIL_COLUMN_NAMES.includes(name.toLowerCase()))) body = rows.slice(1);
  } else {
    const wanted = column?.toLowerCase();
    index = header.findIndex((name) =>
      wanted === undefined ? EMAIL_COLUMN_NAMES.includes(name.toLowerCase()) : name.toLowerCase() === wanted,
    );
    if (index < 0) {
      throw new CliUsageError(
        column === undefined
          ? `${origin}: no address column (${EMAIL_COLUMN_NAMES.join(', ')}); choose one with --column`
          : `${origin}: no column named ${JSON.stringify(column)} (columns: ${header.join(', ')})`,
      );
    }
    body = rows.slice(1);
  }
  return body.map((row) => row[index] ?? '').filter((value) => value.length > 0);
}

/** Every address to verify, in order: arguments (and stdin for `-`), then the file. */
export async function readAddresses(sources: AddressSources): Promise<string[]> {
  const addresses: string[] = [];
  for (const arg of sources.args) {
    if (arg === STDIN_ARGUMENT) addresses.push(...lines(await readStream(sources.stdin)));
    else addresses.push(arg);
  }
  if (sources.file !== undefined) {
    let text: string;
    try {
      text = await readFile(sources.file, 'utf8');
    } catch (error) {
      throw new CliUsageError(
        `cannot read --file ${sources.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
    const csv = sources.column !== undefined || sources.file.toLowerCase().endsWith('.csv');
    addresses.push(...(csv ? csvColumn(text, sources.column, sources.file) : lines(text)));
  } else if (sources.column !== undefined) {
    throw new CliUsageError('--column needs --file');
  }
  return addresses;
}
