import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { detectAddressColumn, detectCsvDelimiter, detectCsvLineEnding } from '@mailprobe/core';
import { parse } from 'csv-parse';
import { ProberError } from '../errors.js';
import type { JobRowCells, UploadDetails } from '../stores/types.js';

/** Longest CSV record or NDJSON line accepted, so one endless field cannot exhaust memory. */
export const MAX_RECORD_BYTES = 64 * 1024;
/** Rows read before the address column is chosen (header + data). */
const SAMPLE_ROWS = 100;
/** Bytes looked at to find the delimiter of a CSV (its first line, at most this much). */
const DELIMITER_SNIFF_CHARS = 64 * 1024;
/** Most distinct keys of NDJSON objects kept as column names (later keys stay in `columns`, not in CSV). */
const MAX_NDJSON_COLUMNS = 1000;

/** One row of an upload: the address cell exactly as given, and the row's own data. */
export interface UploadRow {
  input: string;
  cells: JobRowCells | null;
  /** A CSV record's text exactly as uploaded (without its line ending): what the results write back. */
  raw?: string;
}

/** An upload being read: its rows as they stream in, and its column names once they are all read. */
export interface UploadRows {
  rows: AsyncIterable<UploadRow>;
  /** Names of the columns (CSV header, or `column_N` without one; NDJSON keys); null for a plain list. */
  columns(): string[] | null;
  /** The address column's name and how the upload was written (known once the first rows are read). */
  details(): UploadDetails;
}

/** Name of the column at `index` (0-based) when the upload has no header there. */
export function fallbackColumnName(index: number): string {
  return `column_${index + 1}`;
}

export interface UploadOptions {
  /** Larger uploads → 413. */
  maxBytes: number;
  /** `column` of the request: a header name or a 1-based number. */
  column?: string | undefined;
  /** `sheet` of the request (spreadsheets): a sheet name or a 1-based number. */
  sheet?: string | undefined;
}

export function badRequest(message: string): ProberError {
  return new ProberError('bad_request', message, 400);
}

/**
 * The upload as UTF-8 text (a BOM is dropped): more than `maxBytes` → 413; bytes that are not UTF-8, or a NUL
 * (a binary file), → 400, so nothing is verified from a file that is not text.
 */
async function* utf8Text(
  body: Readable,
  maxBytes: number,
  seen: { bom: boolean } = { bom: false },
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let bytes = 0;
  // destroyOnReturn false: on an error the request must stay open for the 400/413 answer.
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    const start = bytes;
    if (start === 0) {
      seen.bom = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      const refusal = binaryRefusal(chunk);
      if (refusal) throw badRequest(refusal);
    }
    bytes += chunk.length;
    if (bytes > maxBytes) {
      throw new ProberError('payload_too_large', `the upload is larger than ${maxBytes} bytes`, 413);
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw badRequest(`the upload is not UTF-8 text (near byte ${start}): save it as "CSV UTF-8"`);
    }
    if (text.includes('\u0000')) {
      throw badRequest('the upload is a binary file, not CSV or JSON text: save it as "CSV UTF-8"');
    }
    if (text) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw badRequest(`the upload is not UTF-8 text (it ends inside a character, at byte ${bytes})`);
  }
}

/** Why a text upload is refused from its first bytes: a spreadsheet or an encrypted file sent as text. */
function binaryRefusal(head: Buffer): string | null {
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) {
    return 'the upload is a spreadsheet or zip file, not CSV text: upload an .xlsx as one (its file name or type), or save it as "CSV UTF-8"';
  }
  if (head.subarray(0, 8).equals(OLE_MAGIC)) {
    return 'the file is encrypted (password-protected) or an old .xls workbook: save it as "CSV UTF-8" or an unprotected .xlsx';
  }
  return null;
}

/** Local file header of a zip archive (an .xlsx or .ods is one). */
export const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** OLE compound file: an encrypted (password-protected) .xlsx, or an old .xls. */
export const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Reads the sample rows, then chooses the address column (400 naming the columns when it cannot). */
export async function withSample<T>(
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
  const seen = { bom: false };
  let details: UploadDetails = { column: null, format: null };
  // What an early exit leaves unread is the request body watch's to drain or close (http/request-body.ts).
  async function* rows(): AsyncGenerator<UploadRow> {
    const text = utf8Text(body, options.maxBytes, seen)[Symbol.asyncIterator]();
    let head = '';
    while (!/[\r\n]/.test(head) && head.length < DELIMITER_SNIFF_CHARS) {
      const next = await text.next();
      if (next.done) break;
      head += next.value;
    }
    const delimiter = detectCsvDelimiter(head);
    const lineEnding = detectCsvLineEnding(head, '\r\n');
    const parser = parse({
      delimiter,
      record_delimiter: lineEnding,
      raw: true,
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
    const records = (parser as AsyncIterable<RawRecord>)[Symbol.asyncIterator]();
    const toRow = ({ record, raw }: RawRecord): UploadRow => {
      width = Math.max(width, record.length);
      return { input: record[choice.index] ?? '', cells: record, raw: rawRecordText(raw) };
    };
    let choice = { index: 0 };
    try {
      const { sample, index, hasHeader } = await withSample(
        records,
        (record) => record.record,
        () => null,
        options.column,
      );
      choice = { index };
      const first = sample[0]?.record ?? [];
      names = hasHeader ? [...first] : [];
      width = first.length;
      details = {
        column: names[index] ?? fallbackColumnName(index),
        format: {
          kind: 'csv',
          delimiter,
          bom: seen.bom,
          lineEnding,
          header: hasHeader && sample[0] ? rawRecordText(sample[0].raw) : null,
        },
      };
      for (const record of hasHeader ? sample.slice(1) : sample) yield toRow(record);
      for (;;) {
        const next = await records.next();
        if (next.done) break;
        yield toRow(next.value);
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
    columns: () => Array.from({ length: width }, (_, index) => names[index] ?? fallbackColumnName(index)),
    details: () => details,
  };
}

/** A record as csv-parse gives it with `raw`: its cells, and its text with (parts of) the line breaks around it. */
interface RawRecord {
  record: string[];
  raw: string;
}

/**
 * A record's own text: csv-parse's `raw` carries the line break that ended it and those of skipped blank lines
 * before it; neither belongs to the record (a cell that starts or ends with a line break is quoted, so the record
 * text itself never starts or ends with one).
 */
function rawRecordText(raw: string): string {
  return raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
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
  let details: UploadDetails = { column: null, format: { kind: 'ndjson' } };
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
    details = { column: addressKey ?? null, format: { kind: 'ndjson' } };
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
  }
  return { rows: rows(), columns: () => (objects ? [...keys] : null), details: () => details };
}

/** Rows of a plain address list (the JSON `emails` array): each address is a row of its own, without columns. */
export function listUploadRows(addresses: AsyncIterable<string>): UploadRows {
  async function* rows(): AsyncGenerator<UploadRow> {
    for await (const input of addresses) yield { input, cells: null };
  }
  return { rows: rows(), columns: () => null, details: () => ({ column: null, format: { kind: 'list' } }) };
}
