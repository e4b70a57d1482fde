export { runSmtpSession, QUIT_REPLY_WAIT_MS } from './session.js';
export { ReplyParser, parseEnhancedCode, DEFAULT_REPLY_LIMITS } from './reply-parser.js';
export type { ReplyLimits } from './reply-parser.js';
export { SmtpProtocolError, UnsafeCommandError, SmtpSessionOptionsError } from './errors.js';
export type { SmtpProtocolErrorCode } from './errors.js';
export { assertSafeCommandLine } from './command.js';
export type {
  SmtpReply,
  SmtpStage,
  SessionFailure,
  SessionFailureKind,
  SessionOutcome,
  SmtpSessionOptions,
  SmtpTimeouts,
  ProbeAddress,
  RecipientOutcome,
  RecipientSkip,
} from './types.js';
export {
  classifyReply,
  retryHintSeconds,
  CLASSIFICATION_RULES,
  DEFAULT_GREYLIST_RETRY_SECONDS,
  MAX_RETRY_AFTER_SECONDS,
} from './classify.js';
export type { ReplyClassification, ClassificationRuleId } from './classify.js';
