// Lists that round-trip: real exports (Mailchimp, HubSpot, Google Sheets, Excel with BOM and `;`) uploaded to the
// real prober on loopback, embedded and fleet, as text/csv and as `curl -F` multipart. Every output format must
// give exactly one result per input row, in input order, with the row's own columns untouched.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  createProberClient,
  escapeCsvCell,
  JOB_RESULT_CSV_COLUMNS,
  type JobResultRow,
  type ProberClient,
} from '@mailprobe/core';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../../packages/prober/src/index.js';
import { type FakeInternet, startFakeInternet } from '../index.js';
import { type RedisServer, startRedisServer } from '../redis/redis-server.js';

const run = promisify(execFile);
const WAIT_MS = 25_000;

/** Mailboxes that exist; every other address at these domains is refused with 550 5.1.1. */
const MAILBOXES = ['ann@shop.test', 'bo@shop.test', 'alice@xn--bcher-kva.test', 'dee@corp.test'];

interface ExportCase {
  name: string;
  /** The file exactly as the tool writes it. */
  text: string;
  /** Original rows (header excluded) as a CSV parser reads them. */
  header: string[];
  rows: string[][];
  /** Index of the address column. */
  column: number;
  contentType?: string;
  delimiter?: string;
}

const BOM = '\uFEFF';

/** Mailchimp: `Email Address` first, duplicates (case), an IDN twin, a quoted newline in a note. */
const mailchimp: ExportCase = {
  name: 'Mailchimp',
  header: ['Email Address', 'First Name', 'Last Name', 'Notes', 'MEMBER_RATING'],
  rows: [
    ['ann@shop.test', 'Ann', 'Lee', 'likes "tea", coffee', '2'],
    ['ghost@shop.test', 'Gus', 'Host', 'line one\nline two', '1'],
    ['ann@SHOP.test', 'Ann', 'Lee (dup)', '', '2'],
    ['alice@bücher.test', 'Alice', 'Umlaut', 'IDN', '5'],
    ['alice@xn--bcher-kva.test', 'Alice', 'Punycode', 'IDN twin', '5'],
    ['not an address', 'Bad', 'Row', '=HYPERLINK("http://evil.test","x")', '0'],
    ['bo@shop.test', 'Bo', 'Li', '', '3'],
  ],
  column: 0,
  text: '',
};

/** HubSpot: `Record ID`, the address in column 3 under `Email`, CRLF line ends. */
const hubspot: ExportCase = {
  name: 'HubSpot',
  header: ['Record ID', 'First Name', 'Email', 'Lifecycle Stage', 'Create Date'],
  rows: [
    ['101', 'Dee', 'dee@corp.test', 'lead', '2024-01-02 10:00'],
    ['102', 'Eve', 'eve@corp.test', 'customer', '2024-01-03 11:00'],
    ['103', 'Dee again', 'dee@corp.test', 'lead', '2024-01-04 12:00'],
    ['104', 'Empty', '', 'lead', '2024-01-05 13:00'],
  ],
  column: 2,
  text: '',
};

/** Google Sheets: a header the names list does not know (`Contact`), found by its contents; ragged rows. */
const sheets: ExportCase = {
  name: 'Google Sheets',
  header: ['Name', 'Contact', 'Team'],
  rows: [
    ['Ann', 'ann@shop.test', 'Red'],
    ['Bo', 'bo@shop.test', 'Blue'],
    ['Cy', 'cy@shop.test', 'Red'],
  ],
  column: 1,
  text: '',
};

/** Excel (Europe): UTF-8 BOM, `;` delimiter, `E-Mail` header, a `;` and a newline inside quotes. */
const excel: ExportCase = {
  name: 'Excel (BOM, ;)',
  header: ['Nachname', 'Vorname', 'E-Mail', 'Firma'],
  rows: [
    ['Müller', 'Jürgen', 'dee@corp.test', 'Acme; GmbH'],
    ['Schmidt', 'Anna', 'anna@corp.test', 'Zeile 1\r\nZeile 2'],
    ['Weiß', 'Bo', 'bo@shop.test', 'Beta'],
    ['Müller', 'Jürgen', 'dee@CORP.test', 'Acme; GmbH'],
  ],
  column: 2,
  text: '',
  delimiter: ';',
};

