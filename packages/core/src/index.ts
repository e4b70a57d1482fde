export {
  STATUSES,
  REASONS,
  REASON_STATUS,
  REASON_DESCRIPTIONS,
  MAX_REPLY_TEXT_LENGTH,
  StatusSchema,
  ReasonSchema,
  FlagsSchema,
  SmtpEvidenceSchema,
  TimingsSchema,
  VerificationResultSchema,
  statusOf,
  verificationResultJsonSchema,
} from './vocabulary.js';
export type { Status, Reason, Flags, SmtpEvidence, Timings, VerificationResult } from './vocabulary.js';
