import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { detectAddressColumn } from '@mailprobe/core';
import { parse } from 'csv-parse';
import { ProberError } from '../errors.js';
import type { JobRowCells } from '../stores/types.js';

/** Longest CSV record or NDJSON line accepted, so one endless field cannot exhaust memory. */
export const MAX_RECORD_BYTES = 64 * 1024;
/** Rows read before the address column is chosen (header + data). */
const SAMPLE_ROWS = 100;
/** Bytes looked at to find the delimiter of a CSV (its first line, at most this much). */
const DELIMITER_SNIFF_CHARS = 64 * 1024;
/** Most distinct keys of NDJSON objects kept as column names (later keys stay in `columns`, not in CSV). */
const MAX_NDJSON_COLUMNS = 1000;
const CSV_DELIMITERS = [',', ';', '\t'] as const;

/** One row of an upload: the address cell exactly as given, and the row's own data. */
export interface UploadRow {
  input: string;
  cells: JobRowCells | null;
}

/** An upload being read: its rows as they stream in, and its column names once they are all read. */
export interface UploadRows {
  rows: AsyncIterable<UploadRow>;
  /** Names of the columns (CSV header, or `column_N` without one; NDJSON keys); null for a plain list. */
  columns(): string[] | null;
}

export interface UploadOptions {
  /** Larger uploads → 413. */
  maxBytes: number;
  /** `column` of the request: a header name or a 1-based number. */
  column?: string | undefined;
}

function badRequest(message: string): ProberError {
  return new ProberError('bad_request', message, 400);
}

/**
 * The upload as UTF-8 text (a BOM is dropped): more than `maxBytes` → 413; bytes that are not UTF-8, or a NUL
 * (a binary file), → 400, so nothing is verified from a file that is not text.
 */
async function* utf8Text(body: Readable, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let bytes = 0;
  // destroyOnReturn false: on an error the request must stay open for the 400/413 answer.
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    const start = bytes;
    bytes += chunk.length;
    if (bytes > maxBytes) {
      throw new ProberError('payload_too_large', `the upload is larger than ${maxBytes} bytes`, 413);
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw badRequest(`the upload is not UTF-8 text (near byte ${start})`);
    }
    if (text.includes('\u0000')) throw badRequest('the upload is a binary file, not CSV or JSON text');
    if (text) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw badRequest(`the upload is not UTF-8 text (it ends inside a character, at byte ${bytes})`);
  }
}

