import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ProberError } from '../errors.js';
import {
  inspectSpreadsheetZip,
  MAX_SPREADSHEET_UNPACKED_BYTES,
  spreadsheetUploadRows,
} from './spreadsheet.js';

const CENTRAL_SIGNATURE = 0x02014b50;

async function workbook(rows: unknown[][], sheetName = 'Sheet1'): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Each central-directory entry's offset in a zip. */
function centralEntries(zip: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 0; at + 4 <= zip.length; at += 1)
    if (zip.readUInt32LE(at) === CENTRAL_SIGNATURE) offsets.push(at);
  return offsets;
}

function refusal(run: () => unknown): { code: string; status: number; message: string } {
  try {
    run();
  } catch (error) {
    if (ProberError.isInstance(error))
      return { code: error.code, status: error.statusCode, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('inspectSpreadsheetZip', () => {
  it('reads the parts of a real workbook', async () => {
    const { names, unpacked } = inspectSpreadsheetZip(await workbook([['email'], ['a@b.test']]));
    expect(names).toContain('xl/workbook.xml');
    expect(unpacked).toBeGreaterThan(0);
  });

  it('refuses a zip bomb from its directory, before anything is unpacked', async () => {
    const zip = await workbook([['email'], ['a@b.test']]);
    const [first] = centralEntries(zip);
    zip.writeUInt32LE(MAX_SPREADSHEET_UNPACKED_BYTES + 1, (first as number) + 24);
    expect(refusal(() => inspectSpreadsheetZip(zip))).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
  });

  it('refuses an encrypted part, an encrypted (OLE) workbook and a file that is no zip', async () => {
    const zip = await workbook([['email']]);
    const [first] = centralEntries(zip);
    zip.writeUInt16LE(zip.readUInt16LE((first as number) + 8) | 1, (first as number) + 8);
    expect(refusal(() => inspectSpreadsheetZip(zip)).message).toMatch(/encrypted/);
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(64),
    ]);
    expect(refusal(() => inspectSpreadsheetZip(ole)).message).toMatch(/encrypted/);
    expect(refusal(() => inspectSpreadsheetZip(Buffer.from('email\na@b.test\n'))).status).toBe(400);
  });
});

describe('spreadsheetUploadRows', () => {
  it('reads the chosen sheet, cells as text, the address column found like a CSV header', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Intro').addRow(['read me']);
    const leads = book.addWorksheet('Leads');
    leads.addRow(['Name', 'E-Mail', 'Since', 'Score']);
    leads.addRow(['Ann', 'ann@b.test', new Date(Date.UTC(2024, 0, 2)), { formula: '1+1', result: 2 }]);
    leads.addRow([]);
    leads.addRow(['Bo', { text: 'bo@b.test', hyperlink: 'mailto:bo@b.test' }, null, 3.5]);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const upload = spreadsheetUploadRows(Readable.from([bytes]), { maxBytes: 1 << 20, sheet: '2' });
    const rows = [];
    for await (const row of upload.rows) rows.push(row);
    expect(rows).toEqual([
      { input: 'ann@b.test', cells: ['Ann', 'ann@b.test', '2024-01-02', '2'] },
      { input: 'bo@b.test', cells: ['Bo', 'bo@b.test', '', '3.5'] },
    ]);
    expect(upload.columns()).toEqual(['Name', 'E-Mail', 'Since', 'Score']);
    expect(upload.details()).toEqual({ column: 'E-Mail', format: { kind: 'xlsx', sheet: 'Leads' } });
  });

  it('names the sheets when the chosen one does not exist', async () => {
    const bytes = await workbook([['email'], ['a@b.test']], 'Contacts');
    const upload = spreadsheetUploadRows(Readable.from([bytes]), { maxBytes: 1 << 20, sheet: 'Leads' });
    await expect(upload.rows[Symbol.asyncIterator]().next()).rejects.toThrow(
      /no such sheet \(sheets: 1 "Contacts"\)/,
    );
  });
});
