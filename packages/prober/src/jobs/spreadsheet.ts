import { PassThrough, type Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  inJobResultSet,
  JOB_RESULT_CSV_COLUMNS,
  type JobResultSet,
  jobResultCsvValues,
  jobRowBucket,
  neutralizeCsvFormula,
  type Status,
} from '@mailprobe/core';
import type ExcelJS from 'exceljs';
import { ProberError } from '../errors.js';
import type { JobRecord, JobStore, UploadDetails } from '../stores/types.js';
import {
  badRequest,
  fallbackColumnName,
  OLE_MAGIC,
  type UploadRow,
  type UploadRows,
  withSample,
  ZIP_MAGIC,
} from './upload-rows.js';

/** Largest spreadsheet upload (compressed): a workbook is read whole, so it is bounded well below a CSV's limit. */
export const MAX_SPREADSHEET_BYTES = 16 * 1024 * 1024;
/** Most bytes a spreadsheet may unpack to (all its parts together): a zip bomb is refused before it is opened. */
export const MAX_SPREADSHEET_UNPACKED_BYTES = 128 * 1024 * 1024;
/** Most parts (files) in a spreadsheet's zip. */
const MAX_SPREADSHEET_PARTS = 10_000;
/** Rows handed on between two turns of the event loop while a sheet is read. */
const ROWS_PER_TURN = 2000;
/** Rows read from the store per page while writing a results workbook. */
const RESULTS_PAGE_ROWS = 256;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
/** End-of-central-directory record: 22 bytes, plus a comment of at most 65,535. */
const EOCD_MIN = 22;
const EOCD_SEARCH = EOCD_MIN + 0xffff;

/** What a zip's central directory says: its part names and their unpacked sizes; throws 400 for what is refused. */
export function inspectSpreadsheetZip(buffer: Buffer): { names: string[]; unpacked: number } {
  if (buffer.subarray(0, 8).equals(OLE_MAGIC)) {
    throw badRequest(
      'the file is encrypted (password-protected) or an old .xls workbook: remove the password and save it as .xlsx, or save it as "CSV UTF-8"',
    );
  }
  if (!buffer.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw badRequest('the upload is not an .xlsx workbook: save it as .xlsx or as "CSV UTF-8"');
  }
  let end = -1;
  for (let at = buffer.length - EOCD_MIN; at >= Math.max(0, buffer.length - EOCD_SEARCH); at -= 1) {
    if (buffer.readUInt32LE(at) === EOCD_SIGNATURE) {
      end = at;
      break;
    }
  }
  if (end < 0) throw badRequest('the .xlsx file is damaged (no zip directory): save it again');
  const count = buffer.readUInt16LE(end + 10);
  const offset = buffer.readUInt32LE(end + 16);
  if (count > MAX_SPREADSHEET_PARTS)
    throw badRequest(`the .xlsx file holds more than ${MAX_SPREADSHEET_PARTS} parts`);
  const names: string[] = [];
  let unpacked = 0;
  let at = offset;
  for (let entry = 0; entry < count; entry += 1) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw badRequest('the .xlsx file is damaged (bad zip directory): save it again');
    }
    const flags = buffer.readUInt16LE(at + 8);
    const size = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    // Bit 0: the part is encrypted. ZIP64 sizes (0xffffffff) are far beyond the limit anyway.
    if (flags & 1)
      throw badRequest(
        'the file is encrypted (password-protected): remove the password or save it as "CSV UTF-8"',
      );
    unpacked += size;
    if (unpacked > MAX_SPREADSHEET_UNPACKED_BYTES) {
      throw new ProberError(
        'payload_too_large',
        `the spreadsheet unpacks to more than ${MAX_SPREADSHEET_UNPACKED_BYTES} bytes: save it as "CSV UTF-8"`,
        413,
      );
    }
    names.push(buffer.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { names, unpacked };
}

/** A cell's value as text, as a spreadsheet shows it plainly (formulas by their last result). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('formula' in value || 'sharedFormula' in value)
      return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

async function readBody(body: Readable, maxBytes: number): Promise<Buffer> {
  const limit = Math.min(maxBytes, MAX_SPREADSHEET_BYTES);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limit) {
      throw new ProberError(
        'payload_too_large',
        `a spreadsheet upload is at most ${limit} bytes: save larger lists as "CSV UTF-8"`,
        413,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface SpreadsheetOptions {
  maxBytes: number;
  column?: string | undefined;
  /** A sheet name or a 1-based number; the first sheet by default. */
  sheet?: string | undefined;
}

/**
 * Rows of an `.xlsx` upload (its first sheet, or `sheet`): read whole (bounded by `MAX_SPREADSHEET_BYTES`, its zip
 * directory checked first against zip bombs and encryption), each row's cells as text, rows whose every cell is
 * empty skipped; the address column is chosen as for a CSV. OpenDocument `.ods` is refused with a clear message:
 * the reader (exceljs) does not read it.
 */