function csvField(value: string, delimiter: string): string {
  return value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value)
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

function csvText(header: string[], rows: string[][], delimiter = ',', lineEnd = '\n'): string {
  return (
    [header, ...rows]
      .map((row) => row.map((cell) => csvField(cell, delimiter)).join(delimiter))
      .join(lineEnd) + lineEnd
  );
}

mailchimp.text = csvText(mailchimp.header, mailchimp.rows);
hubspot.text = csvText(hubspot.header, hubspot.rows, ',', '\r\n');
sheets.text = csvText(sheets.header, sheets.rows);
excel.text = BOM + csvText(excel.header, excel.rows, ';', '\r\n');

const EXPORTS = [mailchimp, hubspot, sheets, excel];

/** A results download as bytes, straight from the API (the client's text decoding would drop a BOM). */
async function download(
  prober: StartedProber,
  key: string,
  id: string,
  query: string,
): Promise<{ body: Buffer; type: string | null; disposition: string | null; status: number }> {
  const response = await fetch(`${prober.url}/v1/jobs/${id}/results?${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return {
    body: Buffer.from(await response.arrayBuffer()),
    type: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    status: response.status,
  };
}

/**
 * The results CSV a round trip must give: the upload byte for byte (BOM, delimiter, line ending, quoting), each
 * record followed by the appended fields read back from `csv` itself, so everything outside the added columns
 * is compared byte for byte.
 */
function expectedCsv(
  upload: { text: string; rawRows: string[]; rawHeader: string },
  csv: string,
  delimiter: string,
  lineEnd: string,
): string {
  const records = parse(csv.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true }) as string[][];
  const tail = (record: string[]) =>
    record
      .slice(-JOB_RESULT_CSV_COLUMNS.length)
      .map((cell) => delimiter + escapeCsvCell(cell, delimiter))
      .join('');
  const bom = upload.text.startsWith(BOM) ? BOM : '';
  // A short row is padded with empty cells up to the header's width, so the added columns line up.
  const cellCount = (raw: string) => ((parse(raw, { delimiter }) as string[][])[0] ?? []).length;
  const width = cellCount(upload.rawHeader);
  const padded = (raw: string) => raw + delimiter.repeat(Math.max(0, width - cellCount(raw)));
  const lines = [
    upload.rawHeader + tail(records[0] ?? []),
    ...upload.rawRows.map((raw, index) => padded(raw) + tail(records[index + 1] ?? [])),
  ];
  return bom + lines.map((line) => line + lineEnd).join('');
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function text(iterable: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of iterable) all += chunk;
  return all;
}

/** Checks every output format of a finished job against the upload it came from. */
async function expectRoundTrip(client: ProberClient, id: string, upload: ExportCase): Promise<void> {
  const rows = await collect(client.jobResults(id));
  expect(rows).toHaveLength(upload.rows.length);
  rows.forEach((result: JobResultRow, position) => {
    const original = upload.rows[position] as string[];
    expect(result.row).toBe(position + 1);
    expect(result.input).toBe(original[upload.column]);
    if (result.status === null) expect([original[upload.column], result.skipped]).toEqual(['', 'blank']);
    else expect(result.address).toBe(original[upload.column]);
    expect(result.columns).toEqual(
      Object.fromEntries(upload.header.map((name, index) => [name, original[index] ?? ''])),
    );
  });

  const csv = await text(client.jobResultsCsv(id));
  const delimiter = upload.delimiter ?? ',';
  const records = parse(csv.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: false }) as string[][];
  expect(records[0]).toEqual([...upload.header, ...JOB_RESULT_CSV_COLUMNS]);
  expect(records).toHaveLength(upload.rows.length + 1);
  records.slice(1).forEach((record, position) => {
    const original = upload.rows[position] as string[];
    const own = record.slice(0, upload.header.length);
    expect(own).toEqual(upload.header.map((_, index) => original[index] ?? ''));
    const status = record[upload.header.length];
    expect(status).toBe(rows[position]?.status ?? '');
    expect(record[upload.header.length + 1]).toBe(rows[position]?.reason ?? '');
  });
}

interface Backend {
  name: string;
  start(): Promise<{ redisUrl?: string }>;
  stop(): Promise<void>;
}

let redis: RedisServer | null = null;
const BACKENDS: Backend[] = [
  { name: 'embedded SQLite', start: async () => ({}), stop: async () => {} },
  {
    name: 'Redis fleet',
    async start() {
      redis = await startRedisServer();
      return { redisUrl: redis.url };
    },
    async stop() {
      await redis?.stop();
    },
  },
];

let internet: FakeInternet;
let folder: string;

beforeAll(async () => {
  const smtp = { mailboxes: MAILBOXES };
  internet = await startFakeInternet({
    domains: {
      'shop.test': { mx: [{ host: 'mx.shop.test', smtp }] },
      'corp.test': { mx: [{ host: 'mx.corp.test', smtp }] },
      'xn--bcher-kva.test': { mx: [{ host: 'mx.buecher.test', smtp }] },
      'catch.test': { mx: [{ host: 'mx.catch.test', smtp: { catchAll: true } }] },
    },
  });
  folder = await mkdtemp(path.join(tmpdir(), 'mailprobe-roundtrip-'));
});

afterAll(async () => {
  await internet?.close();
  await rm(folder, { recursive: true, force: true });
});

describe.each(BACKENDS)(
  'bulk jobs round-trip real exports ($name)',
  (backend) => {
    let prober: StartedProber;
    let key: string;
    let client: ProberClient;

    beforeAll(async () => {
      const { redisUrl } = await backend.start();
      prober = await startProber({
        ...(redisUrl ? { redisUrl } : {}),
        engine: internet.engineOptions,
        // Small ingest batches, so an upload is stored (and charged) in several steps before it can fail.
        config: { jobs: { pollIntervalMs: 20, greylistRetryDelayMs: 100, ingestBatchSize: 5 } },
      });
      key = await prober.createKey('roundtrip');
      client = createProberClient({ baseUrl: prober.url, apiKey: key, maxRetries: 0 });
    });

    afterAll(async () => {
      await prober?.close();
      await backend.stop();
    });

    it.each(EXPORTS)('$name as text/csv: one result per row, in order, columns untouched', async (upload) => {
      const created = await client.createJob({ csv: upload.text });
      expect(created.rows).toBe(upload.rows.length);
      const job = await client.waitForJob(created.id, { intervalMs: 50 });
      expect(job).toMatchObject({ status: 'completed', rows: upload.rows.length });
      await expectRoundTrip(client, created.id, upload);
    });

    it('verifies each distinct address once, however it is spelt, and answers every row', async () => {
      const sessionsBefore = internet.smtp['mx.buecher.test']?.sessions.length ?? 0;
      const created = await client.createJob({ csv: mailchimp.text });
      // 7 rows; ann twice (domain case) and alice twice (IDN twin) → 5 distinct addresses.
      expect(created).toMatchObject({ rows: 7, total: 5 });
      await client.waitForJob(created.id, { intervalMs: 50 });
      const rows = await collect(client.jobResults(created.id));
      expect(rows.map((row) => [row.input, row.status, row.reason])).toEqual([
        ['ann@shop.test', 'VALID', expect.any(String)],
        ['ghost@shop.test', 'INVALID', 'mailbox_not_found'],
        ['ann@SHOP.test', 'VALID', expect.any(String)],
        ['alice@bücher.test', 'VALID', expect.any(String)],
        ['alice@xn--bcher-kva.test', 'VALID', expect.any(String)],
        ['not an address', 'INVALID', 'invalid_syntax'],
        ['bo@shop.test', 'VALID', expect.any(String)],
      ]);
      const rcpts = (internet.smtp['mx.buecher.test']?.sessions ?? [])
        .slice(sessionsBefore)
        .flatMap((session) => session.commands.filter((command) => /^RCPT TO:<alice@/i.test(command)));
      // Cached by the earlier upload of the same file, or probed once here: never once per row.
      expect(rcpts.length).toBeLessThanOrEqual(1);
      const invalid = await collect(client.jobResults(created.id, { status: 'INVALID' }));
      expect(invalid.map((row) => row.row)).toEqual([2, 6]);
      const invalidCsv = parse(
        await text(client.jobResultsCsv(created.id, { status: 'INVALID' })),
      ) as string[][];
      expect(invalidCsv.slice(1).map((record) => record[0])).toEqual(['ghost@shop.test', 'not an address']);
    });

    it('takes the address column by name or number, and refuses a file without one, naming its columns', async () => {
      const twoAddresses = 'name,work,home\nAnn,ann@shop.test,bo@shop.test\n';
      const ambiguous = await fetch(`${prober.url}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: twoAddresses,
      });
      expect(ambiguous.status).toBe(400);
      const message = ((await ambiguous.json()) as { error: { message: string } }).error.message;
      expect(message).toContain('"name"');
      expect(message).toContain('"work"');
      expect(message).toContain('"home"');

      const byName = await client.createJob({ csv: twoAddresses, column: 'HOME' });
      const byNumber = await client.createJob({ csv: twoAddresses, column: 2 });
      await client.waitForJob(byName.id, { intervalMs: 50 });
      await client.waitForJob(byNumber.id, { intervalMs: 50 });
      expect((await collect(client.jobResults(byName.id))).map((row) => row.input)).toEqual(['bo@shop.test']);
      expect((await collect(client.jobResults(byNumber.id))).map((row) => row.input)).toEqual([
        'ann@shop.test',
      ]);

      const noAddresses = await fetch(`${prober.url}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: 'email,name\nAnn,Lee\nBo,Li\n',
      });
      expect(noAddresses.status).toBe(400);
      expect(((await noAddresses.json()) as { error: { message: string } }).error.message).toMatch(
        /no column looks like email addresses.*"email".*"name"/,
      );
    });

    it('takes the same exports through curl -F multipart, column as a form field', async () => {
      for (const upload of [mailchimp, excel]) {
        const file = path.join(folder, `${upload.name.replaceAll(/\W/g, '-')}.csv`);
        await writeFile(file, upload.text);
        const { stdout } = await run('curl', [
          '-sS',
          '--fail-with-body',
          '-H',
          `Authorization: Bearer ${key}`,
          '-F',
          `column=${upload.header[upload.column]}`,
          '-F',
          `file=@${file}`,
          `${prober.url}/v1/jobs`,
        ]);
        const created = JSON.parse(stdout) as { id: string; rows: number };
        expect(created.rows).toBe(upload.rows.length);
        await client.waitForJob(created.id, { intervalMs: 50 });
        await expectRoundTrip(client, created.id, upload);
      }
      const plain = path.join(folder, 'no-column.csv');
      await writeFile(plain, hubspot.text);
      const { stdout } = await run('curl', [
        '-sS',
        '-H',
        `Authorization: Bearer ${key}`,
        '-F',
        `file=@${plain}`,
        `${prober.url}/v1/jobs`,
      ]);
      const created = JSON.parse(stdout) as { id: string };
      await client.waitForJob(created.id, { intervalMs: 50 });
      await expectRoundTrip(client, created.id, hubspot);
    });

    it('takes NDJSON objects and keeps each as sent', async () => {
      const lines = [
        { email: 'ann@shop.test', score: 3, tags: ['a'] },
        { email: 'ghost@shop.test', score: null },
        { email: 'ann@shop.test', extra: 'dup' },
      ];
      const created = await client.createJob({
        ndjson: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`,
      });
      await client.waitForJob(created.id, { intervalMs: 50 });
      const rows = await collect(client.jobResults(created.id));
      expect(rows.map((row) => row.columns)).toEqual(lines);
      expect(rows.map((row) => row.status)).toEqual(['VALID', 'INVALID', 'VALID']);
      const csv = parse(await text(client.jobResultsCsv(created.id))) as string[][];
      expect(csv[0]?.slice(0, 4)).toEqual(['email', 'score', 'tags', 'extra']);
      expect(csv[1]?.slice(0, 4)).toEqual(['ann@shop.test', '3', '["a"]', '']);
    });

    it('gives a CRM export back byte for byte: BOM, `;`, CRLF, quotes, phone numbers and formulas untouched', async () => {
      const rawHeader = '"Vorname";"E-Mail";"Telefon";"Umsatz";"Notiz"';
      const rawRows = [
        '"Ann";ann@shop.test;+1 (555) 570-4036;=SUM(A1:A3);"-5 Rabatt"',
        'Gus;ghost@shop.test;+1 (555) 570-4037;@home;"Zeile 1\r\nZeile 2"',
        'Leer;;+49 30 1234;-12;ohne Adresse',
        'Ann2;ann@SHOP.test;+1 (555) 570-4036;;Duplikat',
        'Bo;bo@shop.test;"+1 (555) 570-4038";"=HYPERLINK(""http://evil.test"",""x"")";ok',
        'Cy;cy@catch.test;;;catch-all',
        'Kurz;dee@corp.test',
      ];
      const crm = { text: `${BOM}${[rawHeader, ...rawRows].join('\r\n')}\r\n`, rawHeader, rawRows };
      const response = await fetch(`${prober.url}/v1/jobs?fileName=${encodeURIComponent('leads 2024.csv')}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: crm.text,
      });
      expect(response.status).toBe(202);
      const created = (await response.json()) as { id: string; rows: number; total: number };
      // 7 rows: one blank address, ann twice → 5 distinct addresses verified.
      expect(created).toMatchObject({ rows: 7, total: 5 });
      const job = await client.waitForJob(created.id, { intervalMs: 50 });
      expect(job).toMatchObject({
        fileName: 'leads 2024.csv',
        column: 'E-Mail',
        rowCounts: {
          deliverable: 3,
          undeliverable: 1,
          risky: 1,
          unknown: 0,
          skipped: 1,
          duplicate: 1,
          pending: 0,
        },
        addressCounts: { deliverable: 3, undeliverable: 1, risky: 1, unknown: 0 },
      });

      const all = await download(prober, key, created.id, 'format=csv');
      expect(all.disposition).toBe('attachment; filename="leads 2024-mailprobe.csv"');
      const csv = all.body.toString('utf8');
      expect(csv).toBe(expectedCsv(crm, csv, ';', '\r\n'));
      const records = parse(csv.replace(/^\uFEFF/, ''), { delimiter: ';' }) as string[][];
      const column = (name: string) => (records[0] ?? []).indexOf(name);
      const marks = records
        .slice(1)
        .map((record) => [
          record[column('mailprobe_status')],
          record[column('mailprobe_skipped')],
          record[column('mailprobe_duplicate_of')],
        ]);
      expect(marks).toEqual([
        ['VALID', '', ''],
        ['INVALID', '', ''],
        ['', 'blank', ''],
        ['VALID', 'duplicate', '1'],
        ['VALID', '', ''],
        ['UNKNOWN', '', ''],
        ['VALID', '', ''],
      ]);

      // excelSafe: every cell that could start a formula is neutralised, the user's own ones too.
      const safe = parse(
        (await download(prober, key, created.id, 'format=csv&excelSafe=true')).body
          .toString('utf8')
          .replace(/^\uFEFF/, ''),
        {
          delimiter: ';',
        },
      ) as string[][];
      expect(safe[1]?.slice(0, 5)).toEqual([
        'Ann',
        'ann@shop.test',
        "'+1 (555) 570-4036",
        "'=SUM(A1:A3)",
        "'-5 Rabatt",
      ]);
      expect(safe[2]?.[3]).toBe("'@home");

      // Each set by row, in CSV and NDJSON, the user's columns kept.
      const sets: Record<string, number[]> = {
        all: [1, 2, 3, 4, 5, 6, 7],
        valid: [1, 5, 7],
        valid_risky: [1, 5, 6, 7],
        invalid: [2],
      };
      for (const [set, expected] of Object.entries(sets)) {
        const ndjson = (await download(prober, key, created.id, `set=${set}`)).body.toString('utf8');
        const lines = ndjson
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as JobResultRow);
        expect(lines.map((line) => line.row)).toEqual(expected);
        expect(lines.every((line) => line.columns && 'Telefon' in line.columns)).toBe(true);
        const setCsv = (await download(prober, key, created.id, `set=${set}&format=csv`)).body.toString(
          'utf8',
        );
        const setRecords = parse(setCsv.replace(/^\uFEFF/, ''), {
          delimiter: ';',
          relax_column_count: true,
        }) as string[][];
        expect(setRecords.slice(1).map((record) => record[0])).toEqual(
          expected.map((row) => records[row]?.[0] ?? ''),
        );
        expect(setCsv.startsWith(`${BOM}${rawHeader};mailprobe_status;`)).toBe(true);
      }
      const ndjson = (await download(prober, key, created.id, 'set=all')).body.toString('utf8');
      const lines = ndjson
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines[2]).toMatchObject({
        row: 3,
        input: '',
        status: null,
        reason: null,
        skipped: 'blank',
        duplicateOf: null,
      });
      expect(lines[3]).toMatchObject({ row: 4, status: 'VALID', skipped: 'duplicate', duplicateOf: 1 });
      expect(lines[0]?.columns).toEqual({
        Vorname: 'Ann',
        'E-Mail': 'ann@shop.test',
        Telefon: '+1 (555) 570-4036',
        Umsatz: '=SUM(A1:A3)',
        Notiz: '-5 Rabatt',
      });
      expect(lines[6]?.columns).toMatchObject({ Vorname: 'Kurz', Telefon: '' });
      // The blank row was neither verified nor charged.
      expect(job.total).toBe(5);
    });

    it('keeps a tab-separated LF file and a comma file without header as they were', async () => {
      const tabRows = ['Ann\tann@shop.test\t+1 (555) 570-4036', 'Gus\t"ghost@shop.test"\t=1+1'];
      const tab = {
        text: `name\temail\tphone\n${tabRows.join('\n')}\n`,
        rawHeader: 'name\temail\tphone',
        rawRows: tabRows,
      };
      const created = await client.createJob({ csv: tab.text });
      await client.waitForJob(created.id, { intervalMs: 50 });
      const csv = (await download(prober, key, created.id, 'format=csv')).body.toString('utf8');
      expect(csv).toBe(expectedCsv(tab, csv, '\t', '\n'));
    });

    it('answers a dry run with the numbers of the upload, creating and charging nothing', async () => {
      const limited = await prober.createKey('dry', { quota: 37 });
      const before = await client.listJobs({ limit: 100 });
      const response = await fetch(`${prober.url}/v1/jobs?dryRun=true&fileName=leads.csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${limited}`, 'content-type': 'text/csv' },
        body: 'name;email\nAnn;ann@shop.test\nBo;\nAnn;ann@SHOP.test\nCy;cy@shop.test\n',
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        rows: 4,
        withAddress: 3,
        blank: 1,
        distinct: 2,
        duplicate: 1,
        column: 'email',
        columns: ['name', 'email'],
        quotaRemaining: 37,
        fileName: 'leads.csv',
      });
      const limitedClient = createProberClient({ baseUrl: prober.url, apiKey: limited, maxRetries: 0 });
      expect((await limitedClient.me()).limits.used).toBe(0);
      expect((await limitedClient.listJobs({ limit: 100 })).jobs).toEqual([]);
      expect((await client.listJobs({ limit: 100 })).jobs.length).toBe(before.jobs.length);
      const refused = await fetch(`${prober.url}/v1/jobs?dryRun=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${limited}`, 'content-type': 'text/csv' },
        body: 'name,city\nAnn,Rome\n',
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
        /no column looks like email addresses/,
      );
    });

    it('takes an .xlsx workbook (first sheet or ?sheet=) and gives the results back as .xlsx', async () => {
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('Notes').addRow(['nothing here']);
      const sheet = workbook.addWorksheet('Leads');
      sheet.addRow(['Name', 'Email', 'Phone']);
      sheet.addRow(['Ann', 'ann@shop.test', '+1 (555) 570-4036']);
      sheet.addRow(['Gus', 'ghost@shop.test', 4711]);
      sheet.addRow(['Blank', '', '=1+1']);
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const wrongSheet = await fetch(`${prober.url}/v1/jobs`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
        body: bytes,
      });
      expect(wrongSheet.status).toBe(400);
      const form = new FormData();
      form.append('sheet', 'Leads');
      form.append('file', new Blob([bytes]), 'leads.xlsx');
      const response = await fetch(`${prober.url}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      expect(response.status).toBe(202);
      const created = (await response.json()) as { id: string; rows: number; total: number };
      expect(created).toMatchObject({ rows: 3, total: 2 });
      const job = await client.waitForJob(created.id, { intervalMs: 50 });
      expect(job).toMatchObject({
        fileName: 'leads.xlsx',
        column: 'Email',
        rowCounts: { deliverable: 1, undeliverable: 1, skipped: 1 },
      });
      const rows = await collect(client.jobResults(created.id));
      expect(rows.map((row) => row.columns)).toEqual([
        { Name: 'Ann', Email: 'ann@shop.test', Phone: '+1 (555) 570-4036' },
        { Name: 'Gus', Email: 'ghost@shop.test', Phone: '4711' },
        { Name: 'Blank', Email: '', Phone: '=1+1' },
      ]);
      const xlsx = await download(prober, key, created.id, 'format=xlsx');
      expect(xlsx.status).toBe(200);
      expect(xlsx.disposition).toBe('attachment; filename="leads-mailprobe.xlsx"');
      const back = new ExcelJS.Workbook();
      await back.xlsx.load(xlsx.body as unknown as ArrayBuffer);
      const values = (back.worksheets[0]?.getSheetValues() ?? [])
        .slice(1)
        .map((row) => (row as unknown[]).slice(1));
      expect(values[0]?.slice(0, 5)).toEqual([
        'Name',
        'Email',
        'Phone',
        'mailprobe_status',
        'mailprobe_reason',
      ]);
      expect(values[1]?.slice(0, 4)).toEqual(['Ann', 'ann@shop.test', '+1 (555) 570-4036', 'VALID']);
      // An empty cell stays empty; a text cell that looks like a formula is text, never a formula.
      expect(values[3]?.slice(0, 3)).toEqual(['Blank', undefined, '=1+1']);
      expect(values).toHaveLength(4);
      const csvOfXlsx = await download(prober, key, created.id, 'format=xlsx&set=invalid');
      const invalidBook = new ExcelJS.Workbook();
      await invalidBook.xlsx.load(csvOfXlsx.body as unknown as ArrayBuffer);
      expect(invalidBook.worksheets[0]?.rowCount).toBe(2);
      const notSpreadsheet = await download(
        prober,
        key,
        (await client.createJob({ csv: sheets.text })).id,
        'format=xlsx',
      );
      expect(notSpreadsheet.status).toBe(400);
    });

    it('refuses an empty, encrypted or address-less upload before anything is charged', async () => {
      const limited = await prober.createKey('refusals', { quota: 5 });
      const post = (body: Uint8Array | string, type: string) =>
        fetch(`${prober.url}/v1/jobs`, {
          method: 'POST',
          headers: { authorization: `Bearer ${limited}`, 'content-type': type },
          body,
        });
      const message = async (response: Response) =>
        ((await response.json()) as { error: { message: string } }).error.message;
      const empty = await post('', 'text/csv');
      expect(empty.status).toBe(400);
      const encrypted = Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.alloc(512),
      ]);
      const asXlsx = await post(
        encrypted,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect([asXlsx.status, await message(asXlsx)]).toEqual([400, expect.stringMatching(/encrypted/)]);
      const asCsv = await post(encrypted, 'text/csv');
      expect([asCsv.status, await message(asCsv)]).toEqual([400, expect.stringMatching(/encrypted/)]);
      const emptyXlsx = await post('', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(emptyXlsx.status).toBe(400);
      const noColumn = await post('name,city\nAnn,Rome\n', 'text/csv');
      expect([noColumn.status, await message(noColumn)]).toEqual([
        400,
        expect.stringMatching(/no column looks like email addresses: pick one with/),
      ]);
      const allBlank = await post('name,email\nAnn,\nBo,\n', 'text/csv');
      expect(allBlank.status).toBe(400);
      const limitedClient = createProberClient({ baseUrl: prober.url, apiKey: limited, maxRetries: 0 });
      expect((await limitedClient.me()).limits.used).toBe(0);
    });

    it('refuses a binary or non-UTF-8 upload and charges nothing for a rejected one', async () => {
      const limited = await prober.createKey('limited', { quota: 10 });
      const limitedClient = createProberClient({ baseUrl: prober.url, apiKey: limited, maxRetries: 0 });
      const post = (body: Uint8Array | string, type = 'text/csv') =>
        fetch(`${prober.url}/v1/jobs`, {
          method: 'POST',
          headers: { authorization: `Bearer ${limited}`, 'content-type': type },
          body,
        });
      const binary = await post(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x41]));
      expect(binary.status).toBe(400);
      const latin1 = await post(Buffer.from('email\nm\xfcller@shop.test\n', 'latin1'));
      expect(latin1.status).toBe(400);
      expect(((await latin1.json()) as { error: { message: string } }).error.message).toMatch(/UTF-8/);
      const addresses = (count: number) =>
        Array.from({ length: count }, (_, index) => `user${index}@shop.test`).join('\n');
      // 12 distinct addresses against a quota of 10: two batches of 5 are charged, the third is refused (429)
      // and what the first two took is given back.
      expect((await post(`email\n${addresses(12)}\n`)).status).toBe(429);
      // Malformed CSV after two stored batches: 400, and nothing stays charged.
      expect((await post(`email\n${addresses(10)}\n"unterminated\n`)).status).toBe(400);
      expect((await limitedClient.me()).limits.used).toBe(0);

      const accepted = await limitedClient.createJob({
        csv: 'email\nann@shop.test\nann@SHOP.test\nbo@shop.test\n',
      });
      await limitedClient.waitForJob(accepted.id, { intervalMs: 50 });
      // Charged per distinct address, not per row.
      expect((await limitedClient.me()).limits.used).toBe(2);
    });

    it('deletes a job with its rows at once, cancelling it first when it still runs', async () => {
      const created = await client.createJob({ csv: sheets.text });
      const last = await client.deleteJob(created.id);
      expect(last.id).toBe(created.id);
      expect(['cancelled', 'completed']).toContain(last.status);
      await expect(client.getJob(created.id)).rejects.toMatchObject({ status: 404 });
      await expect(collect(client.jobResults(created.id))).rejects.toMatchObject({ status: 404 });
      const list = await client.listJobs({ limit: 100 });
      expect(list.jobs.map((job) => job.id)).not.toContain(created.id);
    });

    it('deletes finished jobs after the retention period', async () => {
      const created = await client.createJob({ csv: sheets.text });
      await client.waitForJob(created.id, { intervalMs: 50 });
      const { RetentionSweeper } = await import('../../../packages/prober/src/jobs/retention-sweeper.js');
      const stores = prober.server.stores;
      const sweeper = new RetentionSweeper({
        jobs: stores.jobs,
        cache: stores.cache,
        retentionMs: 30 * 24 * 60 * 60 * 1000,
        intervalMs: 60_000,
        log: prober.server.app.log,
      });
      // Today nothing is old enough; 31 days from now this job is.
      await sweeper.sweep(Date.now());
      expect((await client.getJob(created.id)).status).toBe('completed');
      expect(await sweeper.sweep(Date.now() + 31 * 24 * 60 * 60 * 1000)).toBeGreaterThanOrEqual(1);
      await expect(client.getJob(created.id)).rejects.toMatchObject({ status: 404 });
    });
  },
  WAIT_MS * 4,
);
