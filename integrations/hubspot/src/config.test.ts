import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HUBSPOT_DOCUMENTED_SEARCH_LIMIT,
  loadEnricherConfig,
  parseListen,
  requireSettings,
} from './config.js';
import { ConfigError } from './errors.js';

describe('loadEnricherConfig', () => {
  it('has documented defaults', () => {
    const config = loadEnricherConfig({ env: {} });
    expect(config.hubspot.baseUrl).toBe('https://api.hubapi.com');
    expect(config.hubspot.burstLimit).toEqual({ requests: 100, windowMs: 10_000 });
    expect(config.hubspot.searchLimit).toEqual({ requests: 4, windowMs: 1000 });
    // At or under HubSpot's documented per-account search limit, per second.
    const perSecond = (limit: { requests: number; windowMs: number }) =>
      (limit.requests * 1000) / limit.windowMs;
    expect(perSecond(config.hubspot.searchLimit)).toBeLessThanOrEqual(
      perSecond(HUBSPOT_DOCUMENTED_SEARCH_LIMIT),
    );
    expect(config.listen).toBe('127.0.0.1:8026');
    expect(config.webhook.acceptedSignatureVersions).toEqual(['v3']);
  });

  it('reads a JSON file, then env over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        hubspot: { accessToken: 'from-file', burstLimit: { requests: 150 } },
        dataDir: '/var/lib/x',
      }),
    );
    const config = loadEnricherConfig({
      env: {
        MAILPROBE_HUBSPOT_CONFIG: file,
        HUBSPOT_ACCESS_TOKEN: 'from-env',
        HUBSPOT_SEARCH_REQUESTS: '4',
        MAILPROBE_API_URL: 'http://127.0.0.1:9',
      },
    });
    expect(config.hubspot.accessToken).toBe('from-env');
    expect(config.hubspot.burstLimit).toEqual({ requests: 150, windowMs: 10_000 });
    expect(config.hubspot.searchLimit.requests).toBe(4);
    expect(config.dataDir).toBe('/var/lib/x');
    expect(config.prober.url).toBe('http://127.0.0.1:9');
    rmSync(dir, { recursive: true, force: true });
  });

  it('names what is missing or invalid', () => {
    expect(() => loadEnricherConfig({ env: { HUBSPOT_BURST_REQUESTS: 'many' } })).toThrow(ConfigError);
    expect(() => loadEnricherConfig({ env: { MAILPROBE_HUBSPOT_LISTEN: 'nowhere' } })).toThrow(/listen/);
    const config = loadEnricherConfig({ env: {} });
    expect(() => requireSettings(config, ['accessToken', 'clientSecret', 'prober'])).toThrow(
      'missing configuration: HUBSPOT_ACCESS_TOKEN, HUBSPOT_CLIENT_SECRET, MAILPROBE_API_URL, MAILPROBE_API_KEY',
    );
  });

  it('splits listen addresses', () => {
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListen('[::1]:8026')).toEqual({ host: '::1', port: 8026 });
  });
});
