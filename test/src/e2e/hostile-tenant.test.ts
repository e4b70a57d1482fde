// The attack pass of issue #12 as a suite: hostile requests and hostile tenants against `mailprobe serve`'s
// code in a child process, on loopback only, each attack bounded in count and time. Two nodes: `guarded` keeps the
// default target policy (private addresses refused), `open` reaches the fake internet and a loopback receiver.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signWebhook, verifyWebhookSignature } from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiKeyWithWebhookSecret,
  loadProberConfig,
  openStores,
  openWebhookSecrets,
} from '../../../packages/prober/src/index.js';
import { type FakeDomain, type FakeInternet, startFakeInternet } from '../index.js';
import { fakeInternetEnv, waitForCompletion } from './prober-api.js';
import { type ProberProcess, startProberProcess } from './prober-process.js';

/** The deep-nesting attack: ~200 KB, 100,000 levels (~10 s of event loop before the fix). */
const NESTING_LEVELS = 100_000;
/** Distinct MX hosts of the metrics attack (the issue used 2,000; the growth per host is what counts). */
const METRICS_DOMAINS = 150;
/** /healthz must answer within this while an attack body is refused. */
const HEALTHZ_BUDGET_MS = 1000;

let root: string;
let internet: FakeInternet;
let guarded: ProberProcess;
let open: ProberProcess;
let guardedDir: string;
let tenantA: { key: string; webhookSecret: string };
let tenantB: { key: string; webhookSecret: string };
let guardedKey: string;
let spentKey: string;

/** Creates keys with their own webhook secrets directly in a data folder, as `mailprobe keys create` does. */
async function createTenants(
  dataDir: string,
  names: string[],
  quota: number | null = null,
): Promise<Array<{ key: string; webhookSecret: string }>> {
  const config = loadProberConfig({ env: {}, flags: { dataDir } });
  const stores = await openStores({ dataDir, redisUrl: null });
  try {
    const secrets = openWebhookSecrets(stores, config);
    const created = [];
    for (const name of names) {
      const { key, webhookSecret } = await createApiKeyWithWebhookSecret(stores.keys, secrets, name, {
        requestsPerMinute: 100_000,
        quota,
      });
      created.push({ key, webhookSecret });
    }
    return created;
  } finally {
    await stores.close();
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mailprobe-hostile-'));
  const domains: Record<string, FakeDomain> = {
    'tenant.test': { mx: [{ host: 'mx.tenant.test', smtp: { mailboxes: ['ann@tenant.test'] } }] },
  };
  // Distinct MX hosts where nothing listens: each probe ends quickly as UNKNOWN, each host a potential label.
  for (let n = 0; n < METRICS_DOMAINS; n += 1)
    domains[`m${n}.test`] = { mx: [{ host: `mx.m${n}.test`, smtp: false }] };
  internet = await startFakeInternet({ domains });

  guardedDir = path.join(root, 'guarded', 'data');
  const openDir = path.join(root, 'open');
  [guardedKey] = (await createTenants(guardedDir, ['guarded'])).map((tenant) => tenant.key) as [string];
  [spentKey] = (await createTenants(guardedDir, ['spent'], 0)).map((tenant) => tenant.key) as [string];
  [tenantA, tenantB] = (await createTenants(openDir, ['tenant a', 'tenant b'])) as [
    { key: string; webhookSecret: string },
    { key: string; webhookSecret: string },
  ];
  guarded = await startProberProcess({ MAILPROBE_DATA_DIR: guardedDir, MAILPROBE_BODY_LIMIT_BYTES: '65536' });
  open = await startProberProcess({
    MAILPROBE_DATA_DIR: openDir,
    MAILPROBE_JOB_POLL_INTERVAL_MS: '20',
    MAILPROBE_TIMEOUT_MS: '3000',
    ...fakeInternetEnv(internet),
  });
}, 90_000);

