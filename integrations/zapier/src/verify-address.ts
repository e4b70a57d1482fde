import { API_PATHS, VerifyResponseSchema } from '@mailprobe/core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { callApi } from './api.js';
import { type FlatVerification, flattenVerification } from './verification-output.js';

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
] as const;

/** `POST /v1/verify` for one address; UNKNOWN and INVALID verdicts are results, returned like VALID ones. */
export async function verifyAddress(
  z: ZObject,
  bundle: Bundle,
  email: string,
  fresh: boolean,
): Promise<FlatVerification> {
  const result = await callApi(z, bundle, {
    method: 'POST',
    path: API_PATHS.verify,
    body: fresh ? { email, fresh } : { email },
    schema: VerifyResponseSchema,
  });
  return flattenVerification(result);
}
