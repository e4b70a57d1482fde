// The container image and the compose fleet, against the fake internet on loopback (opt-in: these need a
// Docker engine and take minutes; `.ci/run` runs them with MAILPROBE_DOCKER_TESTS=1 `pnpm vitest run --project docker`).
// Every container uses host networking and listens on 127.0.0.1 only, so nothing leaves loopback.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeInternetEnv, jobResults, waitForCompletion } from '../e2e/prober-api.js';
import { type FakeInternet, startFakeInternet } from '../index.js';
import {
  BASE_IMAGE,
  composeCommand,
  freePort,
  IMAGE,
  REDIS_BASE_IMAGE,
  REPO_ROOT,
  sh,
  waitForOk,
} from './docker-cli.js';

const BUILD_TIMEOUT_MS = 25 * 60_000;
const START_TIMEOUT_MS = 60_000;
const DOMAINS = ['alpha.test', 'beta.test', 'gamma.test', 'delta.test'];

let internet: FakeInternet;

function mailboxes(domain: string): string[] {
  return [`alice@${domain}`, `bob@${domain}`];
}

function jobAddresses(): string[] {
  return DOMAINS.flatMap((domain) => [...mailboxes(domain), `nobody@${domain}`]);
}

async function createJob(url: string, key: string, emails: string[]): Promise<string> {
  const response = await fetch(`${url}/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ emails }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function verifyOne(url: string, key: string, email: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/v1/verify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  for (const domain of DOMAINS) {
    domains[domain] = {
      mx: [{ host: `mx.${domain}`, smtp: { mailboxes: mailboxes(domain), replyDelayMs: 50 } }],
    };
  }
  internet = await startFakeInternet({ domains });
  // The guide's build command, with this machine's base image (MAILPROBE_REUSE_IMAGE=1 takes an image built
  // before, when iterating on the tests themselves).
  const started = Date.now();
  if (process.env.MAILPROBE_REUSE_IMAGE !== '1') {
    await sh('docker', ['build', '--build-arg', `BASE_IMAGE=${BASE_IMAGE}`, '-t', IMAGE, '.'], {
      timeoutMs: BUILD_TIMEOUT_MS,
    });
  }
  const size = Number((await sh('docker', ['image', 'inspect', '-f', '{{.Size}}', IMAGE])).trim());
  console.log(
    `image ${IMAGE}: built in ${Math.round((Date.now() - started) / 1000)} s, ${Math.round(size / 1e6)} MB`,
  );
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await internet?.close();
});

describe('container image', () => {
  const name = `mailprobe-test-${randomUUID().slice(0, 8)}`;

  afterAll(async () => {
    await sh('docker', ['rm', '-f', '-v', name]).catch(() => {});
  });

  it('serves as non-root, verifies an address and a job through its API, and stops gracefully with exit 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      ...fakeInternetEnv(internet),
      MAILPROBE_LISTEN: `127.0.0.1:${port}`,
      MAILPROBE_DRAIN_MS: '5000',
    };
    const envArgs = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    const started = Date.now();
    await sh('docker', ['run', '-d', '--name', name, '--network', 'host', ...envArgs, IMAGE]);
    await waitForOk(`${url}/readyz`, START_TIMEOUT_MS);
    console.log(`container ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    expect((await sh('docker', ['exec', name, 'id', '-u'])).trim()).not.toBe('0');
    // The HEALTHCHECK's own command answers healthy.
    await sh('docker', ['exec', name, 'node', '/opt/mailprobe/healthcheck.mjs']);

    const key = (
      await sh('docker', ['exec', name, 'mailprobe', 'keys', 'create', '--name', 'image-test'])
    ).trim();
    expect(key.length).toBeGreaterThan(20);
    expect(await verifyOne(url, key, 'alice@alpha.test')).toMatchObject({ status: 'VALID' });
    expect(await verifyOne(url, key, 'nobody@alpha.test')).toMatchObject({ status: 'INVALID' });

    const emails = jobAddresses();
    const id = await createJob(url, key, emails);
    expect(await waitForCompletion(url, key, id, 60_000)).toMatchObject({
      status: 'completed',
      total: emails.length,
    });
    const results = await jobResults(url, key, id);
    expect(results.map((result) => [result.address, result.status])).toEqual(
      emails.map((email) => [email, email.startsWith('nobody@') ? 'INVALID' : 'VALID']),
    );

    const stopStarted = Date.now();
    await sh('docker', ['stop', '-t', '30', name]);
    const stopSeconds = (Date.now() - stopStarted) / 1000;
    expect((await sh('docker', ['inspect', '-f', '{{.State.ExitCode}}', name])).trim()).toBe('0');
    expect(stopSeconds).toBeLessThan(15);
    const logs = await sh('docker', ['logs', name]);
    expect(logs).toContain('"msg":"draining: no new requests or chunks"');
    expect(logs).toContain('"msg":"stopped"');
  }, 180_000);
});

