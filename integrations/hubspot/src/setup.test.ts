import { PROVIDERS, REASONS } from '@mailprobe/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeHubspot, startFakeHubspot } from '../test/fake-hubspot/index.js';
import { gatewayForFake } from '../test/gateway-for-fake.js';
import { mailprobePropertyDefinitions, PROPERTY_GROUP, PROPERTY_NAMES } from './properties.js';
import { setupProperties } from './setup.js';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

describe('setupProperties against the fake HubSpot API', () => {
  let fake: FakeHubspot;
  beforeEach(async () => {
    fake = await startFakeHubspot();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('creates the group and every property, and a second run changes nothing', async () => {
    const gateway = gatewayForFake(fake);
    const first = await setupProperties(gateway);
    expect(first.groupCreated).toBe(true);
    expect(first.created).toEqual(Object.values(PROPERTY_NAMES));
    expect(fake.groups.get(PROPERTY_GROUP.name)?.label).toBe('Mailprobe');
    expect(fake.properties.get(PROPERTY_NAMES.reason)?.options.map((option) => option.value)).toEqual(
      REASONS,
    );
    expect(fake.properties.get(PROPERTY_NAMES.status)?.options.map((option) => option.value)).toEqual([
      'valid',
      'invalid',
      'unknown',
    ]);
    expect(fake.properties.get(PROPERTY_NAMES.provider)?.options.map((option) => option.value)).toEqual(
      PROVIDERS,
    );
    expect(fake.properties.get(PROPERTY_NAMES.provider)?.type).toBe('enumeration');
    expect(fake.properties.get(PROPERTY_NAMES.checkedAt)?.type).toBe('datetime');
    expect(fake.properties.get(PROPERTY_NAMES.catchAll)?.fieldType).toBe('booleancheckbox');

    const before = fake.requests.length;
    const second = await setupProperties(gateway);
    expect(second).toEqual({
      groupCreated: false,
      created: [],
      updated: [],
      unchanged: Object.values(PROPERTY_NAMES),
    });
    const writes = fake.requests.slice(before).filter((request) => WRITE_METHODS.has(request.method));
    expect(writes).toEqual([]);
  });

  it('updates enumeration options when the vocabulary changes, hiding retired values', async () => {
    const gateway = gatewayForFake(fake);
    await setupProperties(gateway);
    const changed = mailprobePropertyDefinitions([...REASONS.filter((reason) => reason !== 'greylisted')], {
      ...Object.fromEntries(REASONS.map((reason) => [reason, `described ${reason}`])),
    });
    const report = await setupProperties(gateway, { definitions: changed });
    expect(report.updated).toEqual([PROPERTY_NAMES.reason]);
    const patches = fake.requests.filter((request) => request.method === 'PATCH');
    expect(patches.map((request) => request.path)).toEqual([
      `/crm/v3/properties/contacts/${PROPERTY_NAMES.reason}`,
    ]);
    const options = fake.properties.get(PROPERTY_NAMES.reason)?.options ?? [];
    expect(options.find((option) => option.value === 'accepted')?.description).toBe('described accepted');
    expect(options.find((option) => option.value === 'greylisted')?.hidden).toBe(true);
    expect((await setupProperties(gateway, { definitions: changed })).updated).toEqual([]);
  });

  it('treats a 409 from a concurrent run as "already there"', async () => {
    const gateway = gatewayForFake(fake);
    const [left, right] = await Promise.all([setupProperties(gateway), setupProperties(gateway)]);
    expect([...left.created, ...right.created].sort()).toEqual(Object.values(PROPERTY_NAMES).sort());
    expect(fake.requests.some((request) => request.status === 409)).toBe(true);
  });
});
