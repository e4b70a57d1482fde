// The web console in a real browser (Debian's Chromium through playwright-core) against the real prober on
// the fake internet, at desktop and phone widths, light and dark, with axe-core on every screen. Screenshots of
// each screen land in test/artifacts/console/.
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProber } from '../../../packages/prober/src/index.js';
import { launchChromium } from '../browser/chromium.js';
import { type FakeInternet, startFakeInternet } from '../fake-internet.js';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/console/', import.meta.url));
const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');
const MAILBOXES = ['ann', 'bob', 'cleo'].map((name) => `${name}@console-mail.test`);
/** Greylisting that outlasts the test: the address waits for the server's retry until "Finish now". */
const GREYLIST_MS = 10 * 60_000;

const DESKTOP = { width: 1200, height: 900 };
const PHONE = { width: 390, height: 844 };

// A CRM-style export whose address columns are not called "email": "Work E-mail" is detected, the user
// switches to "Private", which is the column the job must verify.
const LIST = [
  'Name;Work E-mail;Private;Notes',
  'Ann Lee;nobody1@console-mail.test;ann@console-mail.test;"first line',
  'second line"',
  'Bob Ray;nobody2@console-mail.test;bob@console-mail.test;=1+1',
  'Ghost;nobody3@console-mail.test;ghost@console-mail.test;',
  'Ann again;nobody4@console-mail.test;ann@console-mail.test;duplicate row',
  'Broken;nobody5@console-mail.test;not-an-address;',
].join('\r\n');

