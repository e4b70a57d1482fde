import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROPERTY_NAMES } from '../properties.js';
import { type RunningService, startService } from '../serve.js';
import { setupProperties } from '../setup.js';
import { type EnricherEnvironment, startEnricherEnvironment } from '../../test/enricher-environment.js';
import { serviceConfig, TEST_CLIENT_SECRET } from '../../test/service-config.js';
import { hubspotSignatureHeaders } from '../../test/sign-webhook.js';
import { contactCreationEvent, propertyChangeEvent } from '../../test/webhook-events.js';

const SIX_MINUTES_MS = 6 * 60 * 1000;

describe('serve: signed webhook batches end to end', () => {
  let environment: EnricherEnvironment;
  let service: RunningService;
  let dataDir: string;

  beforeAll(async () => {
    environment = await startEnricherEnvironment();
    await setupProperties(environment.gateway);
    dataDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-serve-'));
    service = await startService(serviceConfig(environment, dataDir));
  });
  afterAll(async () => {
    await service?.close();
    await environment?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(service.webhookUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const sign = (
    version: 'v1' | 'v2' | 'v3',
    body: string,
    extra: { secret?: string; timestamp?: number } = {},
  ) =>
    hubspotSignatureHeaders({
      version,
      clientSecret: extra.secret ?? TEST_CLIENT_SECRET,
      method: 'POST',
      url: service.webhookUrl,
      body,
      ...(extra.timestamp !== undefined ? { timestamp: extra.timestamp } : {}),
    });
  const statusOf = (id: string) => environment.hubspot.contacts.get(id)?.properties[PROPERTY_NAMES.status];
  const waitFor = async (condition: () => boolean, what: string) => {
    for (let attempt = 0; attempt < 200 && !condition(); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    if (!condition()) throw new Error(`timed out waiting for ${what}`);
  };

  it('processes v3, v2 and v1 signed batches and writes the verdicts back', async () => {
    const { hubspot } = environment;
    const [alice, ghost, bob] = hubspot.addContacts([
      { email: 'alice@acme.test' },
      { email: 'ghost@acme.test' },
      { email: 'nobody@gone.test' },
    ]) as [string, string, string];
    const v3Body = JSON.stringify([contactCreationEvent(101, alice), contactCreationEvent(102, ghost)]);
    const v2Body = JSON.stringify([propertyChangeEvent(103, bob, 'email', 'bob@acme.test')]);
    const v1Body = JSON.stringify([propertyChangeEvent(104, bob, 'firstname', 'Bob')]);

    expect((await post(v3Body, sign('v3', v3Body))).status).toBe(200);
    const v2 = await post(v2Body, sign('v2', v2Body));
    expect(v2.status).toBe(200);
    expect(await v2.json()).toEqual({ received: 1, queued: 1 });
    const v1 = await post(v1Body, sign('v1', v1Body));
    expect(v1.status).toBe(200);
    // Not an email change: acknowledged, never queued (so our own property writes cannot loop).
    expect(await v1.json()).toEqual({ received: 1, queued: 0 });

    await waitFor(
      () => statusOf(alice) !== undefined && statusOf(ghost) !== undefined && statusOf(bob) !== undefined,
      'write-back',
    );
    expect(statusOf(alice)).toBe('valid');
    expect(statusOf(ghost)).toBe('invalid');
    // The event's propertyValue (the new email) was verified, not the stale one stored on the contact.
    expect(statusOf(bob)).toBe('valid');
    expect(hubspot.contacts.get(bob)?.properties[PROPERTY_NAMES.reason]).toBe('accepted');
  });

  it('answers 401 to unsigned, forged, stale and replayed requests and never processes them', async () => {
    const { hubspot } = environment;
    const [target] = hubspot.addContacts([{ email: 'carol@acme.test' }]) as [string];
    // Fixed occurredAt: the same event id must always serialise to the same bytes.
    const body = (eventId: number) =>
      JSON.stringify([contactCreationEvent(eventId, target, 1_700_000_000_000 + eventId)]);
    const requestsBefore = hubspot.requests.length;

    expect((await post(body(201), {})).status).toBe(401);
    expect((await post(body(202), sign('v3', body(202), { secret: 'not-the-secret' }))).status).toBe(401);
    expect((await post(body(203), sign('v1', body(203), { secret: 'not-the-secret' }))).status).toBe(401);
    expect(
      (await post(body(204), sign('v3', body(204), { timestamp: Date.now() - SIX_MINUTES_MS }))).status,
    ).toBe(401);
    const tampered = sign('v3', body(205));
    expect((await post(body(206), tampered)).status).toBe(401);
    expect(service.queue.counts().pending).toBe(0);

    const accepted = sign('v3', body(207));
    expect((await post(body(207), accepted)).status).toBe(200);
    expect((await post(body(207), accepted)).status).toBe(401);
    const legacy = sign('v1', body(208));
    expect((await post(body(208), legacy)).status).toBe(200);
    expect((await post(body(208), legacy)).status).toBe(401);

    await waitFor(() => statusOf(target) !== undefined, 'write-back');
    await waitFor(() => service.queue.counts().pending === 0, 'queue drained');
    // Two accepted deliveries for one contact: at most two writes, and none from the rejected ones.
    expect(hubspot.writes.get(target)).toBeLessThanOrEqual(2);
    const batchUpdates = hubspot.requests
      .slice(requestsBefore)
      .filter((request) => request.path.endsWith('/batch/update'));
    const written = batchUpdates.flatMap((request) =>
      (request.body as { inputs: Array<{ id: string }> }).inputs.map((input) => input.id),
    );
    expect(new Set(written)).toEqual(new Set([target]));
  });

  it('rejects malformed events from a correctly signed request with 400', async () => {
    const body = JSON.stringify([{ eventId: 'not-a-number' }]);
    expect((await post(body, sign('v3', body))).status).toBe(400);
    const tooMany = JSON.stringify(
      Array.from({ length: 101 }, (_, index) => contactCreationEvent(900 + index, '1')),
    );
    expect((await post(tooMany, sign('v3', tooMany))).status).toBe(400);
  });
});
