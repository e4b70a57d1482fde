import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHubspot, startFakeHubspot } from './fake-hubspot.js';

describe('fake HubSpot API follows the documented limits and errors', () => {
  let fake: FakeHubspot;
  afterEach(async () => {
    // Whatever a test did, the fake's own answers must have followed the spec.
    expect(fake?.specViolations.filter((violation) => violation.direction === 'response') ?? []).toEqual([]);
    await fake?.close();
  });

  const call = (path: string, body?: unknown, token = fake.accessToken) =>
    fetch(`${fake.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('answers 401 with the documented error body without a valid Bearer token', async () => {
    fake = await startFakeHubspot();
    const response = await call('/crm/v3/properties/contacts', undefined, 'nope');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      status: 'error',
      category: 'INVALID_AUTHENTICATION',
      correlationId: expect.any(String),
    });
  });

  it('pages search with after, refuses limit > 200 and paging past the 10,000 cap', async () => {
    fake = await startFakeHubspot({ searchLimit: null, searchResultCap: 250 });
    fake.addContacts(Array.from({ length: 300 }, (_, index) => ({ email: `u${index}@acme.test` })));
    const search = (extra: Record<string, unknown>) =>
      call('/crm/v3/objects/contacts/search', {
        filterGroups: [],
        sorts: ['hs_object_id'],
        properties: ['email'],
        after: '0',
        ...extra,
      });
    const first = (await (await search({ limit: 200 })).json()) as {
      total: number;
      results: unknown[];
      paging: { next: { after: string } };
    };
    expect(first.total).toBe(300);
    expect(first.results).toHaveLength(200);
    const second = (await (await search({ limit: 200, after: first.paging.next.after })).json()) as {
      results: unknown[];
      paging?: unknown;
    };
    expect(second.results).toHaveLength(50);
    expect(second.paging).toBeUndefined();
    expect((await search({ limit: 201 })).status).toBe(400);
    const beyond = await search({ limit: 10, after: '250' });
    expect(beyond.status).toBe(400);
    expect(await beyond.json()).toMatchObject({ category: 'VALIDATION_ERROR' });
  });

  it('filters with GT on ids, NOT_HAS_PROPERTY, LT on datetimes, OR across groups, sorted descending on request', async () => {
    fake = await startFakeHubspot({ searchLimit: null });
    const [a, b, c] = fake.addContacts([
      { email: 'a@x.test', lastname: 'Z' },
      { email: 'b@x.test' },
      { lastname: 'Y' },
    ]) as [string, string, string];
    const searchDefaults = { filterGroups: [], sorts: [], properties: [], limit: 10, after: '0' };
    const ids = async (body: Record<string, unknown>) =>
      (
        (await (await call('/crm/v3/objects/contacts/search', { ...searchDefaults, ...body })).json()) as {
          results: Array<{ id: string }>;
        }
      ).results.map((result) => result.id);
    expect(
      await ids({
        filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: a }] }],
      }),
    ).toEqual([b, c]);
    expect(
      await ids({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'NOT_HAS_PROPERTY' }] }] }),
    ).toEqual([c]);
    expect(
      await ids({
        filterGroups: [
          { filters: [{ propertyName: 'lastname', operator: 'EQ', value: 'z' }] },
          { filters: [{ propertyName: 'lastname', operator: 'EQ', value: 'Y' }] },
        ],
        sorts: ['-hs_object_id'],
      }),
    ).toEqual([c, a]);
    const future = String(Date.now() + 60_000);
    expect(
      await ids({
        filterGroups: [{ filters: [{ propertyName: 'createdate', operator: 'LT', value: future }] }],
      }),
    ).toHaveLength(3);
    expect(
      (
        await call('/crm/v3/objects/contacts/search', {
          ...searchDefaults,
          filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: '1' }] }],
        })
      ).status,
    ).toBe(400);
  });

  it('rejects batches over 100 inputs, duplicate properties and groups (409), and counts writes per contact', async () => {
    fake = await startFakeHubspot();
    const [id] = fake.addContacts([{ email: 'a@x.test' }]) as [string];
    const tooMany = Array.from({ length: 101 }, () => ({ id, properties: { firstname: 'A' } }));
    expect((await call('/crm/v3/objects/contacts/batch/update', { inputs: tooMany })).status).toBe(400);
    expect(
      (
        await call('/crm/v3/objects/contacts/batch/update', {
          inputs: [{ id, properties: { firstname: 'A' } }],
        })
      ).status,
    ).toBe(200);
    expect(fake.writes.get(id)).toBe(1);
    const group = { name: 'g', label: 'G' };
    expect((await call('/crm/v3/properties/contacts/groups', group)).status).toBe(201);
    expect((await call('/crm/v3/properties/contacts/groups', group)).status).toBe(409);
    const property = {
      name: 'p',
      label: 'P',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'g',
      options: [{ label: 'A', value: 'a', hidden: false }],
    };
    expect((await call('/crm/v3/properties/contacts', property)).status).toBe(201);
    const duplicate = await call('/crm/v3/properties/contacts', property);
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ category: 'OBJECT_ALREADY_EXISTS' });
    const invalid = await call('/crm/v3/objects/contacts/batch/update', {
      inputs: [{ id, properties: { p: 'b' } }],
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      category: 'VALIDATION_ERROR',
      errors: [{ code: 'INVALID_OPTION' }],
    });
    expect(fake.writes.get(id)).toBe(1);
  });

  it('answers 429 with policyName TEN_SECONDLY_ROLLING past the burst limit', async () => {
    fake = await startFakeHubspot({ burstLimit: { requests: 2, windowMs: 10_000 } });
    await call('/crm/v3/properties/contacts');
    await call('/crm/v3/properties/contacts');
    const limited = await call('/crm/v3/properties/contacts');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-hubspot-ratelimit-max')).toBe('2');
    expect(await limited.json()).toMatchObject({
      policyName: 'TEN_SECONDLY_ROLLING',
      errorType: 'RATE_LIMIT',
    });
  });

  it('validates every request and response against the published spec: a search without after is a 400', async () => {
    fake = await startFakeHubspot({ searchLimit: null });
    fake.addContacts([{ email: 'a@x.test' }, {}]);
    const body = { filterGroups: [], sorts: ['hs_object_id'], properties: ['email'], limit: 10 };
    const missingAfter = await call('/crm/v3/objects/contacts/search', body);
    expect(missingAfter.status).toBe(400);
    expect(await missingAfter.json()).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(fake.specViolations).toMatchObject([
      { direction: 'request', operationId: 'contacts.search', errors: [expect.stringContaining('after')] },
    ]);
    fake.specViolations.length = 0;

    const wrongTypes = await call('/crm/v3/objects/contacts/batch/update', {
      inputs: [{ id: 1, properties: { firstname: 'A' } }],
    });
    expect(wrongTypes.status).toBe(400);
    expect(fake.specViolations).toHaveLength(1);
    fake.specViolations.length = 0;

    const found = await call('/crm/v3/objects/contacts/search', { ...body, after: '0' });
    expect(found.status).toBe(200);
    const page = (await found.json()) as { results: Array<{ properties: Record<string, unknown> }> };
    // Empty properties are left out (the spec types values as strings), never sent as null.
    expect(page.results[1]?.properties).not.toHaveProperty('email');
    expect(Object.values(page.results[1]?.properties ?? {})).not.toContain(null);
    expect(fake.specViolations).toEqual([]);
  });
});
