import { defineApp, version as platformVersion } from 'zapier-platform-core';
import packageJson from '../package.json' with { type: 'json' };
import { authentication } from './authentication.js';
import { startBulkVerification } from './creates/start-bulk-verification.js';
import { verifyEmail } from './creates/verify-email.js';
import { addApiKey, handleApiErrors } from './middleware.js';
import { hydrateJobResultsCsv } from './results-file.js';
import { findEmailVerification } from './searches/find-email-verification.js';
import { bulkVerificationCompleted } from './triggers/bulk-verification-completed.js';

/** The Mailprobe Zapier app. Zapier loads the default export of the built `index.js`. */
const app = defineApp({
  version: packageJson.version,
  platformVersion,
  authentication,
  // 429s reach handleApiErrors, which tells rate_limited (retry) from quota_exceeded (do not retry).
  flags: { throwForThrottlingEarly: false },
  beforeRequest: [addApiKey],
  afterResponse: [handleApiErrors],
  creates: {
    [verifyEmail.key]: verifyEmail,
    [startBulkVerification.key]: startBulkVerification,
  },
  searches: {
    [findEmailVerification.key]: findEmailVerification,
  },
  // Turns `z.dehydrateFile` pointers into files when a later step uses them (the results CSV of a job).
  hydrators: { hydrateJobResultsCsv },
  triggers: {
    [bulkVerificationCompleted.key]: bulkVerificationCompleted,
  },
});

export default app;
