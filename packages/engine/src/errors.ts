/** String codes of every error the engine throws. A rejected mailbox is a result, never one of these. */
export type EngineErrorCode =
  | 'invalid_option'
  | 'dns_timeout'
  | 'dns_transport'
  | 'dns_malformed'
  | 'aborted'
  | 'engine_closed';

const ENGINE_ERROR_MARKER = Symbol.for('mailprobe.engine.error');

/** Base class of engine errors: a stable string `code` plus a human message. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  /** Lets `isInstance` recognise engine errors without `instanceof` (which fails across module copies). */
  readonly [ENGINE_ERROR_MARKER] = true;

  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
  }

  /** True for engine errors, even across duplicated module copies. */
  static isInstance(error: unknown): error is EngineError {
    return typeof error === 'object' && error !== null && ENGINE_ERROR_MARKER in error;
  }
}

/** A configuration value is missing, malformed or out of range. */
export class EngineOptionsError extends EngineError {
  readonly option: string;

  constructor(option: string, message: string) {
    super('invalid_option', `${option}: ${message}`);
    this.name = 'EngineOptionsError';
    this.option = option;
  }
}

/** A DNS query could not be answered (no reply in time, socket failure, malformed reply). */
export class DnsQueryError extends EngineError {
  constructor(
    code: 'dns_timeout' | 'dns_transport' | 'dns_malformed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'DnsQueryError';
  }
}
