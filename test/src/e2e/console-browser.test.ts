// The web console in a real browser (Debian's Chromium through playwright-core) against the real prober on
// the fake internet. Screenshots of each screen land in test/artifacts/console/.
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProber } from '../../../packages/prober/src/index.js';
import { launchChromium } from '../browser/chromium.js';
import { type FakeInternet, startFakeInternet } from '../fake-internet.js';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/console/', import.meta.url));
const MAILBOXES = ['ann', 'bob', 'cleo'].map((name) => `${name}@console-mail.test`);

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

describe('the web console in Chromium', () => {
  let internet: FakeInternet;
  let prober: Awaited<ReturnType<typeof startProber>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let apiKey: string;
  const problems: string[] = [];

  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    internet = await startFakeInternet({
      domains: {
        'console-mail.test': { mx: [{ host: 'mx.console-mail.test', smtp: { mailboxes: MAILBOXES } }] },
      },
    });
    prober = await startProber({
      engine: internet.engineOptions,
      config: { jobs: { bodyLimitBytes: 64 * 1024 } },
    });
    apiKey = await prober.createKey('console-tests', { quota: 1000 });
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    // Any CSP violation, failed request or script error is a bug of the console.
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
        problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => {
      if (!request.url().startsWith('blob:')) problems.push(`request failed: ${request.url()}`);
    });
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

  it('says clearly when a key is wrong', async () => {
    await page.goto(prober.url);
    await page.getByLabel('API key').fill('mp_wrong_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/That API key was not accepted/);
    await shot('01-wrong-key');
  });

  it('signs in with a real key, kept in session storage only', async () => {
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('mailprobe.apiKey')")).toBe(apiKey);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect((await context.cookies()).length).toBe(0);
  });

  it('verifies one address and shows the reason in plain words with the evidence', async () => {
    await page.getByLabel('Email address').fill('ghost@console-mail.test');
    await page.getByRole('button', { name: 'Verify' }).click();
    const card = page.getByTestId('verify-result');
    await card.waitFor();
    expect(await card.locator('[data-status]').getAttribute('data-status')).toBe('INVALID');
    expect(await card.textContent()).toMatch(/mailbox_not_found/);
    await card.getByText('Evidence').click();
    expect(await card.textContent()).toMatch(/550 5\.1\.1/);
    await shot('02-verify');
  });

  it('uploads a list, lets the user change the address column, and follows the job to the end', async () => {
    await page.getByRole('link', { name: 'Upload a list' }).click();
    await page.getByLabel(/Drop a CSV or text file here/).setInputFiles({
      name: 'crm-export.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${LIST}`),
    });
    const select = page.getByLabel('Address column');
    expect(await select.locator('option:checked').textContent()).toBe('Work E-mail (detected)');
    await shot('03-preview');
    await select.selectOption({ label: 'Private' });
    await page.getByRole('button', { name: 'Start verification' }).click();
    const job = page.getByTestId('job-progress');
    await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('completed');
    // Counts are per distinct address (the duplicate "ann" is verified once); the download has every row.
    expect(await job.locator('[data-count="VALID"]').textContent()).toMatch(/ 2$/);
    expect(await job.locator('[data-count="INVALID"]').textContent()).toMatch(/ 2$/);
    expect(await job.textContent()).toContain('4 of 4 distinct addresses checked (100%), from 5 rows');
    await shot('04-job-finished');
  });

  it('downloads the results CSV with every row and original column, in order', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('crm-export-mailprobe.csv');
    const text = (await readFile(await download.path())).toString('utf8').replace(/^\uFEFF/, '');
    const input = parse(LIST, { delimiter: ';' }) as string[][];
    // The results keep the upload's `;` delimiter (and its BOM and line ending).
    const output = parse(text, { delimiter: ';', relax_column_count: false }) as string[][];
    const header = output[0] ?? [];
    expect(header.slice(0, 4)).toEqual(input[0]);
    expect(header).toContain('mailprobe_status');
    expect(output).toHaveLength(input.length);
    const statusAt = header.indexOf('mailprobe_status');
    for (let row = 1; row < input.length; row += 1) {
      const original = input[row] as string[];
      const written = output[row] as string[];
      // The user's own cells come back untouched (formulas are neutralised only with excelSafe).
      expect(written.slice(0, 4)).toEqual(original);
    }
    expect(output.slice(1).map((row) => row[statusAt])).toEqual([
      'VALID',
      'VALID',
      'INVALID',
      'VALID',
      'INVALID',
    ]);
  });

  it('lists the job and deletes it', async () => {
    await page.getByRole('link', { name: 'Jobs' }).click();
    const rows = page.locator('table.jobs tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await shot('05-jobs');
    await rows.first().getByRole('button', { name: 'Open' }).click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete job' }).click();
    await expect.poll(() => page.getByText('No jobs yet').count()).toBe(1);
    const listed = await fetch(`${prober.url}/v1/jobs`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(((await listed.json()) as { jobs: unknown[] }).jobs).toEqual([]);
  });

  it("shows the server's message for a list that is too large (413) and one without addresses (400)", async () => {
    await page.getByRole('link', { name: 'Upload a list' }).click();
    // 600 rows (within the key's quota) of 128 bytes each: past the 64 KiB upload limit set above.
    const big = `email,padding\n${Array.from({ length: 600 }, (_, index) => `someone${index}@console-mail.test,${'x'.repeat(100)}`).join('\n')}`;
    await page.getByLabel(/Drop a CSV or text file here/).setInputFiles({
      name: 'big.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(big),
    });
    await page.getByRole('button', { name: 'Start verification' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/413 payload_too_large/);
    await shot('06-upload-413');

    await page.getByLabel(/Drop a CSV or text file here/).setInputFiles({
      name: 'no-addresses.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('name,city\nAnn,Oslo\nBob,Lima\n'),
    });
    await page.getByLabel('Address column').selectOption({ label: 'city' });
    await page.getByRole('button', { name: 'Start verification' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/400 bad_request/);
    await shot('07-upload-400');
  });

  it('shows usage and signs out, forgetting the key', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await expect.poll(() => page.getByTestId('quota-used').textContent()).toMatch(/^\d+/);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('08-usage-phone');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('mailprobe.apiKey')")).toBeNull();
  });

  it('renders /docs with Redoc from the prober itself', async () => {
    const docs = await context.newPage();
    const external: string[] = [];
    docs.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http') && url.origin !== new URL(prober.url).origin)
        external.push(url.href);
    });
    await docs.goto(`${prober.url}/docs`);
    await docs
      .getByRole('heading', { name: /Mailprobe/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await docs.getByText('/v1/verify').first().waitFor();
    await docs.screenshot({ path: `${ARTIFACTS}09-docs.png` });
    expect(external).toEqual([]);
    await docs.close();
  });

  it('hit no script error, CSP violation or failed request on the way', () => {
    expect(problems).toEqual([]);
  });
});
