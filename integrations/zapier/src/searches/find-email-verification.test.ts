import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTester } from 'zapier-platform-core';
import { type AuthData, LEADS, type LiveService, startLiveService } from '../../test/live-service.js';
import app from '../index.js';
import { performFindEmailVerification } from './find-email-verification.js';

const appTester = createAppTester(app);
let service: LiveService;
let authData: AuthData;

beforeAll(async () => {
  service = await startLiveService();
  authData = await service.connect('Find Email Verification tests');
});
afterAll(() => service?.close());

const find = (email: string, onlyStatuses?: string[] | string) =>
  appTester(performFindEmailVerification, {
    authData,
    inputData: { email, ...(onlyStatuses === undefined ? {} : { only_statuses: onlyStatuses }) },
  });

describe('Find Email Verification', () => {
  it('finds a one-element array whatever the verdict when no status is chosen', async () => {
    const [valid, invalid, unknown] = await Promise.all([
      find(LEADS.valid),
      find(LEADS.invalid),
      find(LEADS.catchAll),
    ]);
    expect(valid).toMatchObject([{ email: LEADS.valid, status: 'VALID' }]);
    expect(invalid).toMatchObject([{ email: LEADS.invalid, status: 'INVALID', reason: 'mailbox_not_found' }]);
    expect(unknown).toMatchObject([{ email: LEADS.catchAll, status: 'UNKNOWN', reason: 'catch_all' }]);
  });

  it('finds nothing when the verdict is not among the chosen statuses', async () => {
    expect(await find(LEADS.valid, ['VALID'])).toMatchObject([{ status: 'VALID' }]);
    expect(await find(LEADS.invalid, ['VALID'])).toEqual([]);
    expect(await find(LEADS.catchAll, ['VALID', 'INVALID'])).toEqual([]);
  });

  it('accepts the chosen statuses as comma-separated text in any case', async () => {
    expect(await find(LEADS.catchAll, 'valid, unknown')).toMatchObject([{ status: 'UNKNOWN' }]);
  });
});
