import { createProberClient } from '@mailprobe/core';
import { type StartedProber, startProber } from '@mailprobe/prober';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import type { Verifier } from '../src/enrich/verifier.js';
import type { HubspotGateway, HubspotGatewayOptions } from '../src/hubspot/gateway.js';
import { type FakeHubspot, type FakeHubspotOptions, startFakeHubspot } from './fake-hubspot/index.js';
import { gatewayForFake } from './gateway-for-fake.js';

/** Mailboxes that exist at acme.test; any other acme.test address is rejected with 550 5.1.1. */
export const ACME_MAILBOXES = ['alice@acme.test', 'bob@acme.test', 'carol@acme.test'];

/** How long mx.slow.test waits before its greeting. */
export const SLOW_GREETING_MS = 5000;

export interface EnricherEnvironment {
  internet: FakeInternet;
  prober: StartedProber;
  proberApiKey: string;
  hubspot: FakeHubspot;
  verifier: Verifier;
  gateway: HubspotGateway;
  close(): Promise<void>;
}

/**
 * The real parts on loopback: the fake internet (DNS + SMTP), a real prober on it, a fake HubSpot API,
 * the prober client from @mailprobe/core and a gateway into the fake HubSpot.
 */
export async function startEnricherEnvironment(
  options: {
    hubspot?: FakeHubspotOptions;
    gateway?: Partial<HubspotGatewayOptions>;
    extraMailboxes?: string[];
  } = {},
): Promise<EnricherEnvironment> {
  const internet = await startFakeInternet({
    domains: {
      'acme.test': {
        mx: [
          {
            host: 'mx.acme.test',
            smtp: { mailboxes: [...ACME_MAILBOXES, ...(options.extraMailboxes ?? [])] },
          },
        ],
      },
      'catchall.test': { mx: [{ host: 'mx.catchall.test', smtp: { catchAll: true } }] },
      'gone.test': { nxdomain: true },
      // An MX that takes its time to greet: a verify of it is in flight long enough to interrupt.
      'slow.test': {
        mx: [
          { host: 'mx.slow.test', smtp: { mailboxes: ['sam@slow.test'], greetingDelayMs: SLOW_GREETING_MS } },
        ],
      },
    },
  });
  // Politeness limits sized for one loopback MX taking tens of thousands of probes in a test.
  const prober = await startProber({
    engine: {
      ...internet.engineOptions,
      maxSessionsPerMx: 4,
      maxConnectionsPerMinute: 100_000,
      recipientsPerSession: 100,
    },
  });
  const proberApiKey = await prober.createKey('hubspot-tests');
  const hubspot = await startFakeHubspot(options.hubspot);
  const verifier = createProberClient({ baseUrl: prober.url, apiKey: proberApiKey, maxRetries: 2 });
  const gateway = gatewayForFake(hubspot, options.gateway);
  return {
    internet,
    prober,
    proberApiKey,
    hubspot,
    verifier,
    gateway,
    async close() {
      await hubspot.close();
      await prober.close();
      await internet.close();
    },
  };
}