/** The delimiter of a CSV: whichever of `,` `;` tab occurs most in its first line outside quotes (`,` on a tie). */
export function detectCsvDelimiter(head: string): string {
  const counts = new Map<string, number>(CSV_DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const character of head) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === '\n' || character === '\r')) break;
    else if (!quoted && counts.has(character)) counts.set(character, (counts.get(character) ?? 0) + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

/** Reads the sample rows, then chooses the address column (400 naming the columns when it cannot). */
async function withSample<T>(
  source: AsyncIterator<T>,
  toCells: (item: T) => string[],
  header: (sample: T[]) => string[] | null,
  column: string | undefined,
): Promise<{ sample: T[]; index: number; hasHeader: boolean }> {
  const sample: T[] = [];
  while (sample.length < SAMPLE_ROWS) {
    const next = await source.next();
    if (next.done) break;
    sample.push(next.value);
  }
  if (sample.length === 0) throw badRequest('the upload holds no rows');
  const names = header(sample);
  const cells = sample.map(toCells);
  const choice = detectAddressColumn(names ? [names, ...cells] : cells, column);
  if (!choice.ok) throw badRequest(choice.message);
  return { sample, index: choice.index, hasHeader: names ? true : choice.hasHeader };
}

/**
 * Rows of a CSV upload while it streams in: UTF-8 with or without BOM, `,` `;` or tab (found from the first line),
 * RFC 4180 quotes (commas and newlines inside fields). Cells are kept exactly as given; records whose every cell is
 * empty (blank lines, `;;;`) are not rows. The address column comes from `column` or `detectAddressColumn`.
 */
export function csvUploadRows(body: Readable, options: UploadOptions): UploadRows {
  let names: string[] = [];
  let width = 0;
  async function* rows(): AsyncGenerator<UploadRow> {
    try {
      yield* parsed();
    } finally {
      if (!body.readableEnded) body.resume();
    }
  }
  async function* parsed(): AsyncGenerator<UploadRow> {
    const text = utf8Text(body, options.maxBytes)[Symbol.asyncIterator]();
    let head = '';
    while (!/[\r\n]/.test(head) && head.length < DELIMITER_SNIFF_CHARS) {
      const next = await text.next();
      if (next.done) break;
      head += next.value;
    }
    const parser = parse({
      delimiter: detectCsvDelimiter(head),
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      max_record_size: MAX_RECORD_BYTES,
    });
    async function* all(): AsyncGenerator<string> {
      if (head) yield head;
      for (;;) {
        const next = await text.next();
        if (next.done) return;
        yield next.value;
      }
    }
    const feeding = pipeline(Readable.from(all()), parser).catch(() => {});
    const records = (parser as AsyncIterable<string[]>)[Symbol.asyncIterator]();
    try {
      const { sample, index, hasHeader } = await withSample(
        records,
        (record) => record,
        () => null,
        options.column,
      );
      const first = sample[0] ?? [];
      names = hasHeader ? [...first] : [];
      width = first.length;
      for (const record of hasHeader ? sample.slice(1) : sample) {
        width = Math.max(width, record.length);
        yield { input: record[index] ?? '', cells: record };
      }
      for (;;) {
        const next = await records.next();
        if (next.done) break;
        width = Math.max(width, next.value.length);
        yield { input: next.value[index] ?? '', cells: next.value };
      }
    } catch (error) {
      if (ProberError.isInstance(error)) throw error;
      const where = (error as { lines?: number }).lines ?? parser.info?.lines ?? 0;
      throw badRequest(`malformed CSV at line ${where}: ${(error as Error).message}`);
    } finally {
      parser.destroy();
      await feeding;
    }
  }
  return {
    rows: rows(),
    columns: () => Array.from({ length: width }, (_, index) => names[index] ?? `column_${index + 1}`),
  };
}

/** A JSON value of an NDJSON line as CSV cell text. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The non-blank lines of a text stream, each at most `MAX_RECORD_BYTES`, with their line numbers. */
async function* lines(text: AsyncIterable<string>): AsyncGenerator<{ line: string; number: number }> {
  let rest = '';
  let number = 0;
  for await (const chunk of text) {
    rest += chunk;
    let end = rest.indexOf('\n');
    while (end >= 0) {
      number += 1;
      const line = rest.slice(0, end).replace(/\r$/, '');
      rest = rest.slice(end + 1);
      if (line.trim() !== '') yield { line, number };
      end = rest.indexOf('\n');
    }
    if (rest.length > MAX_RECORD_BYTES) {
      throw badRequest(`NDJSON line ${number + 1} is longer than ${MAX_RECORD_BYTES} bytes`);
    }
  }
  if (rest.trim() !== '') yield { line: rest.replace(/\r$/, ''), number: number + 1 };
}

/**
 * Rows of an NDJSON upload: each non-blank line is an address string, or a flat object whose address key is found
 * like a CSV header (`column`, a known name, or the one key holding addresses); the object is kept as sent.
 */
export function ndjsonUploadRows(body: Readable, options: UploadOptions): UploadRows {
  const keys = new Set<string>();
  let objects = false;
  async function* rows(): AsyncGenerator<UploadRow> {
    const source = lines(utf8Text(body, options.maxBytes));
    const values = (async function* () {
      for await (const { line, number } of source) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          throw badRequest(`malformed JSON on NDJSON line ${number}: ${(error as Error).message}`);
        }
        const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
        if (typeof value !== 'string' && !isObject) {
          throw badRequest(`NDJSON line ${number}: expected an address string or an object`);
        }
        yield value as string | Record<string, unknown>;
      }
    })();
    const note = (value: string | Record<string, unknown>) => {
      if (typeof value === 'string') return;
      objects = true;
      for (const key of Object.keys(value)) if (keys.size < MAX_NDJSON_COLUMNS) keys.add(key);
    };
    const iterator = values[Symbol.asyncIterator]();
    try {
      const sampleKeys: string[] = [];
      const { sample, index } = await withSample(
        iterator,
        (value) => (typeof value === 'string' ? [value] : sampleKeys.map((key) => cellText(value[key]))),
        (all) => {
          if (all.every((value) => typeof value === 'string')) return null;
          for (const value of all) {
            if (typeof value !== 'string')
              for (const key of Object.keys(value)) if (!sampleKeys.includes(key)) sampleKeys.push(key);
          }
          return sampleKeys;
        },
        options.column,
      );
      const addressKey = sampleKeys[index];
      const toRow = (value: string | Record<string, unknown>): UploadRow => {
        note(value);
        if (typeof value === 'string') return { input: value, cells: null };
        return { input: addressKey === undefined ? '' : cellText(value[addressKey]), cells: value };
      };
      for (const value of sample) yield toRow(value);
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        yield toRow(next.value);
      }
    } finally {
      if (!body.readableEnded) body.resume();
    }
  }
  return { rows: rows(), columns: () => (objects ? [...keys] : null) };
}

/** Rows of a plain address list (the JSON `emails` array): each address is a row of its own, without columns. */
export function listUploadRows(addresses: AsyncIterable<string>): UploadRows {
  async function* rows(): AsyncGenerator<UploadRow> {
    for await (const input of addresses) yield { input, cells: null };
  }
  return { rows: rows(), columns: () => null };
}
