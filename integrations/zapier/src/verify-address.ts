import { API_PATHS, VerifyResponseSchema } from '@mailprobe/core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { callApi } from './api.js';
import { readText } from './input.js';
import { type FlatVerification, flattenVerification } from './verification-output.js';

const MS_PER_SECOND = 1000;

/**
 * Longest time budget the app asks for, in seconds. Zapier stops an action after 30 s; the prober answers within
 * its budget (unfinished checks come back UNKNOWN `timeout`), so 25 s leaves room for the network on both sides.
 */
export const MAX_TIME_LIMIT_SECONDS = 25;

/** Input fields shared by "Verify Email Address" and "Find Email Verification". */
export const VERIFY_INPUT_FIELDS = [
  {
    key: 'email',
    label: 'Email Address',
    type: 'string',
    required: true,
    helpText: 'The address to check, e.g. the email field of a new lead or form entry.',
  },
  {
    key: 'fresh',
    label: 'Skip Cache',
    type: 'boolean',
    required: false,
    default: 'false',
    helpText:
      'Mailprobe reuses a recent result for the same address. Choose **True** to check the mail server again ' +
      '(slower, and counts against your quota like any check).',
  },
  {
    key: 'time_limit',
    label: 'Time Limit (Seconds)',
    type: 'integer',
    required: false,
    default: String(MAX_TIME_LIMIT_SECONDS),
    helpText:
      `How long to wait for the mail server, from 1 to ${MAX_TIME_LIMIT_SECONDS} seconds. A check that takes ` +
      'longer comes back as UNKNOWN with reason "timeout" (not an error) and goes on in the background, so ' +
      'running the step again a little later gives the real verdict.',
  },
] as const;

/** The `time_limit` field in ms: empty → the longest; otherwise a whole number of seconds in range. */
export function readTimeBudgetMs(z: ZObject, value: unknown): number {
  const text = readText(value);
  if (text === '') return MAX_TIME_LIMIT_SECONDS * MS_PER_SECOND;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIME_LIMIT_SECONDS) {
    throw new z.errors.Error(
      `Time Limit must be a whole number of seconds from 1 to ${MAX_TIME_LIMIT_SECONDS} (got "${text}").`,
      'invalid_time_limit',
      400,
    );
  }
  return seconds * MS_PER_SECOND;
}

/**
 * `POST /v1/verify` for one address with a time budget (`timeoutMs`); UNKNOWN (including `timeout` when the budget
 * runs out) and INVALID verdicts are results, returned like VALID ones.
 */
export async function verifyAddress(
  z: ZObject,
  bundle: Bundle,
  email: string,
  fresh: boolean,
): Promise<FlatVerification> {
  const timeoutMs = readTimeBudgetMs(z, bundle.inputData.time_limit);
  const result = await callApi(z, bundle, {
    method: 'POST',
    path: API_PATHS.verify,
    body: fresh ? { email, fresh, timeoutMs } : { email, timeoutMs },
    schema: VerifyResponseSchema,
  });
  return flattenVerification(result);
}
