// The worker keeps every MX address with work busy at once (not a fixed few chunks), while the engine's per-MX
// politeness holds: real prober, real SQLite, fake mail servers on loopback whose greeting is slow enough that every
// session of the job is open at the same time.
import type { Job, JobResultRow } from '@mailprobe/core';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../start-prober.js';

const DOMAINS = 16;
/** Sessions stay in their greeting this long: long enough to see them all open at once. */
const GREETING_DELAY_MS = 1500;
const WAIT_STEP_MS = 10;
const WAIT_LIMIT_MS = 20_000;

let internet: FakeInternet;
let prober: StartedProber;
let key: string;

const hostOf = (domain: number) => `mx.sched${domain}.test`;

beforeAll(async () => {
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  for (let domain = 0; domain < DOMAINS; domain += 1) {
    domains[`sched${domain}.test`] = {
      mx: [
        {
          host: hostOf(domain),
          smtp: { mailboxes: [`a@sched${domain}.test`], greetingDelayMs: GREETING_DELAY_MS },
        },
      ],
    };
  }
  internet = await startFakeInternet({ domains });
  prober = await startProber({
    engine: { ...internet.engineOptions, maxSessionsPerMx: 1 },
    // Chunks of 2 addresses: the old worker ran 4 chunks at a time, so at most 4 of the 16 servers were ever busy.
    config: { jobs: { chunkSize: 2 } },
  });
  key = await prober.createKey('scheduling', { quota: 1000 });
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
});

async function until(condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
  return true;
}

describe('job scheduling by MX address', () => {
  it('has a session open at every MX address with work at once, one per address, and answers every row once', async () => {
    // Two addresses per domain (one known, one not), listed domain after domain.
    const emails: string[] = [];
    for (let domain = 0; domain < DOMAINS; domain += 1)
      emails.push(`a@sched${domain}.test`, `b@sched${domain}.test`);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const created = await fetch(`${prober.url}/v1/jobs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ emails }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };

    const servers = Array.from({ length: DOMAINS }, (_, domain) => internet.smtp[hostOf(domain)]);
    let mostBusy = 0;
    const allBusy = await until(() => {
      const busy = servers.filter((server) => (server?.activeSessions ?? 0) > 0).length;
      mostBusy = Math.max(mostBusy, busy);
      return busy === DOMAINS;
    });
    expect({ allBusy, mostBusy }).toEqual({ allBusy: true, mostBusy: DOMAINS });

    let job: Job;
    for (;;) {
      job = (await (await fetch(`${prober.url}/v1/jobs/${id}`, { headers })).json()) as Job;
      if (job.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Politeness held: never two sessions at one address (maxSessionsPerMx 1), and each address asked in one.
    for (const server of servers) {
      expect(server?.peakConcurrency).toBe(1);
      expect(server?.sessions.length).toBe(1);
    }
    const rows = (await (await fetch(`${prober.url}/v1/jobs/${id}/results`, { headers })).text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JobResultRow);
    expect(rows.map((row) => row.input)).toEqual(emails);
    expect(rows.map((row) => row.row)).toEqual(emails.map((_, index) => index + 1));
    expect(rows.map((row) => row.status)).toEqual(
      emails.map((email) => (email.startsWith('a@') ? 'VALID' : 'INVALID')),
    );
  });
});
