/** Codes of the failures the private Postfix instance can raise (never a behaviour under test). */
export type PostfixErrorCode = 'not_installed' | 'not_root' | 'start_failed' | 'stop_failed' | 'timeout';

const MARKER = Symbol.for('mailprobe.test-kit.PostfixError');

/** An error while starting, querying or stopping a private Postfix instance. */
export class PostfixError extends Error {
  readonly [MARKER] = true;
  readonly code: PostfixErrorCode;

  constructor(code: PostfixErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PostfixError';
    this.code = code;
  }

  static isInstance(error: unknown): error is PostfixError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}
