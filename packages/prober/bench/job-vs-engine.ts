// The same list verified by the engine alone and as a job of a prober with its default job settings, on the fake
// internet: 200 domains on 50 MX servers (hosting-provider style), half the mailboxes unknown, every SMTP reply
// delayed like a distant server. Prints both rates and their ratio (issue 21's goal: the job ≥ 0.9× the engine).
import { createEngine } from '@mailprobe/engine';
import { startFakeInternet } from '@mailprobe/test-kit';
import { startProber } from '../src/index.js';

const ADDRESSES = Number(process.env.BENCH_RATIO_ADDRESSES ?? 4000);
const DOMAINS = 200;
const SERVERS = 50;
const REPLY_DELAY_MS = Number(process.env.BENCH_RATIO_REPLY_DELAY_MS ?? 20);
const POLL_MS = 50;
/** Job settings to try instead of the defaults (BENCH_RATIO_JOBS='{"concurrency":16}'). */
const JOB_SETTINGS = JSON.parse(process.env.BENCH_RATIO_JOBS ?? '{}') as Record<string, number>;

function addressAt(index: number): string {
  return `user${Math.floor(index / DOMAINS)}@ratio${index % DOMAINS}.test`;
}

/** Prints addresses/s of the engine alone, then rows/s of the same list as one job, and the ratio. */
export async function jobVersusEngineBenchmark(): Promise<void> {
  const addresses = Array.from({ length: ADDRESSES }, (_, index) => addressAt(index));
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  const mailboxes = new Map<number, string[]>();
  addresses.forEach((address, index) => {
    if (index % 2 !== 0) return;
    const server = (index % DOMAINS) % SERVERS;
    mailboxes.set(server, [...(mailboxes.get(server) ?? []), address]);
  });
  for (let domain = 0; domain < DOMAINS; domain += 1) {
    const server = domain % SERVERS;
    domains[`ratio${domain}.test`] = {
      mx: [
        {
          host: `mx.ratio${domain}.test`,
          server: `server${server}`,
          ...(domain < SERVERS
            ? { smtp: { mailboxes: mailboxes.get(server) ?? [], replyDelayMs: REPLY_DELAY_MS } }
            : {}),
        },
      ],
    };
  }
  const internet = await startFakeInternet({ domains });
  const engineOptions = { ...internet.engineOptions, maxConnectionsPerMinute: 100_000 };
  try {
    const engine = createEngine(engineOptions);
    const engineStarted = performance.now();
    const engineResults = await engine.verifyMany(addresses);
    const engineSeconds = (performance.now() - engineStarted) / 1000;
    await engine.close();
    const engineValid = engineResults.filter((result) => result.status === 'VALID').length;

    const prober = await startProber({ engine: engineOptions, config: { jobs: JOB_SETTINGS as never } });
    try {
      const key = await prober.createKey('ratio', { requestsPerMinute: 1_000_000 });
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const jobStarted = performance.now();
      const created = await fetch(`${prober.url}/v1/jobs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ emails: addresses }),
      });
      const { id } = (await created.json()) as { id: string };
      const acceptedSeconds = (performance.now() - jobStarted) / 1000;
      let job: { status: string; counts: Record<string, number> };
      for (;;) {
        job = (await (await fetch(`${prober.url}/v1/jobs/${id}`, { headers })).json()) as typeof job;
        if (job.status !== 'queued' && job.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      const jobSeconds = (performance.now() - jobStarted) / 1000;
      const engineRate = ADDRESSES / engineSeconds;
      const jobRate = ADDRESSES / jobSeconds;
      console.log(
        `job vs engine (${ADDRESSES} addresses, ${DOMAINS} domains on ${SERVERS} MX servers, replies delayed ` +
          `${REPLY_DELAY_MS} ms): engine ${engineRate.toFixed(0)} addresses/s (${engineValid} VALID), job ` +
          `${jobRate.toFixed(0)} rows/s (${job.status}, ${job.counts.VALID ?? 0} VALID) with ${Object.keys(JOB_SETTINGS).length > 0 ? `job settings ${JSON.stringify(JOB_SETTINGS)}` : 'default job settings'}: ` +
          `ratio ${(jobRate / engineRate).toFixed(2)} (goal ≥ 0.9); upload accepted after ${acceptedSeconds.toFixed(2)} s of ` +
          `the job's ${jobSeconds.toFixed(2)} s`,
      );
    } finally {
      await prober.close();
    }
  } finally {
    await internet.close();
  }
}
