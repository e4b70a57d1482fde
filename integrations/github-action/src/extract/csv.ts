import { parse } from 'csv-parse/sync';
import { candidatesInValue } from './address-pattern.js';
import { type ExtractContext, FormatError, type Occurrence } from './occurrence.js';
import { LineIndex } from './positions.js';

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

/**
 * Addresses in CSV (or TSV). The first row is a header when none of its cells holds an `@`; its
 * names give each cell's key, and the `expectKey` column states each row's expectation.
 */
export function extractFromCsv(text: string, context: ExtractContext, delimiter = ','): Occurrence[] {
  let records: CsvRecord[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    throw new FormatError(error instanceof Error ? error.message : String(error));
  }

  const first = records[0];
  const header =
    first && !first.record.some((cell) => cell.includes('@'))
      ? first.record.map((cell) => cell.trim())
      : null;
  const expectColumn = header ? header.indexOf(context.expectKey) : -1;
  const occurrences: Occurrence[] = [];
  for (const { record, raw, info } of header ? records.slice(1) : records) {
    // `info.lines` is the line the record ends on; a quoted field may span several lines.
    const rawLines = new LineIndex(raw);
    const startLine = info.lines - (raw.replace(/\r?\n$/, '').split('\n').length - 1);
    const expectedCell = expectColumn >= 0 ? record[expectColumn]?.trim() : undefined;
    const expected = expectedCell ? expectedCell : null;
    let cursor = 0;
    record.forEach((cell, column) => {
      if (column === expectColumn) return;
      for (const candidate of candidatesInValue(cell, header?.[column] ?? null)) {
        const found = raw.indexOf(candidate.value, cursor);
        const offset = found >= 0 ? found : cursor;
        if (found >= 0) cursor = found + candidate.value.length;
        const position = rawLines.positionOf(offset);
        occurrences.push({
          address: candidate.value,
          file: context.file,
          line: startLine + position.line - 1,
          column: position.column,
          expected,
        });
      }
    });
  }
  return occurrences;
}
