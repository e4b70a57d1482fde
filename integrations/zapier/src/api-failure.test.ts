import { describe, expect, it } from 'vitest';
import { classifyApiFailure, retryDelaySeconds } from './api-failure.js';
import { DEFAULT_RETRY_DELAY_SECONDS } from './constants.js';

const body = (code: string, message: string) => ({ error: { code, message } });
const NOW = Date.parse('2025-01-01T10:00:00Z');

describe('classifyApiFailure', () => {
  it('asks to reconnect for unauthorized and forbidden keys', () => {
    expect(classifyApiFailure(401, body('unauthorized', 'unknown API key'), null)).toMatchObject({
      kind: 'auth',
      code: 'unauthorized',
    });
    expect(classifyApiFailure(403, body('forbidden', 'the key was revoked'), null)).toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('the key was revoked'),
    });
  });

  it('retries rate_limited after Retry-After seconds or an HTTP date', () => {
    expect(classifyApiFailure(429, body('rate_limited', 'slow down'), '17', NOW)).toMatchObject({
      kind: 'retry',
      delaySeconds: 17,
    });
    expect(
      classifyApiFailure(429, body('rate_limited', 'slow down'), 'Wed, 01 Jan 2025 10:01:30 GMT', NOW),
    ).toMatchObject({
      kind: 'retry',
      delaySeconds: 90,
    });
  });

  it('never retries quota_exceeded, although it is a 429 with Retry-After', () => {
    expect(classifyApiFailure(429, body('quota_exceeded', 'quota used'), '3600')).toMatchObject({
      kind: 'fail',
      code: 'quota_exceeded',
      status: 429,
    });
  });

  it('retries 5xx, also without a JSON body (a proxy in between), after the default delay', () => {
    expect(classifyApiFailure(503, body('unavailable', 'shutting down'), '5')).toMatchObject({
      kind: 'retry',
      code: 'unavailable',
      delaySeconds: 5,
    });
    expect(classifyApiFailure(502, '<html>Bad Gateway</html>', null)).toMatchObject({
      kind: 'retry',
      code: 'unavailable',
      delaySeconds: DEFAULT_RETRY_DELAY_SECONDS,
      message: expect.stringContaining('HTTP 502'),
    });
  });

  it("passes other 4xx on with the API's message", () => {
    expect(classifyApiFailure(400, body('bad_request', 'body.email: too long'), null)).toEqual({
      kind: 'fail',
      code: 'bad_request',
      status: 400,
      message: 'Mailprobe could not do this: body.email: too long',
    });
    expect(classifyApiFailure(418, undefined, null)).toEqual({
      kind: 'fail',
      code: 'http_error',
      status: 418,
      message: 'Mailprobe answered HTTP 418.',
    });
  });
});

describe('retryDelaySeconds', () => {
  it('rounds up to whole seconds, at least one, and falls back when unreadable', () => {
    expect(retryDelaySeconds('0', NOW)).toBe(1);
    expect(retryDelaySeconds('Wed, 01 Jan 2025 10:00:00 GMT', NOW)).toBe(1);
    expect(retryDelaySeconds('soon', NOW)).toBe(DEFAULT_RETRY_DELAY_SECONDS);
    expect(retryDelaySeconds(undefined, NOW)).toBe(DEFAULT_RETRY_DELAY_SECONDS);
  });
});
