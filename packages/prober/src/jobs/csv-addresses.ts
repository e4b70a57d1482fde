import type { Readable } from 'node:stream';
import { emailColumn, MAX_EMAIL_LENGTH } from '@mailprobe/core';
import { parse } from 'csv-parse';
import { ProberError } from '../errors.js';

/** Longest CSV record accepted, so one endless quoted field cannot exhaust memory. */
const MAX_RECORD_BYTES = 64 * 1024;

/**
 * Yields the addresses of an uploaded CSV as it streams in: the address column is found from the first row
 * (`emailColumn`); blank cells are skipped. Malformed CSV → 400 naming the line; more than `maxBytes` → 413.
 */
export async function* csvAddresses(body: Readable, options: { maxBytes: number }): AsyncGenerator<string> {
  let bytes = 0;
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    trim: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  const onData = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > options.maxBytes) {
      body.unpipe(parser);
      body.resume();
      parser.destroy(
        new ProberError('payload_too_large', `the CSV body is larger than ${options.maxBytes} bytes`, 413),
      );
    }
  };
  body.on('data', onData);
  body.on('error', (error) => parser.destroy(error));
  body.pipe(parser);
  let column: number | null = null;
  let line = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line = parser.info.lines;
      if (column === null) {
        const detected = emailColumn(record);
        column = detected.index;
        if (detected.hasHeader) continue;
      }
      const cell = record[column] ?? '';
      if (cell === '') continue;
      if (cell.length > MAX_EMAIL_LENGTH) {
        throw new ProberError(
          'bad_request',
          `line ${line}: email is longer than ${MAX_EMAIL_LENGTH} characters`,
          400,
        );
      }
      yield cell;
    }
  } catch (error) {
    if (ProberError.isInstance(error)) throw error;
    const where = (error as { lines?: number }).lines ?? line;
    throw new ProberError('bad_request', `malformed CSV at line ${where}: ${(error as Error).message}`, 400);
  } finally {
    body.off('data', onData);
  }
}