/** A CRM export as HubSpot writes it for a European locale: `;`, CRLF, phone numbers, formula-like cells. */
const CRM = `${[
  'First name;Last name;Email;Phone;Notes;Owner',
  'Ann;Lee;ann@console-mail.test;+1 (555) 570-4036;"likes ""tea""; coffee";@sales',
  'Bob;Ray;bob@console-mail.test;+44 20 7946 0958;"=HYPERLINK(""http://evil.test"";""x"")";-',
  'Cleo;Day;;+1 (555) 000-0000;no address;',
  'Ghost;Host;ghost@console-mail.test;-5;"line one\r\nline two";=1+1',
  'Ann;Lee (dup);ann@console-mail.test;+1 (555) 570-4036;duplicate;',
  'Any;One;someone@accept-all.test;+1 555 0100;accepts all;',
].join('\r\n')}\r\n`;
/** Eight more columns with long names: a preview wider than any phone. */
const WIDE_HEADERS = Array.from({ length: 8 }, (_, index) => `Long column name ${index + 1}`).join(';');
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the page (injected by the context's init script) and lists what it found, one line each. */
async function axeViolations(page: Page, context = 'document', skipRules: string[] = []): Promise<string[]> {
  const violations = await page.evaluate<AxeViolation[], [string, string[]]>(
    async ([selector, skip]) => {
      const axe = (
        globalThis as unknown as {
          axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
        }
      ).axe;
      const target =
        selector === 'document' ? (globalThis as unknown as { document: unknown }).document : selector;
      const rules = Object.fromEntries(skip.map((rule) => [rule, { enabled: false }]));
      return (await axe.run(target, { resultTypes: ['violations'], rules })).violations;
    },
    [context, skipRules],
  );
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.help}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

/** In the page: the contrast ratio of a primary button's text on its background (WCAG relative luminance). */
const PRIMARY_BUTTON_CONTRAST = `(() => {
  const probe = document.createElement('button');
  document.body.append(probe);
  const { backgroundColor, color } = getComputedStyle(probe);
  probe.remove();
  const luminance = (css) => {
    const [r, g, b] = css.match(/\\d+/g).slice(0, 3).map((part) => {
      const channel = Number(part) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [high, low] = [luminance(color), luminance(backgroundColor)].sort((a, b) => b - a);
  return (high + 0.05) / (low + 0.05);
})()`;

/** How far the page scrolls sideways (0 when it fits). */
const sidewaysOverflow = (page: Page) =>
  page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

describe('the web console in Chromium', () => {
  let internet: FakeInternet;
  let prober: Awaited<ReturnType<typeof startProber>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let apiKey: string;
  const problems: string[] = [];
  const jobPosts: string[] = [];

  const shot = (name: string, on: Page = page) =>
    on.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${prober.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${apiKey}`, ...(init.headers as Record<string, string>) },
    });
    return (await response.json()) as T;
  };

  /** A browser context as a user has it: light or dark, desktop or phone; axe ready on every page. */
  const openContext = async (
    options: { dark?: boolean; viewport?: { width: number; height: number } } = {},
  ) => {
    const opened = await browser.newContext({
      acceptDownloads: true,
      viewport: options.viewport ?? DESKTOP,
      colorScheme: options.dark ? 'dark' : 'light',
    });
    // Init scripts run outside the page's Content-Security-Policy, which (rightly) allows no inline script.
    await opened.addInitScript({ path: AXE_SOURCE });
    return opened;
  };
  const watch = (watched: Page) => {
    // Any CSP violation, failed request or script error is a bug of the console.
    watched.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
        problems.push(message.text());
    });
    watched.on('pageerror', (error) => problems.push(error.message));
    watched.on('requestfailed', (request) => {
      if (!request.url().startsWith('blob:')) problems.push(`request failed: ${request.url()}`);
    });
    watched.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/v1/jobs')
        jobPosts.push(request.url());
    });
  };
  const signIn = async (on: Page) => {
    await on.goto(prober.url);
    await on.getByLabel('API key').fill(apiKey);
    await on.getByRole('button', { name: 'Sign in' }).click();
    await on.getByText('Signed in as').waitFor();
  };
  const chooseFile = (on: Page, name: string, content: string | Buffer, mimeType = 'text/csv') =>
    on.getByLabel(/Drop a CSV, text or Excel file here/).setInputFiles({
      name,
      mimeType,
      buffer: typeof content === 'string' ? Buffer.from(content) : content,
    });

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    internet = await startFakeInternet({
      domains: {
        'console-mail.test': { mx: [{ host: 'mx.console-mail.test', smtp: { mailboxes: MAILBOXES } }] },
        'accept-all.test': { mx: [{ host: 'mx.accept-all.test', smtp: { catchAll: true } }] },
        'greylist.test': {
          mx: [
            {
              host: 'mx.greylist.test',
              smtp: { mailboxes: ['slow@greylist.test'], greylistMs: GREYLIST_MS },
            },
          ],
        },
      },
    });
    prober = await startProber({
      engine: internet.engineOptions,
      config: { jobs: { bodyLimitBytes: 64 * 1024 } },
    });
    apiKey = await prober.createKey('console-tests', { quota: 1000 });
    browser = await launchChromium();
    context = await openContext();
    page = await context.newPage();
    watch(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await prober?.close();
    await internet?.close();
  });

  it('serves the console at / and /console with a strict Content-Security-Policy', async () => {
    for (const path of ['/', '/console']) {
      const response = await fetch(`${prober.url}${path}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe');
      expect(await response.text()).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    }
  });

  it('focuses the key field on load and says clearly when a key is wrong', async () => {
    await page.goto(prober.url);
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('api-key');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('API key').fill('mp_wrong_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/That API key was not accepted/);
    expect(await axeViolations(page)).toEqual([]);
    await shot('01-wrong-key');
  });

  it('signs in with a real key, kept in session storage only, and moves focus to the heading', async () => {
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('verify-heading');
    expect(await page.evaluate("sessionStorage.getItem('mailprobe.apiKey')")).toBe(apiKey);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect((await context.cookies()).length).toBe(0);
  });

  it('verifies one address: a plain verdict, the reason in words, the codes in the evidence, focus on the result', async () => {
    // The live region is on the page before any result, so screen readers announce what lands in it.
    expect(await page.getByTestId('verify-live').count()).toBe(1);
    expect(await page.getByTestId('verify-live').getAttribute('aria-live')).toBe('polite');
    await page.getByLabel('Email address').fill('ghost@console-mail.test');
    await page.getByRole('button', { name: 'Verify' }).click();
    const card = page.getByTestId('verify-result');
    await card.waitFor();
    expect(await card.locator('[data-status]').getAttribute('data-status')).toBe('INVALID');
    expect(await card.getByRole('heading').textContent()).toContain("Don't send");
    expect(await card.locator('.reason-words').textContent()).toBe(
      'The mail server says this mailbox does not exist.',
    );
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('verify-result-heading');
    expect(await page.getByTestId('verify-live').textContent()).toContain("Don't send");
    await card.getByText('Evidence').click();
    expect(await card.textContent()).toMatch(/mailbox_not_found/);
    expect(await card.textContent()).toMatch(/550 5\.1\.1/);
    expect(await axeViolations(page)).toEqual([]);
    await shot('02-verify');

    await page.getByLabel('Email address').fill('someone@accept-all.test');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => card.getByRole('heading').textContent()).toContain('Risky');
    await page.getByLabel('Email address').fill('ann@console-mail.test');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => card.getByRole('heading').textContent()).toContain('Safe to send');
  });

  it('"check again" asks for a fresh probe instead of the cached answer', async () => {
    const card = page.getByTestId('verify-result');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => card.textContent()).toContain('(from cache)');
    await page.getByRole('button', { name: /Check again/ }).click();
    await expect.poll(() => card.getByRole('heading').textContent()).toContain('Safe to send');
    expect(await card.textContent()).not.toContain('(from cache)');
  });

  it('offers a suggestion as a button that checks the corrected address', async () => {
    await page.getByLabel('Email address').fill('ann@gmial.com');
    await page.getByRole('button', { name: 'Verify' }).click();
    const card = page.getByTestId('verify-result');
    const suggestion = card.getByRole('button', { name: 'Check ann@gmail.com' });
    await suggestion.waitFor();
    await suggestion.click();
    await expect.poll(() => card.getByRole('heading').textContent()).toContain('ann@gmail.com');
    expect(await page.getByLabel('Email address').inputValue()).toBe('ann@gmail.com');
    await shot('02b-suggestion');
  });

  it('refuses an empty, encrypted or binary file before anything is uploaded', async () => {
    await page.getByRole('link', { name: 'Upload a list' }).click();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('upload-heading');
    const posts = jobPosts.length;
    const refused = page.getByTestId('file-refused');
    await chooseFile(page, 'empty.csv', '');
    await expect.poll(() => refused.textContent()).toMatch(/The file is empty/);
    await chooseFile(page, 'blank.csv', '\uFEFF\r\n  \r\n');
    await expect.poll(() => refused.textContent()).toMatch(/The file is empty/);
    // What Excel writes for a workbook with a password: a Compound File container.
    const encrypted = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    await chooseFile(
      page,
      'leads.xlsx',
      encrypted,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    await expect.poll(() => refused.textContent()).toMatch(/encrypted.*Save it as "CSV UTF-8"/);
    await chooseFile(page, 'leads.csv', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1'));
    await expect.poll(() => refused.textContent()).toMatch(/PDF.*CSV UTF-8/);
    await chooseFile(
      page,
      'leads.csv',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    );
    await expect.poll(() => refused.textContent()).toMatch(/binary file.*CSV UTF-8/);
    expect(await page.getByRole('button', { name: 'Start verification' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await shot('03a-refused');
    expect(jobPosts.length).toBe(posts);
  });

  it('uploads a list, lets the user change the column, starts it once on a double-click, and shows the summary', async () => {
    await chooseFile(page, 'crm-export.csv', `\uFEFF${LIST}`);
    const select = page.getByLabel('Address column');
    expect(await select.locator('option:checked').textContent()).toBe('Work E-mail (detected)');
    // The preview table scrolls on its own and the keyboard reaches it.
    expect(
      await page.getByRole('region', { name: 'Preview of crm-export.csv' }).getAttribute('tabindex'),
    ).toBe('0');
    expect(await axeViolations(page)).toEqual([]);
    await shot('03-preview');
    await select.selectOption({ label: 'Private' });
    const before = jobPosts.length;
    const { jobs: jobsBefore } = await api<{ jobs: unknown[] }>('/v1/jobs');
    await page.getByRole('button', { name: 'Start verification' }).dblclick();
    const job = page.getByTestId('job-progress');
    await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('completed');
    const { jobs: jobsAfter } = await api<{ jobs: unknown[] }>('/v1/jobs');
    expect(jobsAfter.length - jobsBefore.length).toBe(1);
    expect(jobPosts.slice(before).filter((url) => !url.includes('dryRun')).length).toBe(1);
    expect(await page.getByRole('button', { name: 'Started' }).isDisabled()).toBe(true);
    // Per distinct address: ann and bob deliverable, ghost and the broken one not ("ann" twice is checked once).
    const addresses = page.getByTestId('summary-addresses');
    expect(await addresses.locator('[data-count="deliverable"]').textContent()).toBe('2');
    expect(await addresses.locator('[data-count="undeliverable"]').textContent()).toBe('2');
    expect(await addresses.locator('svg[role="img"]').getAttribute('aria-label')).toMatch(/2 deliverable/);
    expect(await job.textContent()).toContain('4 of 4 distinct addresses checked (100%), from 5 rows');
    expect(await job.getByRole('heading', { level: 3 }).textContent()).toContain('crm-export.csv');
    expect(await axeViolations(page)).toEqual([]);
    await shot('04-job-finished');
  });

  it('downloads the results CSV named after the upload, with every row and original column, in order', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download all rows as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('crm-export-mailprobe.csv');
    const text = (await readFile(await download.path())).toString('utf8').replace(/^\uFEFF/, '');
    const input = parse(LIST, { delimiter: ';' }) as string[][];
    const output = parse(text, { delimiter: [',', ';'], relax_column_count: false }) as string[][];
    const header = output[0] ?? [];
    expect(header.slice(0, 4)).toEqual(input[0]);
    expect(output).toHaveLength(input.length);
    const statusAt = header.indexOf('mailprobe_status');
    expect(output.slice(1).map((row) => row[statusAt])).toEqual([
      'VALID',
      'VALID',
      'INVALID',
      'VALID',
      'INVALID',
    ]);
  });

  it('downloads the valid and the invalid rows on their own', async () => {
    const statuses = async (name: string, file: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(file);
      const text = (await readFile(await download.path())).toString('utf8').replace(/^\uFEFF/, '');
      const rows = parse(text, { delimiter: [',', ';'] }) as string[][];
      const statusAt = (rows[0] ?? []).indexOf('mailprobe_status');
      return rows.slice(1).map((row) => row[statusAt]);
    };
    // By row: the repeated "ann" is in "all" only (marked as a duplicate of row 1).
    expect(await statuses('Download valid only as CSV', 'crm-export-mailprobe-valid.csv')).toEqual([
      'VALID',
      'VALID',
    ]);
    expect(
      await statuses('Download invalid (suppression list) as CSV', 'crm-export-mailprobe-invalid.csv'),
    ).toEqual(['INVALID', 'INVALID']);
    const [ndjson] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download all rows as NDJSON' }).click(),
    ]);
    expect(ndjson.suggestedFilename()).toBe('crm-export-mailprobe.ndjson');
    const lines = (await readFile(await ndjson.path())).toString('utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { row: number }).row)).toEqual([1, 2, 3, 4, 5]);
  });

  it('says what a start would do, and brings a CRM export (phones, formulas, `;`) back byte for byte outside the added columns', async () => {
    await chooseFile(page, 'hubspot-contacts.csv', `\uFEFF${CRM}`);
    expect(await page.getByLabel('Address column').locator('option:checked').textContent()).toBe(
      'Email (detected)',
    );
    const me = await api<{ limits: { quota: number; used: number } }>('/v1/me');
    const remaining = me.limits.quota - me.limits.used;
    await expect
      .poll(() => page.getByTestId('dry-run').textContent())
      .toBe(`6 rows · 5 with an address · 4 distinct · uses 4 of your ${remaining} remaining`);
    await page.getByRole('button', { name: 'Start verification' }).click();
    const job = page.getByTestId('job-progress');
    await expect.poll(() => job.locator('h3').textContent()).toContain('hubspot-contacts.csv');
    await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('completed');
    const rows = page.getByTestId('summary-rows');
    const counts = await rows
      .locator('[data-count]')
      .evaluateAll((cells) =>
        Object.fromEntries(cells.map((cell) => [cell.getAttribute('data-count'), cell.textContent])),
      );
    expect(counts).toEqual({
      deliverable: '2',
      undeliverable: '1',
      risky: '1',
      unknown: '0',
      skipped: '1',
      duplicate: '1',
      pending: '0',
    });
    expect(await job.textContent()).toContain('column Email');
    await shot('04b-results-summary');
    // README's picture (docs/console.png is a copy of this one).
    await job.screenshot({ path: `${ARTIFACTS}results-summary.png` });

    const download = async (name: string, file: string) => {
      const [saved] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name }).click(),
      ]);
      expect(saved.suggestedFilename()).toBe(file);
      return (await readFile(await saved.path())).toString('utf8');
    };
    const all = await download('Download all rows as CSV', 'hubspot-contacts-mailprobe.csv');
    // The upload's BOM, `;` and CRLF; each record as uploaded, byte for byte, then the added columns.
    expect(all.startsWith('\uFEFF')).toBe(true);
    expect(all.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const records = (text: string) =>
      (
        parse(text, { delimiter: ';', raw: true, bom: true }) as unknown as {
          raw: string;
          record: string[];
        }[]
      ).map(({ raw, record }) => ({ raw: raw.replace(/\r$/, ''), record }));
    const input = records(CRM);
    const output = records(all);
    expect(output).toHaveLength(input.length);
    for (const [index, record] of input.entries()) {
      expect((output[index]?.raw ?? '').startsWith(`${record.raw};`), `record ${index}`).toBe(true);
    }
    const header = output[0]?.record ?? [];
    const skippedAt = header.indexOf('mailprobe_skipped');
    expect(output.slice(1).map((row) => row.record[skippedAt])).toEqual([
      '',
      '',
      'blank',
      '',
      'duplicate',
      '',
    ]);
    const statusesOf = (text: string) => {
      const parsed = records(text);
      const at = (parsed[0]?.record ?? []).indexOf('mailprobe_status');
      return parsed.slice(1).map((row) => `${row.record[0]}:${row.record[at]}`);
    };
    expect(
      statusesOf(
        await download('Download valid + risky as CSV', 'hubspot-contacts-mailprobe-valid-risky.csv'),
      ),
    ).toEqual(['Ann:VALID', 'Bob:VALID', 'Any:UNKNOWN']);
    expect(
      statusesOf(
        await download(
          'Download invalid (suppression list) as CSV',
          'hubspot-contacts-mailprobe-invalid.csv',
        ),
      ),
    ).toEqual(['Ghost:INVALID']);
    // Excel-safe, when asked: the user's own formula-like cells get a leading quote too.
    await page.getByLabel(/Excel-safe/).check();
    const safe = records(await download('Download all rows as CSV', 'hubspot-contacts-mailprobe.csv'));
    expect(safe[1]?.record.slice(3, 6)).toEqual(["'+1 (555) 570-4036", 'likes "tea"; coffee', "'@sales"]);
    await page.getByLabel(/Excel-safe/).uncheck();
  });

  it('takes an Excel workbook: the server reads the columns, the results come back as .xlsx too', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Contacts');
    sheet.addRow(['Name', 'Work email', 'Phone']);
    sheet.addRow(['Ann', 'ann@console-mail.test', '+1 (555) 570-4036']);
    sheet.addRow(['Ghost', 'ghost@console-mail.test', '+1 (555) 000-0000']);
    sheet.addRow(['Cleo', 'cleo@console-mail.test', '']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    await chooseFile(page, 'Leads Q3.xlsx', xlsx, XLSX_TYPE);
    const select = page.getByLabel('Address column');
    await expect.poll(() => select.locator('option:checked').textContent()).toBe('Work email (detected)');
    await expect
      .poll(() => page.getByTestId('dry-run').textContent())
      .toMatch(/^3 rows · 3 with an address · 3 distinct · uses 3 of your \d+ remaining$/);
    expect(await axeViolations(page)).toEqual([]);
    await shot('03b-xlsx');
    await page.getByRole('button', { name: 'Start verification' }).click();
    const job = page.getByTestId('job-progress');
    await expect.poll(() => job.locator('h3').textContent()).toContain('Leads Q3.xlsx');
    await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('completed');
    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download all rows as XLSX' }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe('Leads Q3-mailprobe.xlsx');
    const back = new ExcelJS.Workbook();
    await back.xlsx.load((await readFile(await saved.path())) as unknown as ArrayBuffer);
    const values = (back.worksheets[0]?.getSheetValues() ?? []) as unknown[][];
    const table = values.filter(Boolean).map((row) => row.slice(1));
    expect(table[0]?.slice(0, 4)).toEqual(['Name', 'Work email', 'Phone', 'mailprobe_status']);
    expect(table.slice(1).map((row) => [row[0], row[2], row[3]])).toEqual([
      ['Ann', '+1 (555) 570-4036', 'VALID'],
      ['Ghost', '+1 (555) 000-0000', 'INVALID'],
      ['Cleo', undefined, 'VALID'],
    ]);
  });

  it('refuses to start a list larger than the quota left, with the numbers', async () => {
    const smallKey = await prober.createKey('console-small', { quota: 1 });
    const opened = await openContext();
    const small = await opened.newPage();
    watch(small);
    try {
      await small.goto(prober.url);
      await small.getByLabel('API key').fill(smallKey);
      await small.getByRole('button', { name: 'Sign in' }).click();
      await small.getByRole('link', { name: 'Upload a list' }).click();
      const posts = jobPosts.length;
      await chooseFile(
        small,
        'three.csv',
        'email\nann@console-mail.test\nbob@console-mail.test\ncleo@console-mail.test\n',
      );
      await expect
        .poll(() => small.getByTestId('dry-run').textContent())
        .toContain('3 rows · 3 with an address · 3 distinct · uses 3 of your 1 remaining');
      expect(await small.getByRole('alert').textContent()).toBe(
        'This list needs 3 verifications and your key has 1 left: ask your operator for more, or upload a shorter list.',
      );
      expect(await small.getByRole('button', { name: 'Start verification' }).isDisabled()).toBe(true);
      expect(jobPosts.slice(posts).every((url) => url.includes('dryRun=true'))).toBe(true);
      expect(await axeViolations(small)).toEqual([]);
      await shot('03c-over-quota', small);
    } finally {
      await opened.close();
    }
  });

  it('keeps a running job on screen across tabs, says it waits for a greylisting retry, and finishes it now', async () => {
    await chooseFile(page, 'slow-list.csv', 'email\nslow@greylist.test\nann@console-mail.test\n');
    await page.getByRole('button', { name: 'Start verification' }).click();
    const job = page.getByTestId('job-progress');
    await expect.poll(() => job.locator('h3').textContent()).toContain('slow-list.csv');
    // The greylisted address waits for its retry; nothing else can run, so no rate and no time left.
    const activity = page.getByTestId('job-activity');
    await expect
      .poll(() => activity.textContent(), { timeout: 20_000 })
      .toMatch(/^1 address waits for the mail server's retry at \d\d:\d\d( [AP]M)?\.$/);
    const id = (await job.getAttribute('data-job-id')) ?? '';
    const state = await api<{ status: string; progress: { nextRetryAt: string } }>(`/v1/jobs/${id}`);
    expect(state.status).toBe('running');
    const clock = await page.evaluate(
      (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
      state.progress.nextRetryAt,
    );
    expect(await activity.textContent()).toBe(`1 address waits for the mail server's retry at ${clock}.`);
    await page.getByRole('link', { name: 'Verify' }).click();
    const strip = page.getByTestId('running-job');
    await expect.poll(() => strip.textContent()).toMatch(/slow-list\.csv: running/);
    expect(await axeViolations(page)).toEqual([]);
    await strip.getByRole('link', { name: 'Follow the job' }).click();
    await expect.poll(() => job.locator('h3').textContent()).toContain('slow-list.csv');
    expect(await axeViolations(page)).toEqual([]);
    await shot('04c-waiting-for-retry');
    // The results so far can be downloaded while it runs.
    expect(await page.getByRole('heading', { name: 'Download the results so far' }).count()).toBe(1);
    const [partial] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download all rows as NDJSON' }).click(),
    ]);
    expect(partial.suggestedFilename()).toBe('slow-list-mailprobe.ndjson');
    await page.getByRole('button', { name: 'Finish now' }).click();
    await expect.poll(() => job.getAttribute('data-job-status')).toBe('completed');
    expect(await activity.textContent()).toBe('');
    const [finished] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download all rows as NDJSON' }).click(),
    ]);
    const rows = (await readFile(await finished.path()))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { address: string; status: string; reason: string });
    expect(rows.map((row) => [row.address, row.status, row.reason])).toEqual([
      ['slow@greylist.test', 'UNKNOWN', 'greylisted'],
      ['ann@console-mail.test', 'VALID', 'accepted'],
    ]);
  });

  it('lists jobs as cards with their file, rows, column and state, refreshing while one runs', async () => {
    // A refused upload (no such column) leaves nothing the user needs to see.
    const refused = await fetch(`${prober.url}/v1/jobs?column=nope`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
      body: 'email\nann@console-mail.test\n',
    });
    expect(refused.status).toBe(400);
    const listed = await api<{ jobs: { status: string; total: number }[] }>('/v1/jobs');
    const worthShowing = listed.jobs.filter((job) => !(job.status === 'failed' && job.total === 0));
    await page.getByRole('link', { name: 'Jobs' }).click();
    const cards = page.locator('.job-card');
    await expect.poll(() => cards.count()).toBe(worthShowing.length);
    expect(await page.locator('.job-card[data-job-status="failed"]').count()).toBe(0);
    // Newest first: the greylisted list started from the upload tab.
    const newest = cards.first();
    expect(await newest.locator('h3').textContent()).toBe('slow-list.csv');
    expect(await newest.locator('[data-field="rows"]').textContent()).toBe('2');
    expect(await newest.locator('[data-field="column"]').textContent()).toBe('email');
    const running = await api<{ id: string }>('/v1/jobs', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'email\nother@greylist.test\n',
    });
    await page.getByRole('button', { name: 'Refresh jobs' }).click();
    const card = page.locator(`.job-card[data-job-id="${running.id}"]`);
    await expect.poll(() => card.getAttribute('data-job-status')).toMatch(/^(queued|running)$/);
    await shot('05-jobs');
    await card.getByRole('button', { name: /^Open / }).click();
    // The job opens below the list; focus goes to it.
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe(`jobs-job-${running.id}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Cancel job' }).click();
    // The list (and the card) read themselves again while a job runs; nobody clicks "Refresh".
    await expect.poll(() => card.getAttribute('data-job-status'), { timeout: 10_000 }).toBe('cancelled');
    expect(await axeViolations(page)).toEqual([]);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete job' }).click();
    await expect.poll(() => cards.count()).toBe(worthShowing.length);
  });

  it("shows the server's message for a list that is too large (413) and one without addresses (400)", async () => {
    await page.getByRole('link', { name: 'Upload a list' }).click();
    // 600 rows (within the key's quota) of 128 bytes each: past the 64 KiB upload limit set above.
    const big = `email,padding\n${Array.from({ length: 600 }, (_, index) => `someone${index}@console-mail.test,${'x'.repeat(100)}`).join('\n')}`;
    await chooseFile(page, 'big.csv', big);
    await page.getByRole('button', { name: 'Start verification' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/413 payload_too_large/);
    await shot('06-upload-413');

    await chooseFile(page, 'no-addresses.csv', 'name,city\nAnn,Oslo\nBob,Lima\n');
    await expect
      .poll(() => page.getByTestId('no-column').textContent())
      .toMatch(/No column looks like email addresses/);
    expect(await page.getByRole('button', { name: 'Start verification' }).isDisabled()).toBe(true);
    await page.getByLabel('Address column').selectOption({ label: 'city' });
    await page.getByRole('button', { name: 'Start verification' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/400 bad_request/);
    await shot('07-upload-400');
  });

  it('shows usage and signs out, forgetting the key', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await expect.poll(() => page.getByTestId('quota-used').textContent()).toMatch(/^\d+/);
    expect(await axeViolations(page)).toEqual([]);
    // The job followed from the Upload tab, deleted elsewhere: the console stops showing it.
    const strip = page.getByTestId('running-job');
    expect(await strip.textContent()).toMatch(/slow-list\.csv: finished/);
    const { jobs } = await api<{ jobs: { id: string; fileName: string | null }[] }>('/v1/jobs');
    const followed = jobs.find((job) => job.fileName === 'slow-list.csv');
    await fetch(`${prober.url}/v1/jobs/${followed?.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    await page.reload();
    await page.getByTestId('quota-used').waitFor();
    await expect.poll(() => strip.count()).toBe(0);
    expect(await page.evaluate("sessionStorage.getItem('mailprobe.activeJob')")).toBeNull();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('mailprobe.apiKey')")).toBeNull();
  });

  for (const dark of [false, true]) {
    for (const [width, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const mode = `${width}-${dark ? 'dark' : 'light'}`;
      it(`every screen at ${width} width in ${dark ? 'dark' : 'light'} mode: axe finds nothing, nothing scrolls sideways`, async () => {
        const opened = await openContext({ dark, viewport });
        const screen = await opened.newPage();
        watch(screen);
        const check = async (name: string) => {
          expect(await axeViolations(screen), `${mode} ${name}`).toEqual([]);
          expect(await sidewaysOverflow(screen), `${mode} ${name} scrolls sideways`).toBeLessThanOrEqual(0);
          await shot(`10-${mode}-${name}`, screen);
        };
        try {
          await screen.goto(prober.url);
          await screen.getByLabel('API key').waitFor();
          await check('sign-in');
          await signIn(screen);
          // The four tabs sit on one row.
          const tops = await screen
            .locator('.tabs a')
            .evaluateAll((links) => links.map((link) => Math.round(link.getBoundingClientRect().top)));
          expect(new Set(tops).size, `${mode} tabs in one row`).toBe(1);
          await screen.getByLabel('Email address').fill('nobody@console-mail.test');
          await screen.getByRole('button', { name: 'Verify' }).click();
          await screen.getByTestId('verify-result').waitFor();
          await screen.getByTestId('verify-result').getByText('Evidence').click();
          await check('verify');
          await screen.getByRole('link', { name: 'Upload a list' }).click();
          await chooseFile(
            screen,
            'wide-crm-export.csv',
            `${LIST.split('\r\n')[0]};${WIDE_HEADERS}\r\nAnn Lee;nobody1@console-mail.test;ann@console-mail.test;a note\r\n`,
          );
          await screen.getByLabel('Address column').waitFor();
          await expect
            .poll(() => screen.getByTestId('dry-run').textContent())
            .toMatch(/^1 row · 1 with an address · 1 distinct/);
          await check('upload');
          await screen.getByRole('button', { name: 'Start verification' }).click();
          const job = screen.getByTestId('job-progress');
          await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('completed');
          await check('job');
          await screen.getByRole('link', { name: 'Jobs' }).click();
          await screen.locator('.job-card').first().waitFor();
          if (width === 'phone') {
            const widths = await screen
              .locator('.job-card')
              .evaluateAll((cards) => cards.map((card) => card.getBoundingClientRect().width));
            for (const cardWidth of widths) expect(cardWidth).toBeLessThanOrEqual(PHONE.width);
          }
          await screen
            .locator('.job-card')
            .first()
            .getByRole('button', { name: /^Open / })
            .click();
          await screen.getByRole('region', { name: 'Jobs' }).getByTestId('job-progress').waitFor();
          await check('jobs');
          await screen.getByRole('link', { name: 'Usage' }).click();
          await screen.getByTestId('quota-used').waitFor();
          await check('usage');
          if (dark) {
            // The primary button's white text on its blue: at least 4.5:1 (axe checks it too; this says the figure).
            const ratio = await screen.evaluate<number>(PRIMARY_BUTTON_CONTRAST);
            console.log(`${mode}: primary button contrast ${ratio.toFixed(2)}:1`);
            expect(ratio).toBeGreaterThanOrEqual(4.5);
          }
        } finally {
          await opened.close();
        }
      }, 60_000);
    }
  }

  it('opens /docs with a quick start (base URL, Bearer key, a copyable curl and its answer), health last', async () => {
    const docs = await context.newPage();
    watch(docs);
    const external: string[] = [];
    docs.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http') && url.origin !== new URL(prober.url).origin)
        external.push(url.href);
    });
    const started = performance.now();
    await docs.goto(`${prober.url}/docs`, { waitUntil: 'commit' });
    await docs.getByRole('heading', { name: 'Mailprobe API: quick start' }).waitFor();
    const quickStartMs = performance.now() - started;
    expect(await docs.getByTestId('base-url').textContent()).toBe(prober.url);
    const curl = (await docs.locator('#quick-start-curl').textContent()) ?? '';
    expect(curl).toContain(`curl -sS ${prober.url}/v1/verify`);
    expect(curl).toContain('Authorization: Bearer $MAILPROBE_API_KEY');
    expect(curl).not.toContain('timeoutMs');
    const example = JSON.parse((await docs.locator('#quick-start-response').textContent()) ?? '') as {
      status: string;
    };
    expect(example.status).toBe('VALID');
    expect(await docs.getByRole('button', { name: 'Copy the curl command' }).isVisible()).toBe(true);
    await docs.getByText('/v1/verify').nth(1).waitFor({ timeout: 20_000 });
    const referenceMs = performance.now() - started;
    console.log(
      `/docs: quick start shown after ${quickStartMs.toFixed(0)} ms, full reference after ${referenceMs.toFixed(0)} ms`,
    );
    // The curl command runs as it is against this server.
    const response = await fetch(`${prober.url}/v1/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: /-d '([^']+)'/.exec(curl)?.[1] ?? '',
    });
    expect(response.status).toBe(200);
    const openapi = (await (await fetch(`${prober.url}/openapi.json`)).json()) as {
      tags: { name: string }[];
      paths: Record<string, unknown>;
    };
    expect(openapi.tags.at(-1)?.name).toBe('operations');
    expect(Object.keys(openapi.paths).slice(-2).sort()).toEqual(['/healthz', '/readyz']);
    expect(await axeViolations(docs, '#quick-start')).toEqual([]);
    // The whole page too, Redoc included; Redoc puts h5 under h2 in every operation (axe's best-practice rule
    // heading-order), which only Redoc itself can change.
    expect(await axeViolations(docs, 'document', ['heading-order'])).toEqual([]);
    await docs.screenshot({ path: `${ARTIFACTS}09-docs.png` });
    await docs.setViewportSize(PHONE);
    expect(await sidewaysOverflow(docs)).toBeLessThanOrEqual(0);
    expect(external).toEqual([]);
    await docs.close();
  });

  it('hit no script error, CSP violation or failed request on the way', () => {
    expect(problems).toEqual([]);
  });
});
