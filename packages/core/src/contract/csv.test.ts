import { describe, expect, it } from 'vitest';
import { fakeResult } from '../client/__fixtures__/contract-server.js';
import {
  detectCsvDelimiter,
  emailColumn,
  escapeCsvField,
  neutralizeCsvFormula,
  RESULT_CSV_COLUMNS,
  resultCsvHeader,
  resultToCsvRow,
  resultToCsvValues,
} from './csv.js';
import {
  escapeCsvCell,
  JOB_RESULT_CSV_COLUMNS,
  jobResultCsvHeader,
  jobResultCsvTail,
  jobResultToCsvRow,
} from './job-results.js';

describe('results CSV', () => {
  it('has one value per column, in column order', () => {
    const values = resultToCsvValues(fakeResult('bad@example.com'));
    expect(values).toHaveLength(RESULT_CSV_COLUMNS.length);
    const row = Object.fromEntries(RESULT_CSV_COLUMNS.map((column, index) => [column, values[index]]));
    expect(row).toMatchObject({
      address: 'bad@example.com',
      status: 'INVALID',
      reason: 'mailbox_not_found',
      role_account: 'false',
      suggestion: '',
      mx: 'mx.example.com',
      smtp_reply_code: '550',
      smtp_reply_text: 'User unknown, "quoted", text',
      total_ms: '6',
      provider: 'other',
    });
  });

  it('escapes per RFC 4180 and leaves absent SMTP evidence empty', () => {
    expect(resultToCsvRow(fakeResult('bad@example.com'))).toContain(',"User unknown, ""quoted"", text",');
    const noSmtp = resultToCsvValues(fakeResult('not-an-address'));
    expect(noSmtp[RESULT_CSV_COLUMNS.indexOf('smtp_host')]).toBe('');
    expect(noSmtp[RESULT_CSV_COLUMNS.indexOf('normalized')]).toBe('');
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
  ])('escapeCsvField(%j) = %j', (value, expected) => {
    expect(escapeCsvField(value)).toBe(expected);
  });

  it('names the provider, from the MX list for results stored before it existed', () => {
    const stored = { ...fakeResult('ann@example.com'), mx: ['aspmx.l.google.com'] };
    delete stored.provider;
    expect(resultToCsvValues(stored)[RESULT_CSV_COLUMNS.indexOf('provider')]).toBe('google');
    expect(
      resultToCsvValues({ ...stored, provider: 'microsoft365' })[RESULT_CSV_COLUMNS.indexOf('provider')],
    ).toBe('microsoft365');
  });

  it('header lists the columns', () => {
    expect(resultCsvHeader().split(',')).toEqual([...RESULT_CSV_COLUMNS]);
  });
});

describe('emailColumn (uploaded CSV)', () => {
  it.each([
    [['email'], { index: 0, hasHeader: true }],
    [['Name', ' E-Mail '], { index: 1, hasHeader: true }],
    [['id', 'name', 'EMAIL_ADDRESS'], { index: 2, hasHeader: true }],
    [['ann@example.com', 'Ann'], { index: 0, hasHeader: false }],
    [['address', 'name'], { index: 0, hasHeader: true }],
    [[], { index: 0, hasHeader: true }],
  ])('%j → %j', (row, expected) => {
    expect(emailColumn(row)).toEqual(expected);
  });
});

describe('formula neutralization (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://x.test","click")', `'=HYPERLINK("http://x.test","click")`],
    ['+1 555 0100', "'+1 555 0100"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['ann@example.com', 'ann@example.com'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(neutralizeCsvFormula(input)).toBe(expected);
  });

  it("applies to every results column, including the address and the MX operator's reply text", () => {
    const result = fakeResult('bad@example.com');
    const hostile = {
      ...result,
      address: '=cmd|"/c calc"!A1@example.com',
      smtp: result.smtp && { ...result.smtp, replyText: '@SUM(1+1) user unknown' },
    };
    const values = resultToCsvValues(hostile);
    expect(values[RESULT_CSV_COLUMNS.indexOf('address')]).toBe(`'=cmd|"/c calc"!A1@example.com`);
    expect(values[RESULT_CSV_COLUMNS.indexOf('smtp_reply_text')]).toBe("'@SUM(1+1) user unknown");
    expect(values.every((value) => !/^[=+\-@\t\r]/.test(value))).toBe(true);
  });
});

describe('job results CSV', () => {
  it('keeps the row’s own cells first (untouched, padded) and appends mailprobe_* columns', () => {
    const header = jobResultCsvHeader(['Name', '=cmd', 'Email']);
    expect(header.split(',').slice(0, 5)).toEqual([
      'Name',
      '=cmd',
      'Email',
      'mailprobe_status',
      'mailprobe_reason',
    ]);
    expect(header.split(',').slice(3)).toEqual([...JOB_RESULT_CSV_COLUMNS]);
    const line = jobResultToCsvRow(['=HYPERLINK("x")', 'bad@example.com'], 3, fakeResult('bad@example.com'));
    expect(line.startsWith(`"=HYPERLINK(""x"")",bad@example.com,,INVALID,mailbox_not_found,`)).toBe(true);
    expect(line.endsWith(',,')).toBe(true);
  });

  it('neutralises the own cells only when asked (excelSafe), and always the cells Mailprobe writes', () => {
    const marks = { skipped: null, duplicateOf: null };
    expect(jobResultCsvHeader(['=cmd', 'Email'], { excelSafe: true }).startsWith("'=cmd,Email,")).toBe(true);
    const result = { ...fakeResult('bad@example.com'), suggestion: '=evil()' };
    const safe = jobResultToCsvRow(['+1 (555) 570-4036', 'bad@example.com'], 2, result, marks, {
      excelSafe: true,
    });
    expect(safe.startsWith("'+1 (555) 570-4036,bad@example.com,INVALID,")).toBe(true);
    const kept = jobResultToCsvRow(['+1 (555) 570-4036', 'bad@example.com'], 2, result, marks);
    expect(kept.startsWith('+1 (555) 570-4036,bad@example.com,INVALID,')).toBe(true);
    expect(kept).toContain(",'=evil(),");
  });

  it('writes with the upload’s delimiter, quoting only what needs it, and marks skipped rows', () => {
    const blank = jobResultToCsvRow(
      ['Ann', ''],
      2,
      null,
      { skipped: 'blank', duplicateOf: null },
      {
        delimiter: ';',
      },
    );
    expect(blank).toBe(`Ann;${';'.repeat(JOB_RESULT_CSV_COLUMNS.length - 1)}blank;`);
    expect(
      jobResultCsvTail(null, { skipped: 'duplicate', duplicateOf: 3 }, '\t').endsWith('\tduplicate\t3'),
    ).toBe(true);
    expect(escapeCsvCell('a,b', ';')).toBe('a,b');
    expect(escapeCsvCell('a;b', ';')).toBe('"a;b"');
  });
});

describe('detectCsvDelimiter', () => {
  it.each([
    ['email,name\n', ','],
    ['Nachname;Vorname;E-Mail\r\n', ';'],
    ['email\tname\n', '\t'],
    ['"a;b",c,d\n', ','],
    ['"Smith, John";"Doe, Jane";email\n', ';'],
    ['email\n', ','],
    ['name;email\nx,y,z,w\n', ';'],
  ])('%j → %j', (head, delimiter) => {
    expect(detectCsvDelimiter(head)).toBe(delimiter);
  });
});
