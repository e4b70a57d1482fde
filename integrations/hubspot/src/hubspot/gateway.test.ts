import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHubspot, startFakeHubspot } from '../../test/fake-hubspot/index.js';
import { gatewayForFake } from '../../test/gateway-for-fake.js';
import { HubspotApiError } from '../errors.js';
import { PROPERTY_NAMES } from '../properties.js';
import { setupProperties } from '../setup.js';

describe('HubSpot gateway through @hubspot/api-client against the fake API', () => {
  let fake: FakeHubspot;
  afterEach(async () => {
    // Every request the gateway sent, and every answer, followed HubSpot's published spec.
    expect(fake?.specViolations ?? []).toEqual([]);
    await fake?.close();
  });

  it('retries a 429 carrying policyName TEN_SECONDLY_ROLLING after the rolling window', async () => {
    fake = await startFakeHubspot({ burstLimit: { requests: 5, windowMs: 300 } });
    const gateway = gatewayForFake(fake, { burstLimit: { requests: 50, windowMs: 300 } });
    const results = await Promise.all(Array.from({ length: 20 }, () => gateway.listPropertyGroups()));
    expect(results.every((groups) => groups.length === 1)).toBe(true);
    const limited = fake.requests.filter((request) => request.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(gateway.stats.rateLimited).toBe(limited.length);
  });

  it('stays under the burst limit when its own limiter matches HubSpot’s', async () => {
    fake = await startFakeHubspot({ burstLimit: { requests: 10, windowMs: 500 } });
    const gateway = gatewayForFake(fake, { burstLimit: { requests: 10, windowMs: 500 } });
    await Promise.all(Array.from({ length: 30 }, () => gateway.listPropertyGroups()));
    expect(fake.requests.filter((request) => request.status === 429)).toEqual([]);
    expect(fake.requests).toHaveLength(30);
  });

  it('keeps search under its separate, lower limit', async () => {
    fake = await startFakeHubspot({ searchLimit: { requests: 3, windowMs: 400 } });
    const gateway = gatewayForFake(fake, { searchLimit: { requests: 3, windowMs: 400 } });
    fake.addContacts([{ email: 'a@acme.test' }]);
    const search = { filterGroups: [], sorts: ['hs_object_id'], properties: ['email'], limit: 10 };
    await Promise.all(Array.from({ length: 9 }, () => gateway.searchContacts(search)));
    expect(fake.requests.filter((request) => request.status === 429)).toEqual([]);
  });

  it('waits about a second after a secondly search 429, not the burst interval its headers carry', async () => {
    fake = await startFakeHubspot({
      searchLimit: { requests: 1, windowMs: 1000 },
      burstLimit: { requests: 100, windowMs: 10_000 },
    });
    // Its own search limiter is looser than the fake's, so the second search meets a 429.
    const gateway = gatewayForFake(fake, { retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 30_000 } });
    fake.addContacts([{ email: 'a@acme.test' }]);
    const search = { filterGroups: [], sorts: ['hs_object_id'], properties: ['email'], limit: 10 };
    const started = Date.now();
    await Promise.all([gateway.searchContacts(search), gateway.searchContacts(search)]);
    const elapsed = Date.now() - started;
    const searches = fake.requests.filter((request) => request.path.endsWith('/search'));
    expect(searches.map((request) => request.status).sort()).toEqual([200, 200, 429]);
    expect(gateway.stats.rateLimited).toBe(1);
    // SECONDLY frees in ~1 s; the 429's 10,000 ms interval header belongs to the burst policy.
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
    // And every search carried the spec-required cursor.
    expect(searches.every((request) => (request.body as { after?: string }).after === '0')).toBe(true);
  });

  it('retries a 429 without policyName, honouring Retry-After', async () => {
    fake = await startFakeHubspot();
    const gateway = gatewayForFake(fake, { retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 5000 } });
    fake.injectRateLimit(1, { policyName: null, message: 'Too many requests', retryAfterSeconds: 1 });
    const started = Date.now();
    await expect(gateway.listPropertyGroups()).resolves.toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requests.map((request) => request.status)).toEqual([429, 200]);
  });

  it('retries a bare 429 (no policy, no Retry-After) with backoff', async () => {
    fake = await startFakeHubspot();
    const gateway = gatewayForFake(fake);
    fake.injectRateLimit(2, { policyName: null, message: 'Too many requests' });
    await expect(gateway.listPropertyGroups()).resolves.toHaveLength(1);
    expect(fake.requests.map((request) => request.status)).toEqual([429, 429, 200]);
    expect(gateway.stats.retries).toBe(2);
  });

  it('does not retry the daily limit, and gives up after maxRetries', async () => {
    fake = await startFakeHubspot();
    const gateway = gatewayForFake(fake, { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    fake.injectRateLimit(1, { policyName: 'DAILY', message: 'You have reached your daily limit.' });
    const daily = await gateway.listPropertyGroups().catch((error: unknown) => error);
    expect(daily).toBeInstanceOf(HubspotApiError);
    expect(daily).toMatchObject({ statusCode: 429, isRetryable: true });
    expect(fake.requests).toHaveLength(1);

    fake.injectRateLimit(5, { policyName: null });
    await expect(gateway.listPropertyGroups()).rejects.toMatchObject({ statusCode: 429 });
    expect(fake.requests).toHaveLength(1 + 3);
  });

  it('reports a wrong token as a 401 without retrying', async () => {
    fake = await startFakeHubspot();
    const gateway = gatewayForFake(fake, { accessToken: 'pat-na1-wrong' });
    await expect(gateway.listProperties()).rejects.toMatchObject({
      statusCode: 401,
      category: 'INVALID_AUTHENTICATION',
      isRetryable: false,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('splits batches at 100 and reports deleted or merged contacts (207) instead of failing', async () => {
    fake = await startFakeHubspot();
    const gateway = gatewayForFake(fake);
    await setupProperties(gateway);
    const ids = fake.addContacts(
      Array.from({ length: 250 }, (_, index) => ({ email: `user${index}@acme.test` })),
    );
    fake.deleteContact(ids[10] as string);
    fake.mergeContacts(ids[0] as string, ids[200] as string);
    const updates = ids.map((id) => ({ id, properties: { [PROPERTY_NAMES.status]: 'valid' } }));
    const result = await gateway.updateContacts(updates);
    expect(result.missingIds.sort()).toEqual([ids[10], ids[200]].sort());
    expect(result.updatedIds).toHaveLength(248);
    const batches = fake.requests.filter((request) => request.path.endsWith('/batch/update'));
    expect(batches.map((request) => (request.body as { inputs: unknown[] }).inputs.length)).toEqual([
      100, 100, 50,
    ]);
    expect(batches.map((request) => request.status)).toEqual([207, 200, 207]);

    const read = await gateway.readContacts([ids[10] as string, ids[11] as string], ['email']);
    expect(read.missingIds).toEqual([ids[10]]);
    expect(read.contacts.map((contact) => contact.properties.email)).toEqual(['user11@acme.test']);
  });

  it('surfaces 400s for unknown properties and invalid enumeration values without retrying', async () => {
    fake = await startFakeHubspot();
    const gateway = gatewayForFake(fake);
    await setupProperties(gateway);
    const [id] = fake.addContacts([{ email: 'a@acme.test' }]) as [string];
    await expect(gateway.updateContacts([{ id, properties: { mailprobe_nope: 'x' } }])).rejects.toMatchObject(
      {
        statusCode: 400,
        category: 'VALIDATION_ERROR',
      },
    );
    await expect(
      gateway.updateContacts([{ id, properties: { [PROPERTY_NAMES.reason]: 'bogus' } }]),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
    expect(fake.writes.size).toBe(0);
    expect(fake.requests.filter((request) => request.path.endsWith('/batch/update'))).toHaveLength(2);
  });
});
