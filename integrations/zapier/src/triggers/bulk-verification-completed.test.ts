import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTester } from 'zapier-platform-core';
import { type AuthData, LEADS, type LiveService, startLiveService } from '../../test/live-service.js';
import { zapierErrorOf } from '../../test/zapier-error.js';
import { performStartBulkVerification } from '../creates/start-bulk-verification.js';
import app from '../index.js';
import {
  type CompletedBulkVerification,
  performBulkVerificationCompleted,
} from './bulk-verification-completed.js';

const appTester = createAppTester(app);
const POLL_EVERY_MS = 100;
const JOB_DEADLINE_MS = 20_000;
let service: LiveService;
let authData: AuthData;

beforeAll(async () => {
  service = await startLiveService();
  authData = await service.connect('Bulk tests');
});
afterAll(() => service?.close());

/** Polls the trigger like Zapier does until `jobId` shows up (or the deadline passes). */
async function pollUntilCompleted(jobId: string): Promise<CompletedBulkVerification[]> {
  const deadline = Date.now() + JOB_DEADLINE_MS;
  for (;;) {
    const items = await appTester(performBulkVerificationCompleted, { authData });
    if (items.some((item) => item.id === jobId)) return items;
    if (Date.now() > deadline) throw new Error(`job ${jobId} never appeared among completed jobs`);
    await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
  }
}

describe('Start Bulk Verification → Bulk Verification Completed', () => {
  it('starts a job from line items and text, then the trigger reports it once with counts and links', async () => {
    expect(await appTester(performBulkVerificationCompleted, { authData })).toEqual([]);

    const started = await appTester(performStartBulkVerification, {
      authData,
      inputData: { emails: [LEADS.valid, `${LEADS.invalid}\n${LEADS.catchAll}`, ' ', 'sales@acme.test; '] },
    });
    expect(started).toMatchObject({ status: 'queued', total: 4 });
    expect(started.status_url).toBe(`${service.prober.url}/v1/jobs/${encodeURIComponent(started.id)}`);

    const items = await pollUntilCompleted(started.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: started.id,
      status: 'completed',
      total: 4,
      done: 4,
      valid_count: 1,
      invalid_count: 2,
      unknown_count: 1,
      valid_percent: 25,
      results_url: `${service.prober.url}/v1/jobs/${encodeURIComponent(started.id)}/results`,
    });
    expect(items[0]?.completed_at).not.toBeNull();

    // The results link serves the job's results to the same key.
    const results = await fetch(items[0]?.results_url ?? '', {
      headers: { authorization: `Bearer ${authData.api_key}`, accept: 'text/csv' },
    });
    expect(results.status).toBe(200);
    expect((await results.text()).split('\r\n').filter(Boolean)).toHaveLength(5);
  });

  it('lists newest first, so Zapier sees each new job id once', async () => {
    const first = await appTester(performStartBulkVerification, {
      authData,
      inputData: { emails: LEADS.valid },
    });
    await pollUntilCompleted(first.id);
    const second = await appTester(performStartBulkVerification, {
      authData,
      inputData: { emails: LEADS.invalid },
    });
    const items = await pollUntilCompleted(second.id);
    const ids = items.map((item) => item.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses an empty list with a message instead of creating an empty job', async () => {
    const error = await zapierErrorOf(
      appTester(performStartBulkVerification, { authData, inputData: { emails: ['', ' \n'] } }),
    );
    expect(error).toMatchObject({ name: 'AppError', code: 'no_addresses' });
  });
});
