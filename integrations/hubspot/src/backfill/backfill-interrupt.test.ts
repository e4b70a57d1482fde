import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../../test/child-service.js';
import { type EnricherEnvironment, startEnricherEnvironment } from '../../test/enricher-environment.js';
import { serviceEnv } from '../../test/service-config.js';
import { PROPERTY_NAMES } from '../properties.js';
import { setupProperties } from '../setup.js';
import { runBackfill } from './backfill.js';
import { readCheckpoint } from './checkpoint.js';

const PAGE = 100;

/** Runs `mailprobe-hubspot backfill` in a child; resolves its exit code and output. */
function childBackfill(env: Record<string, string>) {
  const child = spawnCli(['backfill'], env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('backfill interrupted: Ctrl-C and kill -9', () => {
  let environment: EnricherEnvironment;
  const dataDirs: string[] = [];
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-interrupt-'));
    dataDirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    environment = await startEnricherEnvironment({ hubspot: { searchLimit: null, burstLimit: null } });
    await setupProperties(environment.gateway);
  });
  afterAll(async () => {
    await environment?.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  const resetContacts = (emails: string[]) => {
    const { hubspot } = environment;
    for (const id of [...hubspot.contacts.keys()]) hubspot.deleteContact(id);
    hubspot.writes.clear();
    return hubspot.addContacts(emails.map((email) => ({ email })));
  };

  it('checks the signal between search and verify: a Ctrl-C during the search verifies nothing more', async () => {
    const { hubspot, gateway, verifier } = environment;
    resetContacts(Array.from({ length: 250 }, (_, index) => `user${index}@acme.test`));
    const dataDir = newDataDir();
    const controller = new AbortController();
    // The second search is held at the fake while the "user" presses Ctrl-C.
    const held = hubspot.holdRequests('/search', { skip: 1 });
    const run = runBackfill({ gateway, verifier, dataDir, staleDays: null, signal: controller.signal });
    await held.waitForHeldRequest();
    controller.abort();
    held.release();
    const summary = await run;
    expect(summary).toMatchObject({ completed: false, searches: 2 });
    expect(summary.counts).toMatchObject({ processed: PAGE, written: PAGE });
    // The page the second search returned was neither verified nor written.
    expect(hubspot.writes.size).toBe(PAGE);
    expect(readCheckpoint(dataDir)?.counts.processed).toBe(PAGE);
    expect(hubspot.specViolations).toEqual([]);
  });

  it('Ctrl-C while core verifies exits 130 with a summary, and the same command resumes', async () => {
    const { hubspot } = environment;
    // The second page's addresses sit on a slow MX, so its verify is in flight when SIGINT arrives.
    const ids = resetContacts(
      Array.from({ length: 150 }, (_, index) => (index < PAGE ? `user${index}@acme.test` : 'sam@slow.test')),
    );
    const env = serviceEnv(environment, newDataDir());
    const run = childBackfill(env);
    for (let attempt = 0; attempt < 400 && hubspot.writes.size < PAGE; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hubspot.writes.size, JSON.stringify(run.output())).toBe(PAGE);
    // Give the second search time to land and the verify of the slow page to start.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stderr).toBe(130);
    expect(stdout).toContain('backfill interrupted; run the same command again to resume');
    expect(stdout).toContain(`contacts processed: ${PAGE}`);
    expect(stdout).toContain(`written back: ${PAGE}`);
    expect(stderr).not.toContain('The request was aborted');

    const resumed = childBackfill(env);
    const done = await resumed.exited;
    expect(done.code, resumed.output().stderr).toBe(0);
    expect(resumed.output().stdout).toContain('resumed from a checkpoint');
    expect(resumed.output().stdout).toContain('contacts processed: 150');
    expect(hubspot.contacts.get(ids[149] as string)?.properties[PROPERTY_NAMES.status]).toBe('valid');
    expect(hubspot.specViolations).toEqual([]);
  }, 120_000);

  it('kill -9 after a write landed but before its checkpoint: the resumed summary counts what was written', async () => {
    const { hubspot, gateway, verifier } = environment;
    const ids = resetContacts(
      Array.from({ length: 250 }, (_, index) =>
        index % 2 === 0 ? 'alice@acme.test' : `nobody${index}@acme.test`,
      ),
    );
    const dataDir = newDataDir();
    // The second batch update is applied at HubSpot; the process dies before it hears so.
    const held = hubspot.holdRequests('/batch/update', { afterApply: true, skip: 1 });
    const run = childBackfill(serviceEnv(environment, dataDir));
    await held.waitForHeldRequest();
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    held.release();
    expect(hubspot.writes.size).toBe(2 * PAGE);
    expect(readCheckpoint(dataDir)?.counts.processed).toBe(PAGE);

    const resumed = await runBackfill({ gateway, verifier, dataDir, staleDays: null });
    expect(resumed).toMatchObject({ completed: true, resumed: true });
    expect(resumed.counts.processed).toBe(250);
    expect(resumed.counts.written).toBe(250);
    expect(resumed.counts.byStatus).toEqual({ VALID: 125, INVALID: 125, UNKNOWN: 0 });
    expect(hubspot.writes.size).toBe(250);
    expect([...hubspot.writes.values()].every((count) => count === 1)).toBe(true);
    expect(hubspot.contacts.get(ids[248] as string)?.properties[PROPERTY_NAMES.status]).toBe('valid');
    expect(hubspot.specViolations).toEqual([]);
  }, 120_000);
});
