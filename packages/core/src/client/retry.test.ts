import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, sleep } from './retry.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it.each([
    ['0', 0],
    ['1', 1000],
    [' 120 ', 120_000],
    ['Wed, 01 Jan 2025 00:00:05 GMT', 5000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
  ])('%j → %d ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([[null], ['soon'], ['-5'], ['1.5'], ['']])('%j is unreadable', (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });
});

describe('backoffDelay (full jitter)', () => {
  it('doubles the ceiling each attempt up to the maximum', () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, 100, 1000, top))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
  });

  it('may pick any wait from zero up', () => {
    expect(backoffDelay(3, 100, 1000, () => 0)).toBe(0);
    expect(backoffDelay(3, 100, 1000, () => 0.5)).toBe(400);
  });
});

describe('sleep', () => {
  it('rejects with an aborted ProberApiError when the signal fires', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'ProberApiError', code: 'aborted', status: 0 });
  });

  it('resolves after the wait', async () => {
    await expect(sleep(5, new AbortController().signal)).resolves.toBeUndefined();
  });
});
