import { describe, expect, it } from 'vitest';
import { ClaimBurst } from './claim-burst.js';

const LONG_MS = 10_000;

/** Whether `promise` has settled after the callbacks already queued have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('ClaimBurst', () => {
  it('opens once it is closed and every member is ready, each member counted once', async () => {
    const burst = new ClaimBurst(LONG_MS);
    const first = burst.join();
    const second = burst.join();
    const ready = burst.ready();
    first();
    first();
    expect(await settled(ready)).toBe(false);
    second();
    // Ready members, but the claim loop may still add one.
    expect(await settled(ready)).toBe(false);
    burst.close();
    expect(await settled(ready)).toBe(true);
    expect(await settled(burst.ready())).toBe(true);
  });

  it('opens at once when closed with every member ready already', async () => {
    const burst = new ClaimBurst(LONG_MS);
    burst.join()();
    burst.close();
    expect(await settled(burst.ready())).toBe(true);
  });

  it('lets a ready member go after maxWaitMs when another never gets ready', async () => {
    const waitMs = 50;
    const burst = new ClaimBurst(waitMs);
    burst.join()();
    burst.join();
    burst.close();
    const started = performance.now();
    await burst.ready();
    expect(performance.now() - started).toBeGreaterThanOrEqual(waitMs - 5);
  });
});
