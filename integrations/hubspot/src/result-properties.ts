import { providerOfMx, type VerificationResult } from '@mailprobe/core';
import { PROPERTY_NAMES, statusOptionValue } from './properties.js';

/** The contact property values that record one verification result. */
export function resultToProperties(result: VerificationResult): Record<string, string> {
  return {
    [PROPERTY_NAMES.status]: statusOptionValue(result.status),
    [PROPERTY_NAMES.reason]: result.reason,
    // Datetime properties take epoch milliseconds (or ISO 8601); milliseconds are unambiguous.
    [PROPERTY_NAMES.checkedAt]: String(Date.parse(result.checkedAt)),
    [PROPERTY_NAMES.catchAll]: String(result.flags.catchAll),
    [PROPERTY_NAMES.disposable]: String(result.flags.disposable),
    [PROPERTY_NAMES.roleAccount]: String(result.flags.roleAccount),
    [PROPERTY_NAMES.freeProvider]: String(result.flags.freeProvider),
    // An empty string clears a previous suggestion.
    [PROPERTY_NAMES.suggestion]: result.suggestion ?? '',
    [PROPERTY_NAMES.provider]: result.provider ?? providerOfMx(result.mx),
  };
}