describe('compose fleet (deploy/compose.yaml)', () => {
  const project = `mailprobe-test-${randomUUID().slice(0, 8)}`;
  const [command, ...prefix] = composeCommand();
  let envDir: string;
  let env: NodeJS.ProcessEnv;
  const compose = (args: string[], timeoutMs = 10 * 60_000) =>
    sh(command, [...prefix, '-f', 'compose.yaml', '-p', project, ...args], {
      cwd: path.join(REPO_ROOT, 'deploy'),
      env,
      timeoutMs,
    });

  afterAll(async () => {
    if (env) await compose(['down', '-v', '--remove-orphans']).catch(() => {});
    if (envDir) await rm(envDir, { recursive: true, force: true });
  });

  it(
    'runs a job across both nodes sharing one Redis, and stops both with exit 0',
    async () => {
      envDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-compose-'));
      const envFile = path.join(envDir, 'nodes.env');
      const nodeEnv = {
        ...fakeInternetEnv(internet),
        MAILPROBE_JOB_CHUNK_SIZE: '3',
        MAILPROBE_JOB_CONCURRENCY: '1',
        MAILPROBE_DRAIN_MS: '5000',
        MAILPROBE_MAX_CONNECTIONS_PER_MINUTE: '10000',
      };
      await writeFile(
        envFile,
        `${Object.entries(nodeEnv)
          .map(([key, value]) => `${key}=${value}`)
          .join('\n')}\n`,
      );
      const [port1, port2, redisPort] = [await freePort(), await freePort(), await freePort()];
      const [metrics1, metrics2] = [await freePort(), await freePort()];
      env = {
        ...process.env,
        BASE_IMAGE,
        REDIS_BASE_IMAGE,
        MAILPROBE_IMAGE: IMAGE,
        MAILPROBE_ENV_FILE: envFile,
        PROBER_1_LISTEN: `127.0.0.1:${port1}`,
        PROBER_2_LISTEN: `127.0.0.1:${port2}`,
        PROBER_1_METRICS_LISTEN: `127.0.0.1:${metrics1}`,
        PROBER_2_METRICS_LISTEN: `127.0.0.1:${metrics2}`,
        REDIS_PORT: String(redisPort),
      };
      await compose(['up', '-d']);
      const node1 = `http://127.0.0.1:${port1}`;
      const node2 = `http://127.0.0.1:${port2}`;
      await Promise.all([
        waitForOk(`${node1}/readyz`, START_TIMEOUT_MS),
        waitForOk(`${node2}/readyz`, START_TIMEOUT_MS),
      ]);

      // One key store: a key created through node 1 works on node 2.
      const key = (
        await compose(['exec', '-T', 'prober-1', 'mailprobe', 'keys', 'create', '--name', 'fleet'])
      ).trim();
      expect(await verifyOne(node2, key, 'bob@beta.test')).toMatchObject({ status: 'VALID' });

      const emails = [...jobAddresses(), ...DOMAINS.map((domain) => `carol@${domain}`)];
      const id = await createJob(node1, key, emails);
      expect(await waitForCompletion(node2, key, id, 90_000)).toMatchObject({
        status: 'completed',
        total: emails.length,
      });
      const results = await jobResults(node2, key, id);
      expect(results).toHaveLength(emails.length);
      expect(new Set(results.map((result) => result.address))).toEqual(new Set(emails));

      // Both nodes took chunks of the job (each node's /metrics is on its own ops listener).
      const itemsDone = async (port: number) => {
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return Number(/^mailprobe_job_items_done_total (\d+)/m.exec(metrics)?.[1] ?? 0);
      };
      const [done1, done2] = [await itemsDone(metrics1), await itemsDone(metrics2)];
      expect(done1).toBeGreaterThan(0);
      expect(done2).toBeGreaterThan(0);
      expect(done1 + done2).toBe(emails.length);

      await compose(['stop'], 120_000);
      const ids = (await compose(['ps', '-q'])).split('\n').filter(Boolean);
      expect(ids).toHaveLength(3);
      for (const container of ids) {
        expect(
          (await sh('docker', ['inspect', '-f', '{{.Name}} {{.State.ExitCode}}', container])).trim(),
        ).toMatch(/ 0$/);
      }
    },
    15 * 60_000,
  );
});