export function spreadsheetUploadRows(body: Readable, options: SpreadsheetOptions): UploadRows {
  let names: string[] = [];
  let width = 0;
  let details: UploadDetails = { column: null, format: null };
  async function* rows(): AsyncGenerator<UploadRow> {
    // What an early exit leaves unread is the request body watch's to drain or close (http/request-body.ts).
    const buffer = await readBody(body, options.maxBytes);
    if (buffer.length === 0) throw badRequest('the upload is empty');
    const { names: parts } = inspectSpreadsheetZip(buffer);
    if (parts.includes('mimetype') && !parts.includes('xl/workbook.xml')) {
      throw badRequest('OpenDocument (.ods) sheets are not read: save it as .xlsx or as "CSV UTF-8"');
    }
    if (!parts.includes('xl/workbook.xml'))
      throw badRequest('the upload is a zip file, not an .xlsx workbook');
    // Loaded on the first spreadsheet, so the server starts without it.
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.Workbook();
    try {
      await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    } catch (error) {
      throw badRequest(
        `the .xlsx file cannot be read (${(error as Error).message}): save it again or as "CSV UTF-8"`,
      );
    }
    const sheets = workbook.worksheets;
    const wanted = options.sheet?.trim();
    const sheet =
      wanted === undefined || wanted === ''
        ? sheets[0]
        : (sheets.find((candidate) => candidate.name === wanted) ??
          (/^\d+$/.test(wanted) ? sheets[Number(wanted) - 1] : undefined));
    if (!sheet) {
      const list = sheets
        .map((candidate, index) => `${index + 1} ${JSON.stringify(candidate.name)}`)
        .join(', ');
      throw badRequest(
        wanted
          ? `sheet ${JSON.stringify(wanted)}: no such sheet (sheets: ${list})`
          : 'the workbook has no sheet',
      );
    }
    const chosen = sheet;
    async function* records(): AsyncGenerator<string[]> {
      let handed = 0;
      for (let number = 1; number <= chosen.rowCount; number += 1) {
        const row = chosen.getRow(number);
        const cells: string[] = [];
        for (let column = 1; column <= row.cellCount; column += 1)
          cells.push(cellText(row.getCell(column).value));
        while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
        if (cells.every((cell) => cell.trim() === '')) continue;
        yield cells;
        handed += 1;
        if (handed % ROWS_PER_TURN === 0) await nextTurn();
      }
    }
    const source = records();
    const { sample, index, hasHeader } = await withSample(
      source,
      (cells) => cells,
      () => null,
      options.column,
    );
    const first = sample[0] ?? [];
    names = hasHeader ? [...first] : [];
    width = first.length;
    details = {
      column: names[index] ?? fallbackColumnName(index),
      format: { kind: 'xlsx', sheet: sheet.name },
    };
    const toRow = (cells: string[]): UploadRow => {
      width = Math.max(width, cells.length);
      return { input: cells[index] ?? '', cells };
    };
    for (const cells of hasHeader ? sample.slice(1) : sample) yield toRow(cells);
    for await (const cells of source) yield toRow(cells);
  }
  return {
    rows: rows(),
    columns: () => Array.from({ length: width }, (_, index) => names[index] ?? fallbackColumnName(index)),
    details: () => details,
  };
}

export interface SpreadsheetResultsOptions {
  status?: Status | undefined;
  set?: JobResultSet | undefined;
  excelSafe?: boolean | undefined;
}

/**
 * A job's results as an `.xlsx` workbook, streamed: the upload's columns then Mailprobe's, one row per finished
 * input row, every cell written as text (a text cell never runs as a formula; `excelSafe` still prefixes `'`).
 */
export function spreadsheetResults(
  jobs: JobStore,
  job: JobRecord,
  options: SpreadsheetResultsOptions,
): Readable {
  const output = new PassThrough();
  const names = job.columns ?? ['email'];
  const own = (cell: string) => (options.excelSafe ? neutralizeCsvFormula(cell) : cell);
  const write = async () => {
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.stream.xlsx.WorkbookWriter({
      stream: output,
      useSharedStrings: false,
      useStyles: false,
    });
    const sheetName = job.format?.kind === 'xlsx' ? job.format.sheet : 'results';
    const sheet = workbook.addWorksheet(sheetName || 'results');
    sheet.addRow([...names.map(own), ...JOB_RESULT_CSV_COLUMNS]).commit();
    for (let from = 1; from <= job.rows; from += RESULTS_PAGE_ROWS) {
      const page = await jobs.readRows(job.id, from, RESULTS_PAGE_ROWS);
      for (const row of page) {
        const bucket = jobRowBucket(row.result, row.skipped);
        if (bucket === 'pending' || !inJobResultSet(options.set ?? 'all', bucket)) continue;
        if (options.status && row.result?.status !== options.status) continue;
        const cells = Array.isArray(row.cells) ? row.cells : [row.input];
        const padded = Array.from({ length: names.length }, (_, index) => own(cells[index] ?? ''));
        const marks = { skipped: row.skipped, duplicateOf: row.duplicateOf };
        sheet.addRow([...padded, ...jobResultCsvValues(row.result, marks)]).commit();
      }
      // Backpressure: while the client has not taken what is already packed, wait for it.
      if (output.readableLength > output.readableHighWaterMark) {
        await new Promise((resolve) => {
          output.once('drain', resolve);
          output.once('close', resolve);
        });
      }
      await nextTurn();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: Error) => output.destroy(error));
  return output;
}
