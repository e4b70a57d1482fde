import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError } from './cli-errors.js';
import { decodeInput, readInput } from './read-input.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mailprobe-read-input-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  return path;
}

const noStdin = () => Readable.from([]);

describe('readInput: plain lists', () => {
  it('gives one record per line; only blank lines are skipped, `#` lines are addresses', async () => {
    const list = await file(
      'list.txt',
      '\uFEFF#first@ok.test\r\n\n   \nbob@ok.test\r\n# not a comment\n  carol@ok.test  ',
    );
    const input = await readInput({ args: [], file: list, stdin: noStdin() });
    expect(input.records.map((record) => record.address)).toEqual([
      '#first@ok.test',
      'bob@ok.test',
      '# not a comment',
      'carol@ok.test',
    ]);
    expect(input).toMatchObject({ header: null, fromArguments: false });
  });

  it('reads arguments first, `-` from stdin in its place, then the file', async () => {
    const list = await file('tail.txt', 'z@ok.test\n');
    const input = await readInput({
      args: ['a@ok.test', '-', 'c@ok.test'],
      file: list,
      stdin: Readable.from([Buffer.from('b1@ok.test\nb2@ok.test\n')]),
    });
    expect(input.records.map((record) => record.address)).toEqual([
      'a@ok.test',
      'b1@ok.test',
      'b2@ok.test',
      'c@ok.test',
      'z@ok.test',
    ]);
    expect((await readInput({ args: ['a@ok.test'], stdin: noStdin() })).fromArguments).toBe(true);
  });
});

describe('readInput: CSV', () => {
  it('finds a `;` delimiter even when the header quotes commas (as a CRM export in a `;` locale writes it)', async () => {
    const csv = await file(
      'quoted-header.csv',
      '"Name, first";"Name, last";E-Mail\r\nAnn;Lee;ann@ok.test\r\n"Smith, Jr";Bo;bo@ok.test\r\n',
    );
    const input = await readInput({ args: [], file: csv, stdin: noStdin() });
    expect(input.header).toEqual(['Name, first', 'Name, last', 'E-Mail']);
    expect(input.records.map((record) => [record.address, record.raw])).toEqual([
      ['ann@ok.test', 'Ann;Lee;ann@ok.test'],
      ['bo@ok.test', '"Smith, Jr";Bo;bo@ok.test'],
    ]);
    expect(input.layout).toMatchObject({ delimiter: ';', lineEnding: '\r\n' });
  });

  it('skips the header row with --column by number, and keeps every row cell untouched', async () => {
    const csv = await file(
      'numbered.csv',
      'Name,Work Email,Note\n Alice ,alice@ok.test,"a, b"\nBob,bob@ok.test\n',
    );
    const input = await readInput({ args: [], file: csv, column: '2', stdin: noStdin() });
    expect(input.header).toEqual(['Name', 'Work Email', 'Note']);
    expect(input.records).toEqual([
      {
        address: 'alice@ok.test',
        cells: [' Alice ', 'alice@ok.test', 'a, b'],
        raw: ' Alice ,alice@ok.test,"a, b"',
      },
      { address: 'bob@ok.test', cells: ['Bob', 'bob@ok.test'], raw: 'Bob,bob@ok.test' },
    ]);
    expect(input.layout).toEqual({
      delimiter: ',',
      bom: false,
      lineEnding: '\n',
      header: 'Name,Work Email,Note',
      headerCells: 3,
    });
  });

  it('finds the column by name, or by a common header name in any case and punctuation', async () => {
    const csv = await file('named.csv', 'id,E-Mail,work email\n1,a@ok.test,w@ok.test\n');
    const byDefault = await readInput({ args: [], file: csv, stdin: noStdin() });
    expect(byDefault.records.map((record) => record.address)).toEqual(['a@ok.test']);
    const byName = await readInput({ args: [], file: csv, column: 'Work Email', stdin: noStdin() });
    expect(byName.records.map((record) => record.address)).toEqual(['w@ok.test']);
  });

  it('reads an Excel export: BOM, `;` delimiter, quoted newlines; an all-empty row is a blank line', async () => {
    const csv = await file(
      'excel.csv',
      '\uFEFFFirst name;Email Address;Comment\r\nAnn;ann@ok.test;"two\r\nlines; here"\r\n;;\r\nAnn;ann@ok.test;dup\r\n;;\r\n',
    );
    const input = await readInput({ args: [], file: csv, stdin: noStdin() });
    expect(input.header).toEqual(['First name', 'Email Address', 'Comment']);
    expect(input.records).toEqual([
      {
        address: 'ann@ok.test',
        cells: ['Ann', 'ann@ok.test', 'two\r\nlines; here'],
        raw: 'Ann;ann@ok.test;"two\r\nlines; here"',
      },
      { address: 'ann@ok.test', cells: ['Ann', 'ann@ok.test', 'dup'], raw: 'Ann;ann@ok.test;dup' },
    ]);
    expect(input.layout).toMatchObject({ delimiter: ';', bom: true, lineEnding: '\r\n' });
  });

  it('gives a row with an empty address cell its own record, and widens the header to the widest row', async () => {
    const csv = await file('ragged.csv', 'email\na@ok.test,extra\n,note only\n');
    const input = await readInput({ args: [], file: csv, stdin: noStdin() });
    expect(input.header).toEqual(['email', '']);
    expect(input.records.map((record) => record.address)).toEqual(['a@ok.test', '']);
  });

  it.each([
    ['0', /--column numbers start at 1/],
    ['9', /has 2 columns, not 9/],
    ['phone', /no column named "phone" \(columns: "name", "email"\)/],
  ])('refuses --column %s', async (column, message) => {
    const csv = await file('two.csv', 'name,email\nA,a@ok.test\n');
    await expect(readInput({ args: [], file: csv, column, stdin: noStdin() })).rejects.toThrow(message);
  });
});

describe('readInput: bad input is a usage error', () => {
  it.each([
    ['a binary file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x61, 0x40]), /is a binary file/],
    ['Latin-1 text', Buffer.from('caf\xe9@ok.test\n', 'latin1'), /is not UTF-8 text/],
  ])('%s', async (_, bytes, message) => {
    const path = await file('bad.bin', bytes);
    const reading = readInput({ args: [], file: path, stdin: noStdin() });
    await expect(reading).rejects.toBeInstanceOf(CliUsageError);
    await expect(reading).rejects.toThrow(message);
  });

  it('a missing file and a directory', async () => {
    await expect(readInput({ args: [], file: join(directory, 'nope'), stdin: noStdin() })).rejects.toThrow(
      /cannot read --file .*nope: no such file/,
    );
    await expect(readInput({ args: [], file: directory, stdin: noStdin() })).rejects.toThrow(
      /it is a directory/,
    );
  });

  it('binary stdin', () => {
    expect(() => decodeInput(Buffer.from('a@b\0'), 'stdin')).toThrow('stdin is a binary file');
  });
});
