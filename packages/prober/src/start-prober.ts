import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EngineOptionsInput } from '@mailprobe/engine';
import { type ProberConfigInput, resolveProberConfig } from './config.js';
import type { NewKeyLimits } from './keys/key-admin.js';
import { createProberServer, type ProberServer } from './server.js';

export interface StartProberOptions {
  /** Data folder of the embedded store; default a fresh temporary folder, removed on close. */
  dataDir?: string;
  redisUrl?: string;
  engine?: EngineOptionsInput;
  /** Any part of the configuration; unset fields take their documented defaults. */
  config?: ProberConfigInput;
}

export interface StartedProber {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  createKey(name: string, limits?: { requestsPerMinute?: number; quota?: number }): Promise<string>;
  /** Like createKey, and returns the key's webhook signing secret too. */
  createKeyWithWebhookSecret(
    name: string,
    limits?: { requestsPerMinute?: number; quota?: number },
  ): Promise<{ key: string; webhookSecret: string }>;
  /** URL of `/metrics` on the ops listener (127.0.0.1, a free port), or null when turned off. */
  metricsUrl: string | null;
  close(): Promise<void>;
  /** The underlying node, for tests that look inside (stores, metrics). */
  server: ProberServer;
}

/** Starts a real prober on 127.0.0.1:0 for tests of other packages (quiet logs, temporary store). */
export async function startProber(options: StartProberOptions = {}): Promise<StartedProber> {
  const temporary = options.dataDir ? null : await mkdtemp(path.join(tmpdir(), 'mailprobe-prober-'));
  const config = resolveProberConfig({
    logLevel: 'silent',
    ...options.config,
    listen: '127.0.0.1:0',
    // A free port for the ops listener too, so several test nodes can run at once.
    metricsListen: options.config?.metricsListen === null ? null : '127.0.0.1:0',
    dataDir: options.dataDir ?? (temporary as string),
    redisUrl: options.redisUrl ?? options.config?.redisUrl ?? null,
    engine: { ...options.config?.engine, ...options.engine },
  });
  const server = await createProberServer(config);
  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    url,
    server,
    createKey: (name, limits: NewKeyLimits = {}) => server.createKey(name, limits),
    createKeyWithWebhookSecret: (name, limits: NewKeyLimits = {}) =>
      server.createKeyWithWebhookSecret(name, limits),
    metricsUrl: server.metricsUrl,
    async close() {
      await server.close();
      if (temporary) await rm(temporary, { recursive: true, force: true });
    },
  };
}
