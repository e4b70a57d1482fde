// "Bulk Verification Completed" as a REST hook, end to end: Zapier subscribes its hook URL (a real HTTP receiver on
// loopback) on the real prober, a job completes, the prober delivers the signed event to the receiver, the
// trigger's perform turns the delivered body into output with the results as a file (hydrated into the stash
// on loopback that plays Zapier's RPC and S3), and unsubscribing stops deliveries.
import http, { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppTester } from 'zapier-platform-core';
import { type AuthData, LEADS, type LiveService, startLiveService } from '../../test/live-service.js';
import { zapierErrorOf } from '../../test/zapier-error.js';
import { performStartBulkVerification } from '../creates/start-bulk-verification.js';
import app from '../index.js';
import { hydrateJobResultsCsv, resultsFileName } from '../results-file.js';
import {
  bulkVerificationCompleted,
  type CompletedBulkVerification,
  listBulkVerificationsCompleted,
  performBulkVerificationCompleted,
  subscribeBulkVerificationCompleted,
  unsubscribeBulkVerificationCompleted,
} from './bulk-verification-completed.js';

// zapier-platform-core reads ZAPIER_BASE_ENDPOINT when it loads, to find the RPC that z.stashFile asks for upload
// data; so the stash on loopback starts before any import (vi.hoisted runs first).
const stash = await vi.hoisted(async () => {
  const { startFileStash } = await import('../../test/file-stash.js');
  const started = await startFileStash();
  process.env.ZAPIER_BASE_ENDPOINT = started.baseUrl;
  process.env.ZAPIER_DEPLOY_KEY = started.deployKey;
  return started;
});

const appTester = createAppTester(app);
const WAIT_MS = 20_000;
const QUIET_MS = 500;
const HYDRATE = /^hydrate\|\|\|(.+)\|\|\|hydrate$/;

