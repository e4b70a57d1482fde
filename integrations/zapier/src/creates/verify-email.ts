import { type Bundle, defineCreate, type ZObject } from 'zapier-platform-core';
import { readBoolean, readText } from '../input.js';
import {
  type FlatVerification,
  VERIFICATION_OUTPUT_FIELDS,
  VERIFICATION_SAMPLE,
} from '../verification-output.js';
import { VERIFY_INPUT_FIELDS, verifyAddress } from '../verify-address.js';

/** Verifies the address and returns one flat result, whatever the verdict. */
export function performVerifyEmail(z: ZObject, bundle: Bundle): Promise<FlatVerification> {
  return verifyAddress(z, bundle, readText(bundle.inputData.email), readBoolean(bundle.inputData.fresh));
}

export const verifyEmail = defineCreate({
  key: 'verify_email',
  noun: 'Email Verification',
  display: {
    label: 'Verify Email Address',
    description:
      'Checks whether an email address can receive mail (without sending any) and returns VALID, INVALID or UNKNOWN with the reason.',
  },
  operation: {
    inputFields: [...VERIFY_INPUT_FIELDS],
    perform: performVerifyEmail,
    outputFields: VERIFICATION_OUTPUT_FIELDS,
    sample: { ...VERIFICATION_SAMPLE },
  },
});
