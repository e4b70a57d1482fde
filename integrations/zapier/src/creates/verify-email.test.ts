import { REASON_DESCRIPTIONS } from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTester } from 'zapier-platform-core';
import {
  type AuthData,
  LEADS,
  type LiveService,
  startLiveService,
  TARPIT_REPLY_DELAY_MS,
} from '../../test/live-service.js';
import { zapierErrorOf } from '../../test/zapier-error.js';
import app from '../index.js';
import { VERIFICATION_OUTPUT_FIELDS, VERIFICATION_SAMPLE } from '../verification-output.js';
import { MAX_TIME_LIMIT_SECONDS } from '../verify-address.js';
import { performVerifyEmail, verifyEmail } from './verify-email.js';

const appTester = createAppTester(app);
let service: LiveService;
let authData: AuthData;

beforeAll(async () => {
  service = await startLiveService();
  authData = await service.connect('Verify Email tests');
});
afterAll(() => service?.close());

const verify = (email: string, fresh?: boolean) =>
  appTester(performVerifyEmail, {
    authData,
    inputData: { email, ...(fresh === undefined ? {} : { fresh }) },
  });

describe('Verify Email Address', () => {
  it('finds a valid lead VALID, with flat fields for Filter and Paths steps', async () => {
    const result = await verify(LEADS.valid);
    expect(result).toMatchObject({
      email: LEADS.valid,
      normalized: LEADS.valid,
      domain: 'acme.test',
      status: 'VALID',
      reason: 'accepted',
      is_valid: true,
      is_invalid: false,
      is_unknown: false,
      catch_all: false,
      mx_host: 'mx.acme.test',
      provider: 'other',
      cached: false,
    });
    expect(result.summary).toBe(`Deliverable: ${REASON_DESCRIPTIONS.accepted}`);
    expect(Date.parse(result.checked_at)).not.toBeNaN();
  });

  it('finds a lead whose mailbox does not exist INVALID (a result, not an error)', async () => {
    const result = await verify(LEADS.invalid);
    expect(result).toMatchObject({
      status: 'INVALID',
      reason: 'mailbox_not_found',
      is_invalid: true,
      is_valid: false,
    });
    expect(result.summary).toContain('Undeliverable');
  });

  it('reports a catch-all domain as UNKNOWN catch_all with the catch-all flag set', async () => {
    const result = await verify(LEADS.catchAll);
    expect(result).toMatchObject({
      status: 'UNKNOWN',
      reason: 'catch_all',
      is_unknown: true,
      catch_all: true,
    });
  });

  it('answers a repeat from the cache, and probes again when Skip Cache is true', async () => {
    const first = await verify('ANN.LEE@ACME.TEST');
    const again = await verify('ANN.LEE@ACME.TEST', false);
    const fresh = await verify('ANN.LEE@ACME.TEST', true);
    expect([first.cached, again.cached, fresh.cached]).toEqual([false, true, false]);
  });

  it('reports an unparseable address INVALID invalid_syntax', async () => {
    const result = await verify('not an address');
    expect(result).toMatchObject({ status: 'INVALID', reason: 'invalid_syntax', normalized: null });
  });

  it('returns exactly the declared output fields, as the sample does', async () => {
    const result = await verify(LEADS.valid);
    const declared = VERIFICATION_OUTPUT_FIELDS.map((field) => field.key).sort();
    expect(Object.keys(result).sort()).toEqual(declared);
    expect(Object.keys(VERIFICATION_SAMPLE).sort()).toEqual(declared);
    expect(verifyEmail.operation.sample).toEqual(VERIFICATION_SAMPLE);
  });
});

describe('Verify Email Address within Zapier’s action limit', () => {
  it('sends a time budget and returns UNKNOWN timeout as a result when the mail server is too slow', async () => {
    const started = Date.now();
    const result = await appTester(performVerifyEmail, {
      authData,
      inputData: { email: LEADS.slow, time_limit: '1' },
    });
    const elapsedMs = Date.now() - started;
    expect(result).toMatchObject({
      email: LEADS.slow,
      status: 'UNKNOWN',
      reason: 'timeout',
      is_unknown: true,
    });
    // The prober answers within its budget; the slow server needs several replies of TARPIT_REPLY_DELAY_MS each.
    expect(elapsedMs).toBeLessThan(MAX_TIME_LIMIT_SECONDS * 1000);
    expect(elapsedMs).toBeLessThan(5 * TARPIT_REPLY_DELAY_MS);
  });

  it('asks for at most 25 s by default, and refuses a time limit outside 1–25 s with a message', async () => {
    expect(MAX_TIME_LIMIT_SECONDS).toBe(25);
    const field = verifyEmail.operation.inputFields?.find(
      (input) => typeof input === 'object' && 'key' in input && input.key === 'time_limit',
    );
    expect(field).toMatchObject({ type: 'integer', default: '25', required: false });
    for (const time_limit of ['0', '26', '2.5', 'soon']) {
      const error = await zapierErrorOf(
        appTester(performVerifyEmail, { authData, inputData: { email: LEADS.valid, time_limit } }),
      );
      expect(error).toMatchObject({ name: 'AppError', code: 'invalid_time_limit' });
    }
  });
});
