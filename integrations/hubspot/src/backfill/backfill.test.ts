import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnricherEnvironment, startEnricherEnvironment } from '../../test/enricher-environment.js';
import { PROPERTY_NAMES } from '../properties.js';
import { setupProperties } from '../setup.js';
import { runBackfill } from './backfill.js';
import { CHECKPOINT_FILE, readCheckpoint } from './checkpoint.js';

const CONTACT_COUNT = 25_000;
const STOP_AFTER = 12_000;
const DAY_MS = 24 * 60 * 60 * 1000;

describe('backfill of 25,000 contacts against the real prober and the fake HubSpot API', () => {
  let environment: EnricherEnvironment;
  let dataDir: string;

  beforeAll(async () => {
    environment = await startEnricherEnvironment({ hubspot: { searchLimit: null, burstLimit: null } });
    await setupProperties(environment.gateway);
    dataDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-backfill-'));
  });
  afterAll(async () => {
    await environment?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('crosses the 10,000-result search cap, stops, resumes, and writes every contact exactly once', async () => {
    const { hubspot, gateway, verifier } = environment;
    const emails = Array.from({ length: CONTACT_COUNT }, (_, index) =>
      index % 10 === 0
        ? 'alice@acme.test'
        : index % 10 === 1
          ? `lead${index}@catchall.test`
          : `user${index}@acme.test`,
    );
    const ids = hubspot.addContacts(emails.map((email) => ({ email })));
    hubspot.addContacts([{ firstname: 'No email' }]);

    const controller = new AbortController();
    const first = await runBackfill({
      gateway,
      verifier,
      dataDir,
      staleDays: null,
      signal: controller.signal,
      onProgress: ({ counts }) => {
        if (counts.processed >= STOP_AFTER) controller.abort();
      },
    });
    expect(first.completed).toBe(false);
    expect(first.counts.processed).toBe(STOP_AFTER);
    expect(readCheckpoint(dataDir)?.lastId).toBe(ids[STOP_AFTER - 1]);

    const second = await runBackfill({ gateway, verifier, dataDir, staleDays: null });
    expect(second.completed).toBe(true);
    expect(second.resumed).toBe(true);
    expect(second.counts.processed).toBe(CONTACT_COUNT);
    expect(second.counts.written).toBe(CONTACT_COUNT);
    expect(second.counts.byStatus).toEqual({ VALID: 2500, INVALID: 20_000, UNKNOWN: 2500 });
    expect(existsSync(join(dataDir, CHECKPOINT_FILE))).toBe(false);

    // Exactly once per contact, and the search never hit the cap's 400.
    expect(hubspot.writes.size).toBe(CONTACT_COUNT);
    expect([...hubspot.writes.values()].every((count) => count === 1)).toBe(true);
    const searches = hubspot.requests.filter((request) => request.path.endsWith('/search'));
    expect(searches.every((request) => request.status === 200)).toBe(true);
    // Every page is a fresh search from the last id: the spec-required cursor is always "0".
    expect(searches.every((request) => (request.body as { after?: string }).after === '0')).toBe(true);
    expect(hubspot.specViolations).toEqual([]);
    expect(hubspot.contacts.get(ids[0] as string)?.properties[PROPERTY_NAMES.status]).toBe('valid');
    expect(hubspot.contacts.get(ids[1] as string)?.properties[PROPERTY_NAMES.catchAll]).toBe('true');
    expect(hubspot.contacts.get(ids[2] as string)?.properties[PROPERTY_NAMES.reason]).toBe(
      'mailbox_not_found',
    );

    const third = await runBackfill({ gateway, verifier, dataDir, staleDays: null });
    expect(third.counts.processed).toBe(0);
    expect(hubspot.writes.size).toBe(CONTACT_COUNT);
  }, 600_000);
});

describe('backfill selection and dry run', () => {
  let environment: EnricherEnvironment;
  let dataDir: string;

  beforeAll(async () => {
    environment = await startEnricherEnvironment();
    await setupProperties(environment.gateway);
    dataDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-backfill-'));
  });
  afterAll(async () => {
    await environment?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('re-verifies only contacts checked before now − stale days; a dry run writes nothing', async () => {
    const { hubspot, gateway, verifier } = environment;
    const now = Date.now();
    const [stale, fresh, never] = hubspot.addContacts([
      { email: 'alice@acme.test', [PROPERTY_NAMES.checkedAt]: new Date(now - 40 * DAY_MS).toISOString() },
      { email: 'bob@acme.test', [PROPERTY_NAMES.checkedAt]: new Date(now - 2 * DAY_MS).toISOString() },
      { email: 'carol@acme.test' },
    ]) as [string, string, string];

    const dry = await runBackfill({ gateway, verifier, dataDir, staleDays: 30, dryRun: true });
    expect(dry).toMatchObject({ completed: true, dryRun: true });
    expect(dry.counts).toMatchObject({ processed: 2, written: 0 });
    expect(hubspot.writes.size).toBe(0);
    expect(hubspot.requests.some((request) => request.path.endsWith('/batch/update'))).toBe(false);

    const neverOnly = await runBackfill({ gateway, verifier, dataDir, staleDays: null });
    expect(neverOnly.counts.written).toBe(1);
    expect([...hubspot.writes.keys()]).toEqual([never]);

    const withStale = await runBackfill({ gateway, verifier, dataDir, staleDays: 30 });
    expect(withStale.counts.written).toBe(1);
    expect(hubspot.writes.get(stale)).toBe(1);
    expect(hubspot.writes.get(fresh)).toBeUndefined();
  });
});
