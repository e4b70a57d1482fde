// Which download a results request gets (format, negotiation, refusals), against a real embedded store.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { syntaxErrorResult } from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../stores/create-stores.js';
import type { JobRecord } from '../stores/types.js';
import { jobResults } from './job-results.js';

let dataDir: string;
let stores: Stores;
let csvJob: JobRecord;

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-job-results-'));
  stores = await openStores({ dataDir, redisUrl: null });
  const { job } = await stores.jobs.createJob({
    id: 'job_results',
    keyId: 'key-1',
    callbackUrl: null,
    idempotencyKey: null,
    createdAt: new Date().toISOString(),
    ingestLeaseUntil: Date.now() + 60_000,
    fileName: 'leads.csv',
  });
  await stores.jobs.appendItems(job.id, [
    { address: 'broken', dedupKey: 'broken', cells: { name: 'Bo', email: 'broken' } },
  ]);
  await stores.jobs.sealJob(job.id, ['name', 'email'], {
    column: 'email',
    format: { kind: 'csv', delimiter: ',', bom: false, lineEnding: '\n', header: 'name,email' },
  });
  await stores.jobs.recordResults(job.id, [
    {
      index: 0,
      result: syntaxErrorResult('broken', { code: 'missing_at', message: 'no @' }),
      attempt: 0,
      final: true,
    },
  ]);
  csvJob = (await stores.jobs.getJob(job.id)) as JobRecord;
});

afterAll(async () => {
  await stores?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('jobResults', () => {
  it('answers NDJSON without an Accept header, named after the upload', async () => {
    const results = jobResults(stores.jobs, csvJob, {});
    if (!results.ok) throw new Error(results.message);
    expect(results.contentType).toBe('application/x-ndjson');
    expect(results.contentDisposition).toContain('leads-mailprobe.ndjson');
    const lines = (await text(results.body)).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ row: 1, input: 'broken', status: 'INVALID' });
  });

  it('negotiates CSV from Accept, and format overrides Accept', async () => {
    const negotiated = jobResults(stores.jobs, csvJob, { accept: 'text/csv' });
    expect(negotiated).toMatchObject({ ok: true, contentType: 'text/csv; charset=utf-8' });
    if (negotiated.ok) expect(await text(negotiated.body)).toMatch(/^name,email,mailprobe_status/);
    const overridden = jobResults(stores.jobs, csvJob, { accept: 'text/csv', format: 'ndjson' });
    expect(overridden).toMatchObject({ ok: true, contentType: 'application/x-ndjson' });
    if (overridden.ok) await text(overridden.body);
  });

  it('refuses an Accept it cannot serve (406) and xlsx for an upload that was not a spreadsheet (400)', () => {
    expect(jobResults(stores.jobs, csvJob, { accept: 'text/csv;q=0, image/png' })).toEqual({
      ok: false,
      code: 'not_acceptable',
      message: 'results are served as application/x-ndjson or text/csv',
    });
    expect(jobResults(stores.jobs, csvJob, { format: 'xlsx' })).toEqual({
      ok: false,
      code: 'bad_request',
      message: 'format=xlsx is for a spreadsheet upload; use csv or ndjson',
    });
  });
});
