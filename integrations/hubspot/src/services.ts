import { createProberClient } from '@mailprobe/core';
import { type EnricherConfig, requireSettings } from './config.js';
import type { Verifier } from './enrich/verifier.js';
import { createHubspotGateway, type HubspotGateway } from './hubspot/gateway.js';
import type { Logger } from './logger.js';

/** The HubSpot gateway for this process (create it once: the client library keeps process-wide state). */
export function gatewayFromConfig(config: EnricherConfig, logger?: Logger): HubspotGateway {
  requireSettings(config, ['accessToken']);
  return createHubspotGateway({
    accessToken: config.hubspot.accessToken as string,
    baseUrl: config.hubspot.baseUrl,
    burstLimit: config.hubspot.burstLimit,
    searchLimit: config.hubspot.searchLimit,
    retry: config.hubspot.retry,
    ...(logger ? { logger } : {}),
  });
}

/** The prober client from @mailprobe/core. */
export function verifierFromConfig(config: EnricherConfig): Verifier {
  requireSettings(config, ['prober']);
  return createProberClient({
    baseUrl: config.prober.url as string,
    apiKey: config.prober.apiKey as string,
    timeoutMs: config.prober.timeoutMs,
    maxRetries: config.prober.maxRetries,
    userAgent: 'mailprobe-hubspot',
  });
}