afterAll(async () => {
  await guarded?.stop();
  await open?.stop();
  await internet?.close();
  await rm(root, { recursive: true, force: true });
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Sends `attack` and, while it runs, /healthz every 50 ms; returns the attack's answer and the slowest /healthz. */
async function whileHealthz<T>(
  url: string,
  attack: () => Promise<T>,
): Promise<{ answer: T; slowestMs: number }> {
  let slowestMs = 0;
  let done = false;
  const probes = (async () => {
    while (!done) {
      const started = performance.now();
      await fetch(`${url}/healthz`);
      slowestMs = Math.max(slowestMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    return { answer: await attack(), slowestMs };
  } finally {
    done = true;
    await probes;
  }
}

/** Raw bytes on a fresh connection; resolves with what came back once the server closes (or after 5 s). */
function raw(url: string, text: string): Promise<{ answer: string; closedByServer: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    let answer = '';
    let closedByServer = false;
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('end', () => {
      closedByServer = true;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closedByServer });
    });
  });
}

describe('item 1: one request must not freeze the server', () => {
  it.each([
    ['an unused field', (nest: string) => `{"emails":["a@x.test"],"junk":${nest}}`],
    ['the callback URL', (nest: string) => `{"emails":["a@x.test"],"callbackUrl":${nest}}`],
    ['a field the contract knows', (nest: string) => `{"emails":${nest}}`],
  ])('refuses 100,000 levels of nesting in %s with a 400 while /healthz answers', async (_where, body) => {
    const nest = `${'['.repeat(NESTING_LEVELS)}${']'.repeat(NESTING_LEVELS)}`;
    const { answer, slowestMs } = await whileHealthz(guarded.url, async () => {
      const response = await fetch(`${guarded.url}/v1/jobs`, {
        method: 'POST',
        headers: { ...bearer(guardedKey), 'content-type': 'application/json' },
        body: body(nest),
      });
      return { status: response.status, body: (await response.json()) as { error: { code: string } } };
    });
    expect(answer).toEqual({
      status: 400,
      body: { error: { code: 'bad_request', message: expect.any(String) } },
    });
    expect(slowestMs).toBeLessThan(HEALTHZ_BUDGET_MS);
  });
});

describe('item 3: metrics are not public and do not grow with user input', () => {
  it('serves no /metrics on the API listener, and bounded metrics on the loopback ops listener', async () => {
    expect((await fetch(`${open.url}/metrics`)).status).toBe(404);
    expect(open.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const before = await (await fetch(open.metricsUrl as string)).text();
    const created = await fetch(`${open.url}/v1/jobs`, {
      method: 'POST',
      headers: { ...bearer(tenantA.key), 'content-type': 'application/json' },
      body: JSON.stringify({ emails: Array.from({ length: METRICS_DOMAINS }, (_, n) => `user@m${n}.test`) }),
    });
    const { id } = (await created.json()) as { id: string };
    const state = await waitForCompletion(open.url, tenantA.key, id, 40_000);
    expect(state.status).toBe('completed');
    const after = await (await fetch(open.metricsUrl as string)).text();
    expect(after).not.toContain(id);
    expect(after).not.toMatch(/m\d+\.test/);
    // A few new series (new verdicts, reasons) at most; never one per MX host or job.
    expect(Buffer.byteLength(after) - Buffer.byteLength(before)).toBeLessThan(8 * 1024);
  }, 60_000);
});

describe('item 5: one tenant cannot forge or read another tenant’s webhooks', () => {
  let receiver: Server;
  let receiverUrl: string;
  const deliveries: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (text: string) => {
        body += text;
      });
      request.on('end', () => {
        deliveries.push({ path: request.url ?? '', headers: request.headers, body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('signs each tenant’s events with its own secret only', async () => {
    for (const [tenant, hookPath] of [
      [tenantA, '/a'],
      [tenantB, '/b'],
    ] as const) {
      const response = await fetch(`${open.url}/v1/jobs`, {
        method: 'POST',
        headers: { ...bearer(tenant.key), 'content-type': 'application/json' },
        body: JSON.stringify({ emails: ['ann@tenant.test'], callbackUrl: `${receiverUrl}${hookPath}` }),
      });
      expect(response.status).toBe(202);
    }
    const deadline = Date.now() + 20_000;
    while (deliveries.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const byPath = (hookPath: string) => deliveries.find((delivery) => delivery.path === hookPath);
    const a = byPath('/a');
    const b = byPath('/b');
    if (!a || !b) throw new Error('both tenants’ webhooks should have arrived');
    const signature = (delivery: typeof a) => delivery.headers['mailprobe-signature'] as string;
    expect(verifyWebhookSignature(tenantB.webhookSecret, signature(b), b.body).ok).toBe(true);
    expect(verifyWebhookSignature(tenantA.webhookSecret, signature(b), b.body).ok).toBe(false);
    expect(verifyWebhookSignature(tenantA.webhookSecret, signature(a), a.body).ok).toBe(true);
    // Tenant A forges B's event with the only secret it has: B's receiver refuses it.
    const forged = b.body.replace('"completed"', '"cancelled"');
    expect(
      verifyWebhookSignature(tenantB.webhookSecret, signWebhook(tenantA.webhookSecret, forged), forged),
    ).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  }, 40_000);
});

describe('item 8: every error in the documented shape', () => {
  const expectShape = async (response: Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  };

  it('bad escapes, long paths, text/plain, invalid UTF-8, q=0, a reused Idempotency-Key, a spent quota', async () => {
    const auth = bearer(guardedKey);
    await expectShape(await fetch(`${guarded.url}/v1/jobs/%E0%A4%A`, { headers: auth }), 400, 'bad_request');
    await expectShape(
      await fetch(`${guarded.url}/v1/jobs/${'x'.repeat(4000)}`, { headers: auth }),
      414,
      'uri_too_long',
    );
    await expectShape(
      await fetch(`${guarded.url}/v1/verify`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/plain' },
        body: 'a@example.com',
      }),
      415,
      'unsupported_media_type',
    );
    await expectShape(
      await fetch(`${guarded.url}/v1/verify`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xff]), Buffer.from('@example.com"}')]),
      }),
      400,
      'bad_request',
    );
    const job = (await (
      await fetch(`${guarded.url}/v1/jobs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'hostile-1' },
        body: JSON.stringify({ emails: ['not an address'] }),
      })
    ).json()) as { id: string };
    await expectShape(
      await fetch(`${guarded.url}/v1/jobs/${job.id}/results`, {
        headers: { ...auth, accept: 'text/csv;q=0' },
      }),
      406,
      'not_acceptable',
    );
    await expectShape(
      await fetch(`${guarded.url}/v1/jobs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'hostile-1' },
        body: JSON.stringify({ emails: ['someone.else@example.com'] }),
      }),
      422,
      'idempotency_conflict',
    );
    const spent = await fetch(`${guarded.url}/v1/verify`, {
      method: 'POST',
      headers: { ...bearer(spentKey), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.com' }),
    });
    expect(spent.headers.get('retry-after')).toBeNull();
    await expectShape(spent, 429, 'quota_exceeded');
    const { answer } = await raw(guarded.url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/x-request-id: /i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'bad_request', message: expect.any(String) },
    });
  });
});

