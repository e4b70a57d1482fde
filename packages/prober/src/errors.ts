/** Every error the prober raises on purpose carries a string `code` (one of the contract's error codes where it reaches HTTP). */
export class ProberError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: Record<string, unknown> | undefined;
  private readonly proberErrorMarker = true;

  constructor(code: string, message: string, statusCode = 500, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ProberError';
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
  }

  static isInstance(value: unknown): value is ProberError {
    return typeof value === 'object' && value !== null && (value as ProberError).proberErrorMarker === true;
  }
}

/** The configuration (file, env or flags) is invalid. */
export class ConfigError extends ProberError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_config', message, 500, details);
    this.name = 'ConfigError';
  }
}
