/** Codes of the failures the fake internet itself can raise (never a behaviour under test). */
export type FakeNetworkErrorCode =
  | 'address_allocation_failed'
  | 'conflicting_mx_options'
  | 'invalid_option'
  | 'listen_failed';

const MARKER = Symbol.for('mailprobe.test-kit.FakeNetworkError');

/** An error while setting up or tearing down the fake internet. */
export class FakeNetworkError extends Error {
  readonly [MARKER] = true;
  readonly code: FakeNetworkErrorCode;

  constructor(code: FakeNetworkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FakeNetworkError';
    this.code = code;
  }

  static isInstance(error: unknown): error is FakeNetworkError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}
