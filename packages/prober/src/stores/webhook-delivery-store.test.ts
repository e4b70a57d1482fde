// The webhook delivery queue of the WebhookStore, against the embedded SQLite store and a real redis-server,
// through the same interface (`openStores`): claims under a lease, bounds per key, cancel on unsubscribe.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RedisServer, startRedisServer } from '@mailprobe/test-kit';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from './create-stores.js';
import type { DeliveryClaimRequest, NewWebhookDelivery, WebhookSubscriptionRecord } from './webhook-types.js';

const LEASE_MS = 60_000;

interface Backend {
  name: string;
  open(): Promise<Stores>;
  stop(): Promise<void>;
}

function sqliteBackend(): Backend {
  const folders: string[] = [];
  return {
    name: 'SQLite (embedded)',
    async open() {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-deliveries-'));
      folders.push(dataDir);
      return openStores({ dataDir, redisUrl: null });
    },
    async stop() {
      for (const folder of folders) await rm(folder, { recursive: true, force: true });
    },
  };
}

function redisBackend(): Backend {
  let redis: RedisServer | null = null;
  return {
    name: 'Redis (fleet)',
    async open() {
      redis ??= await startRedisServer();
      const stores = await openStores({ dataDir: '', redisUrl: redis.url });
      await stores.redis?.flushdb();
      return stores;
    },
    async stop() {
      await redis?.stop();
    },
  };
}

let sequence = 0;

