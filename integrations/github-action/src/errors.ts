/** Machine-readable codes for the ways a run can fail before any address is judged. */
export type ActionErrorCode =
  | 'invalid_input'
  | 'bad_glob'
  | 'no_files_matched'
  | 'too_many_addresses'
  | 'endpoint_unreachable'
  | 'bad_api_key'
  | 'endpoint_error';

/** A failure the user must fix (input, files, endpoint); its message is shown as the step's failure. */
export class ActionError extends Error {
  readonly code: ActionErrorCode;
  readonly isActionError = true;

  constructor(code: ActionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ActionError';
    this.code = code;
  }

  static isInstance(error: unknown): error is ActionError {
    return typeof error === 'object' && error !== null && (error as ActionError).isActionError === true;
  }
}