interface Delivery {
  method?: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Stands in for hooks.zapier.com: records every delivery and answers like Zapier's hook receiver. */
async function startHookReceiver(): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (text: string) => {
      body += text;
    });
    request.on('end', () => {
      deliveries.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Zapier's `cleanedRequest` of a JSON delivery is its parsed body; `rawRequest` keeps the bytes and headers. */
function hookBundle(authData: AuthData, delivery: Delivery) {
  return {
    authData,
    cleanedRequest: JSON.parse(delivery.body),
    rawRequest: {
      method: 'POST' as const,
      headers: Object.fromEntries(
        Object.entries(delivery.headers).map(([name, value]) => [name, String(value)]),
      ),
      content: delivery.body,
    },
  };
}

async function listWebhooks(authData: AuthData): Promise<Array<{ id: string; targetUrl: string }>> {
  const response = await fetch(`${authData.api_url}/v1/webhooks`, {
    headers: { authorization: `Bearer ${authData.api_key}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { webhooks: Array<{ id: string; targetUrl: string }> }).webhooks;
}

/** Hydrates a dehydrated file pointer the way Zapier does when a later step uses it: runs the named hydrator. */
async function hydrate(authData: AuthData, pointer: string): Promise<string> {
  const match = HYDRATE.exec(pointer);
  expect(match).not.toBeNull();
  const payload = JSON.parse(match?.[1] ?? '{}') as {
    type: string;
    method: string;
    bundle: { jobId: string };
  };
  expect(payload).toMatchObject({ type: 'file', method: 'hydrators.hydrateJobResultsCsv' });
  // The pointer carries the job id only: no key, no URL a forged delivery could have chosen.
  expect(Object.keys(payload.bundle)).toEqual(['jobId']);
  return appTester(hydrateJobResultsCsv, { authData, inputData: payload.bundle });
}

let service: LiveService;
let receiver: Awaited<ReturnType<typeof startHookReceiver>>;

beforeAll(async () => {
  service = await startLiveService();
  receiver = await startHookReceiver();
  // The first app run patches http(s).request for Zapier's request logging, once per process, with a wrapper that
  // takes only `(options, callback)`: the prober's `request(url, options, callback)` would turn into a GET without
  // a body. On Zapier the prober is another machine; here it shares the process, so it keeps Node's own function.
  const original = { http: http.request, https: https.request };
  await appTester(async () => null, {});
  http.request = original.http;
  https.request = original.https;
});
afterAll(async () => {
  await service?.close();
  await receiver?.close();
  await stash.close();
});

describe('Bulk Verification Completed (REST hook)', () => {
  it('is a hook trigger with subscribe, unsubscribe, perform and performList', () => {
    const operation = bulkVerificationCompleted.operation;
    if (operation.type !== 'hook') throw new Error(`expected a hook trigger, got ${operation.type}`);
    expect(operation.performSubscribe).toBe(subscribeBulkVerificationCompleted);
    expect(operation.performUnsubscribe).toBe(unsubscribeBulkVerificationCompleted);
    expect(operation.perform).toBe(performBulkVerificationCompleted);
    expect(operation.performList).toBe(listBulkVerificationsCompleted);
  });

  it('subscribe → job completes → signed delivery → perform gives counts and the results file → unsubscribe', async () => {
    const { authData, webhookSecret } = await service.connectWithWebhookSecret('Zapier hooks');
    const other = await service.connectWithWebhookSecret('someone else');
    const targetUrl = `${receiver.url}/hooks/standard/1/${Date.now()}/`;

    const subscribeData = await appTester(subscribeBulkVerificationCompleted, { authData, targetUrl });
    expect(subscribeData).toEqual({ id: expect.stringMatching(/^whk_/), targetUrl });
    expect((await listWebhooks(authData)).map((webhook) => webhook.id)).toEqual([subscribeData.id]);

    const started = await appTester(performStartBulkVerification, {
      authData,
      inputData: { emails: [LEADS.valid, `${LEADS.invalid}\n${LEADS.catchAll}`, 'sales@acme.test'] },
    });
    const path = new URL(targetUrl).pathname;
    const delivery = await waitFor('the job.completed delivery', () =>
      receiver.deliveries.find(
        (item) =>
          item.method === 'POST' && item.path === path && JSON.parse(item.body).job?.id === started.id,
      ),
    );

    // Signed with this key's own secret, not another key's.
    expect(delivery.headers['mailprobe-event']).toBe('job.completed');
    const signature = String(delivery.headers['mailprobe-signature']);
    expect(verifyWebhookSignature(webhookSecret, signature, delivery.body)).toMatchObject({ ok: true });
    expect(verifyWebhookSignature(other.webhookSecret, signature, delivery.body)).toEqual({
      ok: false,
      reason: 'mismatch',
    });

    const items = await appTester(performBulkVerificationCompleted, hookBundle(authData, delivery));
    expect(items).toHaveLength(1);
    const [item] = items as [CompletedBulkVerification];
    expect(item).toMatchObject({
      id: started.id,
      status: 'completed',
      total: 4,
      rows: 4,
      done: 4,
      valid_count: 1,
      invalid_count: 2,
      unknown_count: 1,
      valid_percent: 25,
      results_file_name: resultsFileName(started.id),
      results_url: `${service.prober.url}/v1/jobs/${encodeURIComponent(started.id)}/results`,
    });
    expect(item.results_file).toMatch(HYDRATE);
    expect(JSON.stringify(item)).not.toContain(authData.api_key);

    // A later step uses the file: Zapier hydrates it, the CSV is downloaded with the key and stashed.
    const fileUrl = await hydrate(authData, item.results_file);
    expect(stash.rpcCalls).toContain('get_presigned_upload_post_data');
    const stored = stash.files.get(fileUrl);
    expect(stored).toMatchObject({ contentType: 'text/csv', filename: resultsFileName(started.id) });
    const file = await fetch(fileUrl);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv');
    expect(file.headers.get('content-disposition')).toContain(resultsFileName(started.id));
    const csv = await file.text();
    expect(csv).not.toContain(authData.api_key);
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('status');
    for (const [address, status] of [
      [LEADS.valid, 'VALID'],
      [LEADS.invalid, 'INVALID'],
      [LEADS.catchAll, 'UNKNOWN'],
      ['sales@acme.test', 'INVALID'],
    ]) {
      expect(lines.find((line) => line.includes(address ?? ''))).toContain(status);
    }

    // Sample data for the Zap editor: recent completed jobs, in the shape perform gives.
    const samples = await appTester(listBulkVerificationsCompleted, { authData });
    expect(samples[0]?.id).toBe(started.id);
    expect(Object.keys(samples[0] ?? {}).sort()).toEqual(Object.keys(item).sort());
    expect(Object.keys(bulkVerificationCompleted.operation.sample ?? {}).sort()).toEqual(
      Object.keys(item).sort(),
    );

    const removed = await appTester(unsubscribeBulkVerificationCompleted, { authData, subscribeData });
    expect(removed).toEqual(subscribeData);
    expect(await listWebhooks(authData)).toEqual([]);
    const seen = receiver.deliveries.length;
    const later = await appTester(performStartBulkVerification, {
      authData,
      inputData: { emails: LEADS.valid },
    });
    await appTesterUntilCompleted(authData, later.id);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(receiver.deliveries).toHaveLength(seen);
  });

  it('reads the job back with the key, so a forged delivery about a job the key does not own fails', async () => {
    const owner = await service.connect('owner');
    const stranger = await service.connect('stranger');
    const started = await appTester(performStartBulkVerification, {
      authData: owner,
      inputData: { emails: LEADS.valid },
    });
    await appTesterUntilCompleted(owner, started.id);
    const forged = {
      path: '/forged',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'job.completed',
        id: 'evt_forged',
        createdAt: new Date().toISOString(),
        job: {
          id: started.id,
          status: 'completed',
          total: 1,
          done: 1,
          counts: { VALID: 1, INVALID: 0, UNKNOWN: 0 },
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          completedAt: new Date().toISOString(),
          callbackUrl: null,
          error: null,
          fileName: null,
          column: null,
          rowCounts: {
            deliverable: 1,
            undeliverable: 0,
            risky: 0,
            unknown: 0,
            skipped: 0,
            duplicate: 0,
            pending: 0,
          },
          addressCounts: { deliverable: 1, undeliverable: 0, risky: 0, unknown: 0 },
        },
        resultsUrl: 'https://attacker.example/steal',
      }),
    };
    const error = await zapierErrorOf(
      appTester(performBulkVerificationCompleted, hookBundle(stranger, forged)),
    );
    expect(error).toMatchObject({ name: 'AppError', status: 404 });
    const ownItems = await appTester(performBulkVerificationCompleted, hookBundle(owner, forged));
    // The owner's output comes from the API, and the file from the connection's endpoint, not the payload's URL.
    expect(ownItems[0]?.results_url).toBe(
      `${owner.api_url}/v1/jobs/${encodeURIComponent(started.id)}/results`,
    );
  });

  it('refuses a body that is not a job.completed event with a message', async () => {
    const authData = await service.connect('garbage');
    const error = await zapierErrorOf(
      appTester(performBulkVerificationCompleted, { authData, cleanedRequest: { hello: 'world' } }),
    );
    expect(error).toMatchObject({ name: 'AppError', code: 'invalid_event' });
  });

  it('Start Bulk Verification refuses an empty list with a message instead of creating an empty job', async () => {
    const authData = await service.connect('empty');
    const error = await zapierErrorOf(
      appTester(performStartBulkVerification, { authData, inputData: { emails: ['', ' \n'] } }),
    );
    expect(error).toMatchObject({ name: 'AppError', code: 'no_addresses' });
  });

  it('says what is wrong when Zapier gives no hook URL or no subscription id', async () => {
    const authData = await service.connect('no target');
    expect(await zapierErrorOf(appTester(subscribeBulkVerificationCompleted, { authData }))).toMatchObject({
      code: 'missing_target_url',
    });
    expect(await zapierErrorOf(appTester(unsubscribeBulkVerificationCompleted, { authData }))).toMatchObject({
      code: 'missing_subscription',
    });
  });
});

/** Waits until the job shows among the key's completed jobs (what performList reads). */
async function appTesterUntilCompleted(authData: AuthData, jobId: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const items = await appTester(listBulkVerificationsCompleted, { authData });
    if (items.some((item) => item.id === jobId)) return;
    if (Date.now() > deadline) throw new Error(`job ${jobId} never completed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
