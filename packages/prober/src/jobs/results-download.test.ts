import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../stores/types.js';
import { resultsContentDisposition, splitCsvRecord, uniqueColumnNames } from './results-download.js';

describe('uniqueColumnNames', () => {
  it('gives a repeated header the next free _2, _3 …', () => {
    expect(uniqueColumnNames(['email', 'x', 'x', 'x_2', 'x', '__proto__'])).toEqual([
      'email',
      'x',
      'x_2',
      'x_2_2',
      'x_3',
      '__proto__',
    ]);
  });

  it('is linear: 16,000 columns named alike take one pass (counted in lookups, not time)', () => {
    const names = ['email', ...Array.from({ length: 16_000 }, () => 'x')];
    const keys = uniqueColumnNames(names);
    expect(new Set(keys).size).toBe(names.length);
    expect(keys[16_000]).toBe('x_16000');
  });
});

describe('splitCsvRecord', () => {
  it('reads the cells of a record as csv-parse does', () => {
    expect(splitCsvRecord('"Cy";c@x.test;=1+1', ';')).toEqual(['Cy', 'c@x.test', '=1+1']);
    expect(splitCsvRecord('a,"b, ""c""",', ',')).toEqual(['a', 'b, "c"', '']);
    expect(splitCsvRecord('"multi\r\nline"\t+1 (555) 570-4036', '\t')).toEqual([
      'multi\r\nline',
      '+1 (555) 570-4036',
    ]);
    expect(splitCsvRecord('', ',')).toEqual(['']);
  });
});

describe('resultsContentDisposition', () => {
  const job = (fileName: string | null) => ({ id: 'job_1', fileName }) as JobRecord;
  it('names the download after the upload', () => {
    expect(resultsContentDisposition(job('leads.csv'), 'csv')).toBe(
      'attachment; filename="leads-mailprobe.csv"',
    );
    expect(resultsContentDisposition(job(null), 'ndjson')).toBe(
      'attachment; filename="job_1-mailprobe.ndjson"',
    );
    expect(resultsContentDisposition(job('a"b\r\n.xlsx'), 'xlsx')).toBe(
      'attachment; filename="a_b__-mailprobe.xlsx"',
    );
    expect(resultsContentDisposition(job('Bücher.csv'), 'csv')).toBe(
      `attachment; filename="B_cher-mailprobe.csv"; filename*=UTF-8''B%C3%BCcher-mailprobe.csv`,
    );
  });
});
