import { STATUSES } from '@mailprobe/core';
import { type Bundle, defineSearch, type ZObject } from 'zapier-platform-core';
import { readBoolean, readChoices, readText } from '../input.js';
import {
  type FlatVerification,
  STATUS_HEADLINES,
  VERIFICATION_OUTPUT_FIELDS,
  VERIFICATION_SAMPLE,
} from '../verification-output.js';
import { VERIFY_INPUT_FIELDS, verifyAddress } from '../verify-address.js';

/**
 * Verifies the address; returns `[result]`, or `[]` ("nothing found") when statuses were chosen and the verdict is
 * not among them, so a Zap can branch on "found" / "not found".
 */
export async function performFindEmailVerification(z: ZObject, bundle: Bundle): Promise<FlatVerification[]> {
  const wanted = readChoices(bundle.inputData.only_statuses);
  const result = await verifyAddress(
    z,
    bundle,
    readText(bundle.inputData.email),
    readBoolean(bundle.inputData.fresh),
  );
  return wanted.size === 0 || wanted.has(result.status) ? [result] : [];
}

export const findEmailVerification = defineSearch({
  key: 'find_email_verification',
  noun: 'Email Verification',
  display: {
    label: 'Find Email Verification',
    description:
      'Finds the verification result of an email address (checked now, or reused from a recent check), optionally only when the verdict is one you choose (otherwise nothing is found).',
  },
  operation: {
    inputFields: [
      ...VERIFY_INPUT_FIELDS,
      {
        key: 'only_statuses',
        label: 'Only Find Results with Status',
        list: true,
        required: false,
        choices: STATUSES.map((status) => ({
          value: status,
          sample: status,
          label: `${status} (${STATUS_HEADLINES[status]})`,
        })),
        helpText:
          'Leave empty to always find the result. Pick statuses (e.g. VALID) to find a result only with one of ' +
          'them: any other verdict counts as "nothing found", which your Zap can handle with "If no search results are found".',
      },
    ],
    perform: performFindEmailVerification,
    outputFields: VERIFICATION_OUTPUT_FIELDS,
    sample: { ...VERIFICATION_SAMPLE },
  },
});
