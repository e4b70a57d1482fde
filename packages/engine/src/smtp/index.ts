export type { ClassificationRuleId, ReplyClassification } from './classify.js';
export {
  CLASSIFICATION_RULES,
  classifyReply,
  DEFAULT_CONNECTION_LIMIT_RETRY_SECONDS,
  DEFAULT_GREYLIST_RETRY_SECONDS,
  MAX_RETRY_AFTER_SECONDS,
  retryHintSeconds,
} from './classify.js';
export { warmClassifier } from './classify-warm-up.js';
export { assertSafeCommandLine } from './command.js';
export type { SmtpProtocolErrorCode } from './errors.js';
export { SmtpProtocolError, SmtpSessionOptionsError, UnsafeCommandError } from './errors.js';
export { parseQuotedReply } from './quoted-reply.js';
export type { ReplyLimits } from './reply-parser.js';
export { DEFAULT_REPLY_LIMITS, parseEnhancedCode, parseReply, ReplyParser } from './reply-parser.js';
export { serverWording } from './server-wording.js';
export { isTooManyRecipients, QUIT_REPLY_WAIT_MS, runSmtpSession } from './session.js';
export type {
  GroupOutcome,
  ProbeAddress,
  RecipientGroup,
  RecipientOutcome,
  RecipientSkip,
  SessionFailure,
  SessionFailureKind,
  SessionIdentity,
  SessionOutcome,
  SmtpReply,
  SmtpSessionOptions,
  SmtpStage,
  SmtpTimeouts,
} from './types.js';
