import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildService, startChildService } from '../test/child-service.js';
import { type EnricherEnvironment, startEnricherEnvironment } from '../test/enricher-environment.js';
import { serviceEnv, TEST_CLIENT_SECRET } from '../test/service-config.js';
import { hubspotSignatureHeaders } from '../test/sign-webhook.js';
import { contactCreationEvent } from '../test/webhook-events.js';
import { PROPERTY_NAMES } from './properties.js';
import { setupProperties } from './setup.js';
import { openDatabase } from './store/database.js';
import { createEventQueue } from './store/event-queue.js';

const SOCKET_CLOSE_GRACE_MS = 200;

describe('serve: kill -9 between acknowledgement and write-back', () => {
  let environment: EnricherEnvironment;
  let dataDir: string;
  let running: ChildService | null = null;

  beforeAll(async () => {
    environment = await startEnricherEnvironment();
    await setupProperties(environment.gateway);
    dataDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-crash-'));
  });
  afterAll(async () => {
    await running?.kill('SIGKILL');
    await environment?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing: the restarted service writes every acknowledged contact exactly once', async () => {
    const { hubspot } = environment;
    const ids = hubspot.addContacts([
      { email: 'alice@acme.test' },
      { email: 'ghost@acme.test' },
      { email: 'bob@acme.test' },
    ]);
    const env = serviceEnv(environment, dataDir);

    running = await startChildService(env);
    const held = hubspot.holdContactWrites();
    const body = JSON.stringify(ids.map((id, index) => contactCreationEvent(500 + index, id)));
    const headers = hubspotSignatureHeaders({
      version: 'v3',
      clientSecret: TEST_CLIENT_SECRET,
      method: 'POST',
      url: running.webhookUrl,
      body,
    });
    const response = await fetch(running.webhookUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 3, queued: 3 });

    // The worker has verified and is now waiting on the batch update: kill it right there.
    await held.waitForHeldRequest();
    await running.kill('SIGKILL');
    running = null;
    await new Promise((resolve) => setTimeout(resolve, SOCKET_CLOSE_GRACE_MS));
    held.release();
    await new Promise((resolve) => setTimeout(resolve, SOCKET_CLOSE_GRACE_MS));
    // The held batch update was dropped unapplied because its client had died.
    expect(hubspot.requests.some((request) => request.status === 499)).toBe(true);
    for (const id of ids) expect(hubspot.contacts.get(id)?.properties[PROPERTY_NAMES.status]).toBeUndefined();

    const database = openDatabase(dataDir);
    expect(createEventQueue(database).counts().pending).toBe(3);
    database.close();

    running = await startChildService(env);
    for (let attempt = 0; attempt < 300; attempt++) {
      if (ids.every((id) => hubspot.contacts.get(id)?.properties[PROPERTY_NAMES.status] !== undefined)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(ids.map((id) => hubspot.contacts.get(id)?.properties[PROPERTY_NAMES.status])).toEqual([
      'valid',
      'invalid',
      'valid',
    ]);
    expect(ids.map((id) => hubspot.writes.get(id))).toEqual([1, 1, 1]);
    expect(await running.kill('SIGTERM')).toBe(0);
    running = null;

    const after = openDatabase(dataDir);
    expect(createEventQueue(after).counts()).toMatchObject({ pending: 0, done: 3 });
    after.close();
  });
});
