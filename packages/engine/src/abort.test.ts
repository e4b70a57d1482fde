import { describe, expect, it } from 'vitest';
import { linkSignals, onAbort, sleep, untilAborted } from './abort.js';

describe('onAbort', () => {
  it('calls each callback once, in the order added, and never one that was forgotten', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    onAbort(controller.signal, () => calls.push('a'));
    const forgetB = onAbort(controller.signal, () => calls.push('b'));
    onAbort(controller.signal, () => calls.push('c'));
    forgetB();
    forgetB();
    controller.abort();
    controller.abort();
    expect(calls).toEqual(['a', 'c']);
  });

  it('keeps the callbacks of each signal apart', () => {
    const first = new AbortController();
    const second = new AbortController();
    const calls: string[] = [];
    onAbort(first.signal, () => calls.push('first'));
    onAbort(second.signal, () => calls.push('second'));
    second.abort();
    expect(calls).toEqual(['second']);
    first.abort();
    expect(calls).toEqual(['second', 'first']);
  });

  it('serves thousands of waits on one signal, each forgotten when it ends, and aborts the ones left', async () => {
    const controller = new AbortController();
    const settled = await Promise.all(
      Array.from({ length: 5000 }, (_, index) =>
        untilAborted(Promise.resolve(index), controller.signal).then((value) => value),
      ),
    );
    expect(settled).toHaveLength(5000);
    const left = Array.from({ length: 100 }, () => sleep(60_000, controller.signal).catch((error) => error));
    const linked = linkSignals(controller.signal, new AbortController().signal);
    controller.abort(new Error('stop'));
    expect((await Promise.all(left)).every((error) => (error as Error).message === 'stop')).toBe(true);
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe('stop');
  });
});
