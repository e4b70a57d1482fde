import { type StartedProber, startProber } from '@mailprobe/prober';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';

/** Addresses of the fake internet, by what the prober will say about them. */
export const LEADS = {
  valid: 'ann.lee@acme.test',
  invalid: 'nobody@acme.test',
  catchAll: 'whoever@catchall.test',
  /** On a mail server that takes TARPIT_REPLY_DELAY_MS per reply: a whole check takes several seconds. */
  slow: 'slow@tarpit.test',
} as const;

/** How long the tarpit's mail server waits before each reply. */
export const TARPIT_REPLY_DELAY_MS = 800;

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
  /** Like connect, and the key's webhook signing secret (what the prober signs its deliveries with). */
  connectWithWebhookSecret(name: string): Promise<{ authData: AuthData; webhookSecret: string }>;
  close(): Promise<void>;
}

export interface AuthData {
  api_key: string;
  api_url: string;
  [field: string]: string;
}

/**
 * The real prober on loopback, probing a fake internet with an ordinary domain, a catch-all domain and a slow one.
 * The fake internet's engine options allow private targets, which also lets webhooks reach receivers on loopback.
 */
export async function startLiveService(): Promise<LiveService> {
  const internet = await startFakeInternet({
    domains: {
      'acme.test': { mx: [{ host: 'mx.acme.test', smtp: { mailboxes: [LEADS.valid] } }] },
      'catchall.test': { mx: [{ host: 'mx.catchall.test', smtp: { catchAll: true } }] },
      'tarpit.test': {
        mx: [
          { host: 'mx.tarpit.test', smtp: { mailboxes: [LEADS.slow], replyDelayMs: TARPIT_REPLY_DELAY_MS } },
        ],
      },
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
    async connectWithWebhookSecret(name) {
      const { key, webhookSecret } = await prober.createKeyWithWebhookSecret(name);
      return { authData: { api_key: key, api_url: prober.url }, webhookSecret };
    },
    async close() {
      await prober.close();
      await internet.close();
    },
  };
}