describe('item 9: smaller leftovers', () => {
  it.each([
    'http://[::7f00:1]/hook',
    'http://[::2]/hook',
    'http://[64:ff9b::7f00:1]/hook',
    'http://[::ffff:127.0.0.1]/',
  ])('refuses the callback %s (an IPv6 form of a private IPv4)', async (callbackUrl) => {
    const response = await fetch(`${guarded.url}/v1/jobs`, {
      method: 'POST',
      headers: { ...bearer(guardedKey), 'content-type': 'application/json' },
      body: JSON.stringify({ emails: ['a@example.com'], callbackUrl }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/callbackUrl/);
  });

  it('answers a declared 10 GB body with 413 before reading it, and closes the connection', async () => {
    for (const route of ['/v1/jobs', '/v1/verify']) {
      const { answer, closedByServer } = await raw(
        guarded.url,
        `POST ${route} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${guardedKey}\r\n` +
          'content-type: application/json\r\ncontent-length: 10737418240\r\n\r\n{"emails":[',
      );
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toContain('"payload_too_large"');
      expect(closedByServer).toBe(true);
    }
  });

  it.skipIf(process.platform === 'win32')('keeps the data folder 0700 and the database 0600', async () => {
    expect((await stat(guardedDir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(guardedDir, 'mailprobe.db'))).mode & 0o777).toBe(0o600);
  });
});
