import { describe, expect, it } from 'vitest';
import { checkListFile, XLSX_TYPE } from './file-check.js';

const file = (bytes: Uint8Array | string) => new Blob([bytes as BlobPart]);
const refusal = async (bytes: Uint8Array | string, name: string) => {
  const check = await checkListFile(file(bytes), name);
  return check.kind === 'refused' ? check.message : null;
};

describe('checkListFile', () => {
  it('takes CSV text (with BOM, CRLF, `;`) and spreadsheets by their zip signature and extension', async () => {
    expect(await checkListFile(file('\uFEFFName;E-mail\r\nAnn;ann@x.test\r\n'), 'leads.csv')).toEqual({
      kind: 'text',
      mediaType: 'text/csv',
      warning: null,
    });
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0]);
    expect(await checkListFile(file(zip), 'Leads.XLSX')).toEqual({
      kind: 'spreadsheet',
      mediaType: XLSX_TYPE,
    });
  });

  it('refuses, saying what to do, an empty file, an encrypted workbook, an old .xls, a PDF, a zip, UTF-16, binary', async () => {
    expect(await refusal('', 'leads.csv')).toMatch(/empty/);
    expect(await refusal('\uFEFF \r\n\r\n', 'leads.csv')).toMatch(/empty/);
    const cfb = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(await refusal(cfb, 'leads.xlsx')).toMatch(/encrypted.*CSV UTF-8/);
    expect(await refusal(cfb, 'leads.xls')).toMatch(/old Excel \(\.xls\).*CSV UTF-8/);
    expect(await refusal('%PDF-1.7\n', 'leads.csv')).toMatch(/PDF/);
    expect(await refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04]), 'leads.csv')).toMatch(/zip/);
    expect(await refusal(new Uint8Array([0xff, 0xfe, 0x65, 0]), 'leads.txt')).toMatch(/UTF-16/);
    expect(await refusal(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'leads.csv')).toMatch(
      /binary/,
    );
    expect(await refusal('email\nann@x.test\n', 'leads.xlsx')).toMatch(/not a spreadsheet/);
    expect(await refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04]), 'leads.ods')).toMatch(
      /OpenDocument.*\.xlsx/,
    );
  });

  it('warns, without refusing, about text that is not UTF-8', async () => {
    const latin1 = new Uint8Array([
      ...Buffer.from('name,email\nJos'),
      0xe9,
      ...Buffer.from(',jose@x.test\n'),
    ]);
    const check = await checkListFile(file(latin1), 'leads.csv');
    expect(check).toMatchObject({ kind: 'text', warning: expect.stringMatching(/not UTF-8/) });
  });
});
