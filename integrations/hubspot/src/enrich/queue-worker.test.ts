import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EnricherEnvironment, startEnricherEnvironment } from '../../test/enricher-environment.js';
import { PROPERTY_NAMES } from '../properties.js';
import { setupProperties } from '../setup.js';
import { openDatabase } from '../store/database.js';
import { createEventQueue } from '../store/event-queue.js';
import { createQueueWorker } from './queue-worker.js';

describe('queue worker against the real prober and the fake HubSpot API', () => {
  let environment: EnricherEnvironment;
  let dataDir: string;
  beforeAll(async () => {
    environment = await startEnricherEnvironment();
    await setupProperties(environment.gateway);
    dataDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-worker-'));
  });
  afterAll(async () => {
    await environment?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('de-duplicates, reads missing emails, verifies, writes back and skips deleted contacts', async () => {
    const { hubspot } = environment;
    const [alice, ghost, bob, nobody, deleted] = hubspot.addContacts([
      { email: 'alice@acme.test' },
      { email: 'ghost@acme.test' },
      { email: 'old@acme.test' },
      {},
      { email: 'carol@acme.test' },
    ]) as [string, string, string, string, string];
    hubspot.deleteContact(deleted);
    const database = openDatabase(dataDir);
    const queue = createEventQueue(database);
    const event = (
      eventId: string,
      contactId: string,
      occurredAt: number,
      email: string | null,
      kind: 'creation' | 'email_change' = 'creation',
    ) => ({ eventId, contactId, kind, email, occurredAt });
    expect(
      queue.enqueue([
        event('1', alice, 1, null),
        event('2', ghost, 2, null),
        event('3', bob, 3, null),
        event('4', bob, 4, 'bob@acme.test', 'email_change'),
        event('5', nobody, 5, null),
        event('6', deleted, 6, null),
      ]),
    ).toBe(6);
    expect(queue.enqueue([event('1', alice, 1, null)])).toBe(0);

    const worker = createQueueWorker({ queue, gateway: environment.gateway, verifier: environment.verifier });
    const report = await worker.drain();
    expect(report).toMatchObject({ contacts: 5, written: 3, missing: 1, noEmail: 1, failed: 0 });
    expect(hubspot.contacts.get(alice)?.properties[PROPERTY_NAMES.status]).toBe('valid');
    expect(hubspot.contacts.get(alice)?.properties[PROPERTY_NAMES.reason]).toBe('accepted');
    expect(hubspot.contacts.get(ghost)?.properties[PROPERTY_NAMES.status]).toBe('invalid');
    expect(hubspot.contacts.get(ghost)?.properties[PROPERTY_NAMES.reason]).toBe('mailbox_not_found');
    // The newer email of the two events for the same contact won.
    expect(hubspot.contacts.get(bob)?.properties[PROPERTY_NAMES.status]).toBe('valid');
    expect(hubspot.writes.get(bob)).toBe(1);
    expect(queue.counts()).toEqual({ pending: 0, done: 3, skipped: 3, failed: 0 });
    database.close();
  });

  it('keeps its abort listeners flat while idle (none leaks per poll)', async () => {
    // Every AbortSignal anything registers an abort listener on while the worker idles.
    const signals = new Set<AbortSignal>();
    const addEventListener = EventTarget.prototype.addEventListener;
    const spy = vi.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (
      this: EventTarget,
      ...args: Parameters<EventTarget['addEventListener']>
    ) {
      if (this instanceof AbortSignal) signals.add(this);
      return addEventListener.apply(this, args);
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const idleDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-idle-'));
    const database = openDatabase(idleDir);
    const queue = createEventQueue(database);
    let polls = 0;
    const countingQueue = {
      ...queue,
      claim: (...args: Parameters<typeof queue.claim>) => {
        polls++;
        return queue.claim(...args);
      },
    };
    const abortListeners = () =>
      [...signals]
        .filter((signal) => !signal.aborted)
        .reduce((sum, signal) => sum + getEventListeners(signal, 'abort').length, 0);
    const worker = createQueueWorker({
      queue: countingQueue,
      gateway: environment.gateway,
      verifier: environment.verifier,
      settings: { pollIntervalMs: 2 },
    });
    try {
      worker.start();
      await delay(100);
      const early = abortListeners();
      const pollsEarly = polls;
      // Far more polls than EventTarget's warning threshold of 10 listeners (however slow the machine is).
      for (let waited = 0; polls - pollsEarly <= 40 && waited < 10_000; waited += 50) await delay(50);
      const late = abortListeners();
      expect(polls - pollsEarly).toBeGreaterThan(40);
      // A leak adds one listener per poll (40+); other traffic in this process may hold a stray one or two.
      expect(late - early).toBeLessThan(5);
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      await worker.stop();
      spy.mockRestore();
      process.off('warning', onWarning);
      database.close();
      rmSync(idleDir, { recursive: true, force: true });
    }
  });
});
