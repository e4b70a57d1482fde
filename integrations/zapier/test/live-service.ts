import { type StartedProber, startProber } from '@mailprobe/prober';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';

/** Addresses of the fake internet, by what the prober will say about them. */
export const LEADS = {
  valid: 'ann.lee@acme.test',
  invalid: 'nobody@acme.test',
  catchAll: 'whoever@catchall.test',
} as const;

/** Job settings that make bulk jobs finish in well under a second on loopback. */
const FAST_JOBS = {
  concurrency: 2,
  chunkSize: 10,
  leaseMs: 10_000,
  pollIntervalMs: 20,
  greylistRetryDelayMs: 500,
  greylistMaxRetries: 1,
  maxAddresses: 1_000_000,
  ingestBatchSize: 100,
  bodyLimitBytes: 1024 * 1024,
};
const PROBE_TOTAL_MS = 5000;

export interface LiveService {
  internet: FakeInternet;
  prober: StartedProber;
  /** Zapier `authData` for a fresh key on this prober. */
  connect(name: string, limits?: { requestsPerMinute?: number; quota?: number }): Promise<AuthData>;
  close(): Promise<void>;
}

export interface AuthData {
  api_key: string;
  api_url: string;
  [field: string]: string;
}

/** The real prober on loopback, probing a fake internet with one ordinary domain and one catch-all domain. */
export async function startLiveService(): Promise<LiveService> {
  const internet = await startFakeInternet({
    domains: {
      'acme.test': { mx: [{ host: 'mx.acme.test', smtp: { mailboxes: [LEADS.valid] } }] },
      'catchall.test': { mx: [{ host: 'mx.catchall.test', smtp: { catchAll: true } }] },
    },
  });
  let prober: StartedProber;
  try {
    prober = await startProber({
      engine: { ...internet.engineOptions, timeouts: { totalMs: PROBE_TOTAL_MS } },
      config: { jobs: FAST_JOBS },
    });
  } catch (error) {
    await internet.close();
    throw error;
  }
  return {
    internet,
    prober,
    async connect(name, limits) {
      return { api_key: await prober.createKey(name, limits), api_url: prober.url };
    },
    async close() {
      await prober.close();
      await internet.close();
    },
  };
}
