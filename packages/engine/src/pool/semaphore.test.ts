import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('grants slots in FIFO order and hands a released slot to the next waiter', async () => {
    const semaphore = new Semaphore(1);
    const first = await semaphore.acquire();
    const order: number[] = [];
    const second = semaphore.acquire().then((release) => {
      order.push(2);
      return release;
    });
    const third = semaphore.acquire().then((release) => {
      order.push(3);
      return release;
    });
    expect(semaphore.waiting).toBe(2);
    first();
    first();
    (await second)();
    (await third)();
    expect(order).toEqual([2, 3]);
    expect(semaphore.active).toBe(0);
  });

  it('stops waiting when the signal aborts', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(semaphore.waiting).toBe(0);
  });
});
