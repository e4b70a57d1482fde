/** Longest `email` accepted in a request, in characters (valid addresses are ≤ 254; the rest is room for `Name <addr>` forms). */
export const MAX_EMAIL_LENGTH = 1024;
/** Most addresses in one `POST /v1/verify/batch`. */
export const MAX_BATCH_SIZE = 100;
/** Most addresses in one job (JSON or CSV upload). */
export const MAX_JOB_ADDRESSES = 1_000_000;
/** Largest page of `GET /v1/jobs`. */
export const MAX_JOB_LIST_LIMIT = 100;
/** Page size of `GET /v1/jobs` when `limit` is not given. */
export const DEFAULT_JOB_LIST_LIMIT = 20;
/** Longest job id or cursor accepted. */
export const MAX_ID_LENGTH = 128;
/** How long the server remembers an `Idempotency-Key` of `POST /v1/jobs`. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;
/** Time budget of `POST /v1/verify` and `/v1/verify/batch` when none is given: below Zapier's 30 s action limit. */
export const DEFAULT_VERIFY_TIMEOUT_MS = 25_000;
/** Smallest `timeoutMs` accepted. */
export const MIN_TIMEOUT_MS = 100;
/** Largest `timeoutMs` accepted. */
export const MAX_TIMEOUT_MS = 120_000;
