export { sleep as abortableSleep } from './abort.js';
export type { CatchAllCache } from './catch-all-cache.js';
export { createMemoryCatchAllCache } from './catch-all-cache.js';
export type {
  DnsblFinding,
  DoctorCheck,
  DoctorCheckId,
  DoctorCheckStatus,
  DoctorOptions,
  DoctorReport,
  ProxyDoctorReport,
  SourceDoctorReport,
} from './doctor/index.js';
export { DEFAULT_DNSBL_ZONES, DOCTOR_CHECKS, dnsblQueryName, runDoctor } from './doctor/index.js';
export type { ProxyBench, ProxyStatus, ProxyUse } from './egress/egress-router.js';
export type { ProxyFailureCode, ProxyPhase, ProxyTimeouts } from './egress/socks5-dial.js';
export { dialSocks5, ProxyError, SOCKS5_REPLY_CODES } from './egress/socks5-dial.js';
export type { EgressRoute, EgressRoutes, ProxyOption } from './egress/socks5-proxy.js';
export {
  parseProxy,
  parseProxyFlag,
  parseRoutesFlag,
  proxyOptions,
  Socks5Proxy,
} from './egress/socks5-proxy.js';
export type { Engine, VerifyManyOptions, VerifyOptions } from './engine.js';
export { createEngine } from './engine.js';
export type { EngineErrorCode } from './errors.js';
export { DnsQueryError, EngineError, EngineOptionsError } from './errors.js';
export { isAllowedTarget } from './ip-policy.js';
export type { EngineOptions, EngineOptionsInput, SmtpTimeouts } from './options.js';
export { ENGINE_DEFAULTS, resolveEngineOptions } from './options.js';
export { ENGINE_ENV_VARIABLES, engineOptionsFromEnv } from './options-env.js';
export type { SourceAddressReport } from './pool/check-source-addresses.js';
export type { EngineWarning, HeloNameSource } from './pool/helo-names.js';
export { isFullyQualified, systemHeloName } from './pool/helo-names.js';
export type { MemoryMxLimiterOptions, MxLimiter, MxTarget } from './pool/mx-limiter.js';
export {
  connectionRateKeys,
  createMemoryMxLimiter,
  mxLimitKeys,
  waitForRatePoint,
  waitForRatePoints,
} from './pool/mx-limiter.js';
export type { Release } from './pool/semaphore.js';
// Reply classification on its own, for replies held elsewhere (bounces, MTA logs): parse, then classify.
export type {
  ClassificationRuleId,
  ReplyClassification,
  ReplyLimits,
  SmtpProtocolErrorCode,
  SmtpReply,
  SmtpStage,
} from './smtp/index.js';
export {
  CLASSIFICATION_RULES,
  classifyReply,
  parseEnhancedCode,
  parseQuotedReply,
  parseReply,
  ReplyParser,
  SmtpProtocolError,
  warmClassifier,
} from './smtp/index.js';