function delivery(overrides: Partial<NewWebhookDelivery> = {}): NewWebhookDelivery {
  sequence += 1;
  return {
    id: `job_${sequence}:callback`,
    keyId: 'key-a',
    jobId: `job_${sequence}`,
    subscriptionId: null,
    targetUrl: 'https://hooks.example.com/a',
    eventType: 'job.completed',
    body: `{"id":"evt_${sequence}"}`,
    nextAttemptAt: Date.now() - 1000 + sequence,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

function subscription(keyId: string, id: string): WebhookSubscriptionRecord {
  return {
    id,
    keyId,
    targetUrl: `https://hooks.example.com/${id}`,
    events: ['job.completed'],
    createdAt: new Date().toISOString(),
  };
}

function claimRequest(overrides: Partial<DeliveryClaimRequest> = {}): DeliveryClaimRequest {
  const now = Date.now();
  return {
    now,
    leaseUntil: now + LEASE_MS,
    claim: `node-a:${now}:${Math.random()}`,
    limit: 100,
    perKey: 100,
    roomPerKey: new Map(),
    ...overrides,
  };
}

describe.each([sqliteBackend(), redisBackend()])('webhook deliveries in the store: $name', (backend) => {
  let stores: Stores;

  beforeEach(async () => {
    stores = await backend.open();
  });
  afterEach(async () => {
    await stores?.close();
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('stores a delivery once, hands it to one claimer with its attempt counted, and keeps it until finished', async () => {
    const first = delivery();
    await stores.webhookStore.enqueueDeliveries([first]);
    await stores.webhookStore.enqueueDeliveries([{ ...first, body: 'another body' }]);
    expect(await stores.webhookStore.countDeliveries()).toBe(1);

    const [claimed, ...others] = await stores.webhookStore.claimDeliveries(claimRequest());
    expect(others).toEqual([]);
    expect(claimed).toMatchObject({
      id: first.id,
      keyId: 'key-a',
      jobId: first.jobId,
      subscriptionId: null,
      targetUrl: first.targetUrl,
      body: first.body,
      attempts: 1,
    });
    // Claimed: nobody else gets it before the lease ends.
    expect(await stores.webhookStore.claimDeliveries(claimRequest({ claim: 'node-b:1' }))).toEqual([]);
    expect(await stores.webhookStore.storedDeliveries([first.id, 'missing'])).toEqual(new Set([first.id]));

    // A failed attempt: rescheduled, not due yet.
    const claim = claimed?.claim as string;
    expect(await stores.webhookStore.releaseDelivery(first.id, claim, 1, Date.now() + LEASE_MS)).toBe(true);
    expect(await stores.webhookStore.claimDeliveries(claimRequest())).toEqual([]);
    expect(
      await stores.webhookStore.claimDeliveries(claimRequest({ now: Date.now() + LEASE_MS + 1 })),
    ).toMatchObject([{ id: first.id, attempts: 2 }]);
  });

  it('gives a delivery whose lease ran out to another node, and ignores the first claim from then on', async () => {
    const first = delivery();
    await stores.webhookStore.enqueueDeliveries([first]);
    const now = Date.now();
    const [lost] = await stores.webhookStore.claimDeliveries(
      claimRequest({ now, leaseUntil: now + 10, claim: 'node-a:1' }),
    );
    expect(lost?.attempts).toBe(1);
    const [taken] = await stores.webhookStore.claimDeliveries(
      claimRequest({ now: now + 11, leaseUntil: now + LEASE_MS, claim: 'node-b:1' }),
    );
    expect(taken).toMatchObject({ id: first.id, attempts: 2, claim: 'node-b:1' });
    expect(await stores.webhookStore.finishDelivery(first.id, 'node-a:1')).toBe(false);
    expect(await stores.webhookStore.releaseDelivery(first.id, 'node-a:1', 1, now)).toBe(false);
    expect(await stores.webhookStore.countDeliveries()).toBe(1);
    expect(await stores.webhookStore.finishDelivery(first.id, 'node-b:1')).toBe(true);
    expect(await stores.webhookStore.countDeliveries()).toBe(0);
    expect(await stores.webhookStore.storedDeliveries([first.id])).toEqual(new Set());
  });

  it('releases every claim of a previous run at start-up, in the embedded store only', async () => {
    const first = delivery();
    await stores.webhookStore.enqueueDeliveries([first]);
    await stores.webhookStore.claimDeliveries(claimRequest());
    if (stores.kind === 'redis') {
      // A fleet never releases another node's claims: they end with their lease.
      expect(stores.webhookStore.releaseAllDeliveries).toBeUndefined();
      return;
    }
    await stores.webhookStore.releaseAllDeliveries?.();
    expect(await stores.webhookStore.claimDeliveries(claimRequest())).toMatchObject([
      { id: first.id, attempts: 2 },
    ]);
  });

  it('claims within the overall limit and each key’s room, oldest first, without starving other keys', async () => {
    const busy = Array.from({ length: 30 }, () => delivery({ keyId: 'key-busy' }));
    const quiet = Array.from({ length: 3 }, () => delivery({ keyId: 'key-quiet' }));
    const third = Array.from({ length: 3 }, () => delivery({ keyId: 'key-third' }));
    await stores.webhookStore.enqueueDeliveries([...busy, ...quiet, ...third]);

    const perKey = await stores.webhookStore.claimDeliveries(claimRequest({ perKey: 2, limit: 5 }));
    expect(perKey).toHaveLength(5);
    const byKey = (claimed: typeof perKey) =>
      claimed.reduce<Record<string, number>>((counts, { keyId }) => {
        counts[keyId] = (counts[keyId] ?? 0) + 1;
        return counts;
      }, {});
    expect(byKey(perKey)).toEqual({ 'key-busy': 2, 'key-quiet': 2, 'key-third': 1 });
    // Oldest first: the busy key's two oldest.
    expect(perKey.filter(({ keyId }) => keyId === 'key-busy').map(({ id }) => id)).toEqual([
      busy[0]?.id,
      busy[1]?.id,
    ]);

    // The busy key is full on this node: its backlog does not hide the other keys' deliveries.
    const next = await stores.webhookStore.claimDeliveries(
      claimRequest({
        perKey: 2,
        limit: 10,
        roomPerKey: new Map([
          ['key-busy', 0],
          ['key-quiet', 1],
        ]),
      }),
    );
    expect(byKey(next)).toEqual({ 'key-quiet': 1, 'key-third': 2 });
  });

  it('deletes a subscription’s pending deliveries with it, and stores none for a deleted subscription', async () => {
    await stores.webhookStore.addSubscription(subscription('key-a', 'whk_1'), 10);
    await stores.webhookStore.addSubscription(subscription('key-a', 'whk_2'), 10);
    const toFirst = [delivery({ subscriptionId: 'whk_1' }), delivery({ subscriptionId: 'whk_1' })];
    const toSecond = delivery({ subscriptionId: 'whk_2' });
    const callback = delivery();
    await stores.webhookStore.enqueueDeliveries([...toFirst, toSecond, callback]);
    expect(await stores.webhookStore.countDeliveries()).toBe(4);
    const [claimed] = await stores.webhookStore.claimDeliveries(claimRequest({ limit: 1 }));
    expect(claimed?.id).toBe(toFirst[0]?.id);

    // Another key cannot delete it; its own key can, and its deliveries (claimed or waiting) go with it.
    expect(await stores.webhookStore.deleteSubscription('key-b', 'whk_1')).toBe(false);
    expect(await stores.webhookStore.deleteSubscription('key-a', 'whk_1')).toBe(true);
    expect(await stores.webhookStore.countDeliveries()).toBe(2);
    expect(await stores.webhookStore.finishDelivery(claimed?.id as string, claimed?.claim as string)).toBe(
      false,
    );
    const rest = await stores.webhookStore.claimDeliveries(claimRequest());
    expect(rest.map(({ id }) => id).sort()).toEqual([toSecond.id, callback.id].sort());

    // A job finishing after the DELETE stores nothing for it; nor for another key's subscription.
    await stores.webhookStore.enqueueDeliveries([
      delivery({ subscriptionId: 'whk_1' }),
      delivery({ subscriptionId: 'whk_2', keyId: 'key-b' }),
    ]);
    expect(await stores.webhookStore.countDeliveries()).toBe(2);
  });
});
