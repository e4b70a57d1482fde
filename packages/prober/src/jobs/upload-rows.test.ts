import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProberError } from '../errors.js';
import { csvUploadRows, ndjsonUploadRows, type UploadRows } from './upload-rows.js';

async function read(
  upload: UploadRows,
): Promise<{ rows: Array<[string, unknown]>; columns: string[] | null }> {
  const rows: Array<[string, unknown]> = [];
  for await (const row of upload.rows) rows.push([row.input, row.cells]);
  return { rows, columns: upload.columns() };
}

/** The body split into small pieces, so every parser sees fields cut mid-way. */
function body(text: string | Buffer, piece = 7): Readable {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += piece) chunks.push(bytes.subarray(start, start + piece));
  return Readable.from(chunks);
}

async function failure(upload: UploadRows): Promise<ProberError> {
  try {
    await read(upload);
  } catch (error) {
    if (ProberError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the upload to be refused');
}

const limit = { maxBytes: 1024 * 1024 };

describe('csvUploadRows', () => {
  it('keeps each record untouched (BOM dropped, quotes resolved), skips empty records, pads the columns', async () => {
    const text =
      '\uFEFFName;E-Mail;Note\r\n Ann ;ann@x.test;"a;b\r\nc"\r\n;;\r\n\r\nBo;bo@x.test;x;extra\r\n';
    const { rows, columns } = await read(csvUploadRows(body(text), limit));
    expect(rows).toEqual([
      ['ann@x.test', [' Ann ', 'ann@x.test', 'a;b\r\nc']],
      ['bo@x.test', ['Bo', 'bo@x.test', 'x', 'extra']],
    ]);
    expect(columns).toEqual(['Name', 'E-Mail', 'Note', 'column_4']);
  });

  it('reads a file without a header from its first row', async () => {
    const { rows, columns } = await read(csvUploadRows(body('ann@x.test,1\nbo@x.test,2\n'), limit));
    expect(rows.map(([input]) => input)).toEqual(['ann@x.test', 'bo@x.test']);
    expect(columns).toEqual(['column_1', 'column_2']);
  });

  it('refuses binary, non-UTF-8, oversized and malformed uploads', async () => {
    expect((await failure(csvUploadRows(body(Buffer.from([0x50, 0x4b, 0, 0])), limit))).message).toMatch(
      /binary/,
    );
    const latin1 = Buffer.from('email\nm\xfcller@x.test\n', 'latin1');
    expect((await failure(csvUploadRows(body(latin1), limit))).message).toMatch(/not UTF-8/);
    const big = await failure(csvUploadRows(body(`email\n${'a@x.test\n'.repeat(200)}`), { maxBytes: 100 }));
    expect(big.statusCode).toBe(413);
    const broken = await failure(csvUploadRows(body('email\nann@x.test\n"open\n'), limit));
    expect(broken.message).toMatch(/malformed CSV at line/);
    expect((await failure(csvUploadRows(body('name,city\nAnn,Oslo\n'), limit))).message).toMatch(
      /1 "name", 2 "city"/,
    );
  });
});

describe('ndjsonUploadRows', () => {
  it('takes address strings and objects, the address key found like a header', async () => {
    const text = '{"Work Email":"ann@x.test","n":1}\n\n{"Work Email":"bo@x.test","tags":["a"]}\r\n';
    const { rows, columns } = await read(ndjsonUploadRows(body(text), limit));
    expect(rows).toEqual([
      ['ann@x.test', { 'Work Email': 'ann@x.test', n: 1 }],
      ['bo@x.test', { 'Work Email': 'bo@x.test', tags: ['a'] }],
    ]);
    expect(columns).toEqual(['Work Email', 'n', 'tags']);
    const plain = await read(ndjsonUploadRows(body('"ann@x.test"\n"bo@x.test"'), limit));
    expect(plain).toEqual({
      rows: [
        ['ann@x.test', null],
        ['bo@x.test', null],
      ],
      columns: null,
    });
  });

  it('refuses a line that is not JSON, or not a string or object, naming the line', async () => {
    expect((await failure(ndjsonUploadRows(body('"a@x.test"\n{oops\n'), limit))).message).toMatch(/line 2/);
    expect((await failure(ndjsonUploadRows(body('"a@x.test"\n[1]\n'), limit))).message).toMatch(/line 2/);
  });
});
