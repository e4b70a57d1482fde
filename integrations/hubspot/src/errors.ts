/** Every error this package raises on purpose carries a string `code`. */
export class HubspotIntegrationError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  private readonly hubspotIntegrationErrorMarker = true;

  constructor(
    code: string,
    message: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HubspotIntegrationError';
    this.code = code;
    this.details = details;
  }

  static isInstance(value: unknown): value is HubspotIntegrationError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as HubspotIntegrationError).hubspotIntegrationErrorMarker === true
    );
  }
}

/** The configuration (file or env) is missing a value or holds an invalid one. */
export class ConfigError extends HubspotIntegrationError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_config', message, details);
    this.name = 'ConfigError';
  }
}

/** HubSpot answered with an error the caller must handle (after retries, where retrying made sense). */
export class HubspotApiError extends HubspotIntegrationError {
  readonly statusCode: number;
  readonly category: string | null;
  readonly correlationId: string | null;
  readonly isRetryable: boolean;

  constructor(options: {
    statusCode: number;
    message: string;
    category?: string | null;
    correlationId?: string | null;
    isRetryable?: boolean;
    cause?: unknown;
  }) {
    super('hubspot_api_error', options.message, { statusCode: options.statusCode }, { cause: options.cause });
    this.name = 'HubspotApiError';
    this.statusCode = options.statusCode;
    this.category = options.category ?? null;
    this.correlationId = options.correlationId ?? null;
    this.isRetryable = options.isRetryable ?? false;
  }
}

/** The operation was aborted through its AbortSignal. */
export class AbortedError extends HubspotIntegrationError {
  constructor(message = 'The operation was aborted.') {
    super('aborted', message);
    this.name = 'AbortedError';
  }
}
