import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnricherEnvironment, startEnricherEnvironment } from '../../test/enricher-environment.js';
import { serviceConfig, TEST_CLIENT_SECRET } from '../../test/service-config.js';
import { hubspotSignatureHeaders } from '../../test/sign-webhook.js';
import {
  contactCreationEvent,
  objectCreationEvent,
  objectPropertyChangeEvent,
  propertyChangeEvent,
} from '../../test/webhook-events.js';
import { PROPERTY_NAMES } from '../properties.js';
import { type RunningService, startService } from '../serve.js';
import { setupProperties } from '../setup.js';
import { MAX_WEBHOOK_BODY_BYTES } from './receiver.js';

const SIX_MINUTES_MS = 6 * 60 * 1000;

describe('serve: signed webhook batches end to end', () => {
  let environment: EnricherEnvironment;
  /** Default settings: v3 signatures only. */
  let service: RunningService;
  /** Opted in to HubSpot's legacy v1/v2 signatures. */
  let legacyService: RunningService;
  let dataDir: string;
  let legacyDataDir: string;

  beforeAll(async () => {
    environment = await startEnricherEnvironment();
    await setupProperties(environment.gateway);
    dataDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-serve-'));
    legacyDataDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-serve-legacy-'));
    service = await startService(serviceConfig(environment, dataDir));
    legacyService = await startService(
      serviceConfig(environment, legacyDataDir, { acceptedSignatureVersions: ['v3', 'v2', 'v1'] }),
    );
  });
  afterAll(async () => {
    await service?.close();
    await legacyService?.close();
    await environment?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(legacyDataDir, { recursive: true, force: true });
  });

  const post = (target: RunningService, body: string, headers: Record<string, string>) =>
    fetch(target.webhookUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const sign = (
    target: RunningService,
    version: 'v1' | 'v2' | 'v3',
    body: string,
    extra: { secret?: string; timestamp?: number } = {},
  ) =>
    hubspotSignatureHeaders({
      version,
      clientSecret: extra.secret ?? TEST_CLIENT_SECRET,
      method: 'POST',
      url: target.webhookUrl,
      body,
      ...(extra.timestamp !== undefined ? { timestamp: extra.timestamp } : {}),
    });
  const statusOf = (id: string) => environment.hubspot.contacts.get(id)?.properties[PROPERTY_NAMES.status];
  const waitFor = async (condition: () => boolean, what: string) => {
    for (let attempt = 0; attempt < 200 && !condition(); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    if (!condition()) throw new Error(`timed out waiting for ${what}`);
  };

  it('processes legacy contact.* events through the receiver and worker to written properties', async () => {
    const { hubspot } = environment;
    const [alice, ghost, bob] = hubspot.addContacts([
      { email: 'alice@acme.test' },
      { email: 'ghost@acme.test' },
      { email: 'nobody@gone.test' },
    ]) as [string, string, string];
    const body = JSON.stringify([
      contactCreationEvent(101, alice),
      contactCreationEvent(102, ghost),
      propertyChangeEvent(103, bob, 'email', 'bob@acme.test'),
      // Not an email change: acknowledged, never queued (so our own property writes cannot loop).
      propertyChangeEvent(104, bob, 'firstname', 'Bob'),
      propertyChangeEvent(105, bob, PROPERTY_NAMES.status, 'valid'),
    ]);
    const response = await post(service, body, sign(service, 'v3', body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 5, queued: 3 });

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

  it('processes generic object.* events for objectTypeId 0-1 and ignores other object types', async () => {
    const { hubspot } = environment;
    const [carol, lost, dave, company] = hubspot.addContacts([
      { email: 'carol@acme.test' },
      { email: 'lost@acme.test' },
      { email: 'old@gone.test' },
      { email: 'company-shaped@acme.test' },
    ]) as [string, string, string, string];
    const body = JSON.stringify([
      objectCreationEvent(301, carol),
      objectCreationEvent(302, lost),
      objectPropertyChangeEvent(303, dave, 'email', 'bob@acme.test'),
      objectPropertyChangeEvent(304, dave, 'firstname', 'Dave'),
      // A company (0-2) whose id happens to be a contact's id too: never touched.
      objectCreationEvent(305, company, '0-2'),
      objectPropertyChangeEvent(306, company, 'email', 'alice@acme.test', '0-2'),
      // A generic event without objectTypeId cannot be known to be a contact.
      { ...objectCreationEvent(307, company), objectTypeId: undefined },
    ]);
    const response = await post(service, body, sign(service, 'v3', body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 7, queued: 3 });

    await waitFor(
      () => statusOf(carol) !== undefined && statusOf(lost) !== undefined && statusOf(dave) !== undefined,
      'write-back',
    );
    await waitFor(() => service.queue.counts().pending === 0, 'queue drained');
    expect(statusOf(carol)).toBe('valid');
    expect(statusOf(lost)).toBe('invalid');
    expect(hubspot.contacts.get(lost)?.properties[PROPERTY_NAMES.reason]).toBe('mailbox_not_found');
    expect(statusOf(dave)).toBe('valid');
    expect(statusOf(company)).toBeUndefined();
    expect(hubspot.writes.get(company)).toBeUndefined();
  });

  it('refuses legacy v1/v2 signatures by default and accepts them only when opted in', async () => {
    const { hubspot } = environment;
    const [erin, frank] = hubspot.addContacts([
      { email: 'alice@acme.test' },
      { email: 'ghost@acme.test' },
    ]) as [string, string];
    const v2Body = JSON.stringify([objectCreationEvent(401, erin)]);
    const v1Body = JSON.stringify([contactCreationEvent(402, frank)]);
    expect((await post(service, v2Body, sign(service, 'v2', v2Body))).status).toBe(401);
    expect((await post(service, v1Body, sign(service, 'v1', v1Body))).status).toBe(401);
    expect(service.queue.counts().pending).toBe(0);

    const v2 = await post(legacyService, v2Body, sign(legacyService, 'v2', v2Body));
    expect(v2.status).toBe(200);
    expect(await v2.json()).toEqual({ received: 1, queued: 1 });
    expect((await post(legacyService, v1Body, sign(legacyService, 'v1', v1Body))).status).toBe(200);
    await waitFor(() => statusOf(erin) !== undefined && statusOf(frank) !== undefined, 'write-back');
    expect([statusOf(erin), statusOf(frank)]).toEqual(['valid', 'invalid']);
  });

  it('answers 401 to unsigned, forged, stale and replayed requests and never processes them', async () => {
    const { hubspot } = environment;
    const [target] = hubspot.addContacts([{ email: 'carol@acme.test' }]) as [string];
    // Fixed occurredAt: the same event id must always serialise to the same bytes.
    const body = (eventId: number) =>
      JSON.stringify([contactCreationEvent(eventId, target, 1_700_000_000_000 + eventId)]);
    const requestsBefore = hubspot.requests.length;

    expect((await post(service, body(201), {})).status).toBe(401);
    expect(
      (await post(service, body(202), sign(service, 'v3', body(202), { secret: 'not-the-secret' }))).status,
    ).toBe(401);
    expect(
      (
        await post(
          legacyService,
          body(203),
          sign(legacyService, 'v1', body(203), { secret: 'not-the-secret' }),
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await post(
          service,
          body(204),
          sign(service, 'v3', body(204), { timestamp: Date.now() - SIX_MINUTES_MS }),
        )
      ).status,
    ).toBe(401);
    const tampered = sign(service, 'v3', body(205));
    expect((await post(service, body(206), tampered)).status).toBe(401);
    expect(service.queue.counts().pending).toBe(0);

    const accepted = sign(service, 'v3', body(207));
    expect((await post(service, body(207), accepted)).status).toBe(200);
    expect((await post(service, body(207), accepted)).status).toBe(401);
    // The same signature with its base64 padding changed is the same request: still a replay.
    const v3 = accepted['x-hubspot-signature-v3'] as string;
    for (const respelled of [v3.replace(/=+$/, ''), `${v3.replace(/=+$/, '')}==`]) {
      expect(respelled).not.toBe(v3);
      const replay = await post(service, body(207), { ...accepted, 'x-hubspot-signature-v3': respelled });
      expect(replay.status).toBe(401);
    }
    const legacy = sign(legacyService, 'v1', body(208));
    expect((await post(legacyService, body(208), legacy)).status).toBe(200);
    expect((await post(legacyService, body(208), legacy)).status).toBe(401);
    const upperCased = {
      ...legacy,
      'x-hubspot-signature': (legacy['x-hubspot-signature'] as string).toUpperCase(),
    };
    expect((await post(legacyService, body(208), upperCased)).status).toBe(401);

    await waitFor(() => statusOf(target) !== undefined, 'write-back');
    await waitFor(
      () => service.queue.counts().pending === 0 && legacyService.queue.counts().pending === 0,
      'queues drained',
    );
    // Two accepted deliveries for one contact: at most two writes, and none from the rejected ones.
    expect(hubspot.writes.get(target)).toBeLessThanOrEqual(2);
    expect(service.queue.counts().done + service.queue.counts().skipped).toBeGreaterThan(0);
    const batchUpdates = hubspot.requests
      .slice(requestsBefore)
      .filter((request) => request.path.endsWith('/batch/update'));
    const written = batchUpdates.flatMap((request) =>
      (request.body as { inputs: Array<{ id: string }> }).inputs.map((input) => input.id),
    );
    expect(new Set(written)).toEqual(new Set([target]));
  });

  it('with legacy signatures on, never falls back to v2/v1 for a delivery or an event that carried v3', async () => {
    const { hubspot } = environment;
    const [target] = hubspot.addContacts([{ email: 'dave@acme.test' }]) as [string];
    const body = JSON.stringify([contactCreationEvent(501, target, 1_700_000_000_501)]);
    const both = { ...sign(legacyService, 'v3', body), ...sign(legacyService, 'v2', body) };
    const first = await post(legacyService, body, both);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: 1, queued: 1 });
    const pending = legacyService.queue.counts();

    // The same delivery replayed with its v3 header stripped: its v2 signature alone must not pass.
    const { 'x-hubspot-signature-v3': _v3, 'x-hubspot-request-timestamp': _timestamp, ...v2Only } = both;
    const stripped = await post(legacyService, body, v2Only);
    expect(stripped.status).toBe(401);
    expect(await stripped.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    // A v2-signed delivery of the same event id (other bytes, so another signature): refused too.
    const again = JSON.stringify([
      { ...contactCreationEvent(501, target, 1_700_000_000_501), attemptNumber: 1 },
    ]);
    expect((await post(legacyService, again, sign(legacyService, 'v2', again))).status).toBe(401);
    expect((await post(legacyService, again, sign(legacyService, 'v1', again))).status).toBe(401);
    expect(legacyService.queue.counts()).toEqual(pending);

    // Other events still pass on v2 alone, as opted in.
    const other = JSON.stringify([contactCreationEvent(502, target, 1_700_000_000_502)]);
    expect((await post(legacyService, other, sign(legacyService, 'v2', other))).status).toBe(200);
  });

  it('answers a body over the limit with 413 in the project error shape', async () => {
    const body = `[${' '.repeat(MAX_WEBHOOK_BODY_BYTES)}]`;
    const response = await post(service, body, sign(service, 'v3', body));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: 'payload_too_large', message: expect.stringContaining(String(MAX_WEBHOOK_BODY_BYTES)) },
    });
  });

  it('rejects malformed events from a correctly signed request with 400', async () => {
    const body = JSON.stringify([{ eventId: 'not-a-number' }]);
    expect((await post(service, body, sign(service, 'v3', body))).status).toBe(400);
    const tooMany = JSON.stringify(
      Array.from({ length: 101 }, (_, index) => contactCreationEvent(900 + index, '1')),
    );
    expect((await post(service, tooMany, sign(service, 'v3', tooMany))).status).toBe(400);
  });
});
