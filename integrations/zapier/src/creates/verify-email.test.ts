import { REASON_DESCRIPTIONS } from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTester } from 'zapier-platform-core';
import { type AuthData, LEADS, type LiveService, startLiveService } from '../../test/live-service.js';
import app from '../index.js';
import { VERIFICATION_OUTPUT_FIELDS, VERIFICATION_SAMPLE } from '../verification-output.js';
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
