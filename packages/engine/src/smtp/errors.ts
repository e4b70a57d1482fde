/** Codes of {@link SmtpProtocolError}. */
export type SmtpProtocolErrorCode =
  | 'line_too_long'
  | 'too_many_lines'
  | 'reply_too_large'
  | 'malformed_reply'
  | 'mismatched_code'
  | 'unexpected_reply';

/** The server broke the SMTP reply grammar or a bound. */
export class SmtpProtocolError extends Error {
  override readonly name = 'SmtpProtocolError';
  readonly code: SmtpProtocolErrorCode;

  constructor(code: SmtpProtocolErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  static isInstance(error: unknown): error is SmtpProtocolError {
    return error instanceof SmtpProtocolError;
  }
}

/**
 * A command line would carry CR, LF, NUL or another control byte to the server. A programming error:
 * addresses are validated long before, this is defence in depth.
 */
export class UnsafeCommandError extends Error {
  override readonly name = 'UnsafeCommandError';
  readonly code = 'unsafe_command';

  static isInstance(error: unknown): error is UnsafeCommandError {
    return error instanceof UnsafeCommandError;
  }
}

/** `runSmtpSession` was called with options it cannot honour (a programming error). */
export class SmtpSessionOptionsError extends Error {
  override readonly name = 'SmtpSessionOptionsError';
  readonly code = 'invalid_session_options';

  static isInstance(error: unknown): error is SmtpSessionOptionsError {
    return error instanceof SmtpSessionOptionsError;
  }
}
