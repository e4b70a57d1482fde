import {
  createHubspotGateway,
  type HubspotGateway,
  type HubspotGatewayOptions,
} from '../src/hubspot/gateway.js';
import type { FakeHubspot } from './fake-hubspot/index.js';

/** A real gateway pointed at the fake, with limits and backoff sized for tests. */
export function gatewayForFake(
  fake: FakeHubspot,
  overrides: Partial<HubspotGatewayOptions> = {},
): HubspotGateway {
  return createHubspotGateway({
    accessToken: fake.accessToken,
    baseUrl: fake.url,
    burstLimit: { requests: 1000, windowMs: 1000 },
    searchLimit: { requests: 1000, windowMs: 1000 },
    retry: { maxRetries: 4, baseDelayMs: 20, maxDelayMs: 500 },
    ...overrides,
  });
}
