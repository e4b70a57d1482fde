// A job's chunks reach the engine together and share its SMTP sessions per MX address, as one list given to the
// engine does; a slow MX holds back only its own rows. Real prober, real SQLite, fake mail servers on loopback.
import type { Job, JobResultRow } from '@mailprobe/core';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../start-prober.js';

/** Domains of one hosting provider: their MX names differ, their address is one. */
const HOSTED = 8;
const FAST = 6;
/** The slow server greets after this long, so its session is still open when the rest of the job is done. */
const SLOW_GREETING_MS = 4000;
const WAIT_STEP_MS = 20;

let internet: FakeInternet;
let prober: StartedProber;
let headers: Record<string, string>;

beforeAll(async () => {
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  for (let domain = 0; domain < HOSTED; domain += 1) {
    domains[`hosted${domain}.test`] = {
      mx: [
        {
          host: `mx.hosted${domain}.test`,
          server: 'hosting',
          ...(domain === 0
            ? {
                smtp: {
                  mailboxes: Array.from({ length: HOSTED }, (_, each) => `a@hosted${each}.test`),
                  replyDelayMs: 20,
                },
              }
            : {}),
        },
      ],
    };
  }
  for (let domain = 0; domain < FAST; domain += 1) {
    domains[`fast${domain}.test`] = {
      mx: [{ host: `mx.fast${domain}.test`, smtp: { mailboxes: [`a@fast${domain}.test`] } }],
    };
  }
  domains['slow.test'] = {
    mx: [
      {
        host: 'mx.slow.test',
        smtp: { mailboxes: ['a@slow.test'], greetingDelayMs: SLOW_GREETING_MS },
      },
    ],
  };
  internet = await startFakeInternet({ domains });
  prober = await startProber({
    engine: {
      ...internet.engineOptions,
      maxSessionsPerMx: 1,
      // 8 unknown addresses and 8 catch-all probes: room for all in one session (groups are taken while half is left).
      maxRejectionsPerSession: 40,
      timeouts: { connectMs: 2000, greetingMs: 10_000, commandMs: 2000, totalMs: 20_000 },
    },
    // Chunks of 2 addresses: every domain's pair is a chunk of its own.
    config: { jobs: { chunkSize: 2 } },
  });
  const key = await prober.createKey('sharing', { quota: 1000 });
  headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
});

async function createJob(emails: string[]): Promise<string> {
  const created = await fetch(`${prober.url}/v1/jobs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ emails }),
  });
  expect(created.status).toBe(202);
  return ((await created.json()) as { id: string }).id;
}

async function jobOf(id: string): Promise<Job> {
  return (await (await fetch(`${prober.url}/v1/jobs/${id}`, { headers })).json()) as Job;
}

async function completed(id: string): Promise<JobResultRow[]> {
  while ((await jobOf(id)).status !== 'completed')
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  return (await (await fetch(`${prober.url}/v1/jobs/${id}/results`, { headers })).text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JobResultRow);
}

const pairOf = (domain: string) => [`a@${domain}`, `b@${domain}`];
const verdicts = (emails: string[]) => emails.map((email) => (email.startsWith('a@') ? 'VALID' : 'INVALID'));

describe('job chunks and SMTP sessions', () => {
  it('asks the domains of one MX address in one session, though each domain is a chunk of its own', async () => {
    const emails = Array.from({ length: HOSTED }, (_, domain) => pairOf(`hosted${domain}.test`)).flat();
    const rows = await completed(await createJob(emails));
    expect(rows.map((row) => row.input)).toEqual(emails);
    expect(rows.map((row) => row.status)).toEqual(verdicts(emails));
    const server = internet.smtp['mx.hosted0.test'];
    // One connection for the 8 chunks (one per chunk before: each chunk's own signal kept its sessions apart).
    expect(server?.sessions).toHaveLength(1);
    expect(server?.peakConcurrency).toBe(1);
    const commands = server?.sessions[0]?.commands ?? [];
    expect(commands.filter((command) => command.startsWith('MAIL FROM:'))).toHaveLength(HOSTED);
  });

  it('finishes every other row while one slow MX is still greeting', async () => {
    const emails = [
      ...pairOf('slow.test'),
      ...Array.from({ length: FAST }, (_, domain) => pairOf(`fast${domain}.test`)).flat(),
    ];
    const id = await createJob(emails);
    const slow = internet.smtp['mx.slow.test'];
    let job = await jobOf(id);
    while (job.done < emails.length - 2 && job.status !== 'completed') {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
      job = await jobOf(id);
    }
    // The fast rows are in; the slow server has not even greeted its one session yet.
    expect(job.done).toBe(emails.length - 2);
    expect(slow?.activeSessions).toBe(1);
    expect(slow?.sessions[0]?.commands).toEqual([]);
    const rows = await completed(id);
    expect(rows.map((row) => row.input)).toEqual(emails);
    expect(rows.map((row) => row.status)).toEqual(verdicts(emails));
  });
});
