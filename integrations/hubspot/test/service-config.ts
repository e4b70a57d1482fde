import { type EnricherConfig, type EnricherConfigInput, loadEnricherConfig } from '../src/config.js';
import type { EnricherEnvironment } from './enricher-environment.js';

export const TEST_CLIENT_SECRET = 'test-client-secret-0f1e2d3c';

/** A service configuration pointing at the environment's fake HubSpot and real prober. */
export function serviceConfig(
  environment: EnricherEnvironment,
  dataDir: string,
  webhook: EnricherConfigInput['webhook'] = {},
): EnricherConfig {
  return loadEnricherConfig({
    env: {},
    overrides: {
      hubspot: {
        accessToken: environment.hubspot.accessToken,
        clientSecret: TEST_CLIENT_SECRET,
        baseUrl: environment.hubspot.url,
        retry: { maxRetries: 4, baseDelayMs: 20, maxDelayMs: 500 },
      },
      prober: { url: environment.prober.url, apiKey: environment.proberApiKey },
      dataDir,
      listen: '127.0.0.1:0',
      webhook,
      worker: { pollIntervalMs: 50, retryBaseDelayMs: 50, retryMaxDelayMs: 500 },
    },
  });
}

/** The same configuration as environment variables, for a child process. */
export function serviceEnv(environment: EnricherEnvironment, dataDir: string): Record<string, string> {
  return {
    HUBSPOT_ACCESS_TOKEN: environment.hubspot.accessToken,
    HUBSPOT_CLIENT_SECRET: TEST_CLIENT_SECRET,
    HUBSPOT_BASE_URL: environment.hubspot.url,
    MAILPROBE_API_URL: environment.prober.url,
    MAILPROBE_API_KEY: environment.proberApiKey,
    MAILPROBE_HUBSPOT_DATA_DIR: dataDir,
    MAILPROBE_HUBSPOT_LISTEN: '127.0.0.1:0',
  };
}
