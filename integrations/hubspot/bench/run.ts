// Benchmark of `mailprobe-hubspot backfill` (figures are printed, never asserted): contacts per second
// against a fake HubSpot that enforces HubSpot's limits (burst 100 per rolling 10 s, search 5 per second,
// 429s with their policy), with the enricher's default limits and retries, the real prober and the fake
// internet on loopback. It also counts 429s and spec violations (the bar is 0).
// Run: pnpm --filter @mailprobe/hubspot bench   (BENCH_CONTACTS=5000 by default)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBackfill } from '../src/backfill/backfill.js';
import { loadEnricherConfig } from '../src/config.js';
import { gatewayFromConfig } from '../src/services.js';
import { setupProperties } from '../src/setup.js';
import { startEnricherEnvironment } from '../test/enricher-environment.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 5000);

async function main(): Promise<void> {
  // The fake's own defaults are HubSpot's published limits: burst 100 / 10 s, search 5 / s.
  const environment = await startEnricherEnvironment();
  const dataDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-bench-'));
  try {
    const config = loadEnricherConfig({
      env: {},
      overrides: {
        hubspot: { accessToken: environment.hubspot.accessToken, baseUrl: environment.hubspot.url },
        prober: { url: environment.prober.url, apiKey: environment.proberApiKey },
        dataDir,
      },
    });
    const gateway = gatewayFromConfig(config);
    await setupProperties(gateway);
    environment.hubspot.addContacts(
      Array.from({ length: CONTACTS }, (_, index) => ({
        email: index % 5 === 0 ? 'alice@acme.test' : `user${index}@acme.test`,
      })),
    );
    const started = performance.now();
    const summary = await runBackfill({
      gateway,
      verifier: environment.verifier,
      dataDir,
      staleDays: null,
      pageSize: config.backfill.pageSize,
    });
    const seconds = (performance.now() - started) / 1000;
    const limited = environment.hubspot.requests.filter((request) => request.status === 429);
    const lines = [
      `backfill: ${summary.counts.written} of ${CONTACTS} contacts written in ${seconds.toFixed(1)} s`,
      `backfill: ${(summary.counts.processed / seconds).toFixed(0)} contacts/s`,
      `backfill: ${summary.searches} searches, ${gateway.stats.requests} HubSpot requests, ${limited.length} answered 429, ${gateway.stats.retries} retries`,
      `backfill: search limit ${config.hubspot.searchLimit.requests}/${config.hubspot.searchLimit.windowMs} ms, burst ${config.hubspot.burstLimit.requests}/${config.hubspot.burstLimit.windowMs} ms`,
      `backfill: ${environment.hubspot.specViolations.length} spec violations`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await environment.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
