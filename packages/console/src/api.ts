import type { Job, JobList, MeResponse, VerificationResult } from '@mailprobe/core';

/** An answer other than 2xx, with the server's own `{ error: { code, message } }` text. */
export class ConsoleApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ConsoleApiError';
    this.status = status;
    this.code = code;
  }
}

/** What the console says for an error: the server's message, and for a bad key what to do about it. */
export function describeError(error: unknown): string {
  if (error instanceof ConsoleApiError) {
    if (error.status === 401)
      return `That API key was not accepted (${error.message}). Check it and sign in again.`;
    if (error.status === 403) return `This API key may not do that: ${error.message}`;
    return `${error.message} (${error.status} ${error.code})`;
  }
  if (error instanceof TypeError)
    return 'Could not reach the Mailprobe server. Is it running, and is this page served by it?';
  return error instanceof Error ? error.message : String(error);
}

/** Per-row buckets of a job (every row in exactly one). */
export interface RowCounts {
  deliverable: number;
  undeliverable: number;
  risky: number;
  unknown: number;
  skipped: number;
  duplicate: number;
  pending: number;
}
/** Per distinct address buckets of a job. */
export interface AddressCounts {
  deliverable: number;
  undeliverable: number;
  risky: number;
  unknown: number;
}
export interface JobProgressInfo {
  waiting: number;
  nextRetryAt: string | null;
  etaSeconds: number | null;
  ratePerSecond: number | null;
}

/**
 * A job as the console reads it. The fields after `Job`'s own come from newer servers; an older one leaves them
 * out, and the console then shows what it can from `counts`.
 */
export type ConsoleJob = Omit<Job, 'fileName' | 'column' | 'rowCounts' | 'addressCounts' | 'progress'> & {
  fileName?: string | null;
  column?: string | null;
  rowCounts?: RowCounts;
  addressCounts?: AddressCounts;
  progress?: JobProgressInfo;
};

/** `POST /v1/jobs?dryRun=true`: what starting this upload would do. */
export interface DryRun {
  rows: number;
  withAddress: number;
  blank: number;
  distinct: number;
  duplicate: number;
  column: string | null;
  columns: string[] | null;
  quotaRemaining: number | null;
  fileName: string | null;
}

/** The rows a download holds. */
export type ResultSet = 'all' | 'valid' | 'valid_risky' | 'invalid';
export type ResultFormat = 'csv' | 'ndjson' | 'xlsx';

/** What this server offers beyond the first API v1 release, read once from its OpenAPI document. */
export interface ServerFeatures {
  dryRun: boolean;
  resultSets: boolean;
  excelSafe: boolean;
  finish: boolean;
}

const NO_FEATURES: ServerFeatures = { dryRun: false, resultSets: false, excelSafe: false, finish: false };

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
}
type OpenApiDocument = { paths?: Record<string, Record<string, OpenApiOperation | undefined>> };

/** Which of the newer calls the server documents; an older server answers them by ignoring the parameter. */
export function featuresOf(document: OpenApiDocument): ServerFeatures {
  const paths = document.paths ?? {};
  const hasQuery = (path: string, method: string, name: string) =>
    (paths[path]?.[method]?.parameters ?? []).some(
      (parameter) => parameter.in === 'query' && parameter.name === name,
    );
  return {
    dryRun: hasQuery('/v1/jobs', 'post', 'dryRun'),
    resultSets: hasQuery('/v1/jobs/{id}/results', 'get', 'set'),
    excelSafe: hasQuery('/v1/jobs/{id}/results', 'get', 'excelSafe'),
    finish: paths['/v1/jobs/{id}/finish']?.post !== undefined,
  };
}

async function failure(response: Response): Promise<ConsoleApiError> {
  let code = 'http_error';
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not the documented error shape (a proxy in between, say): keep the status text.
  }
  return new ConsoleApiError(response.status, code, message);
}

/** The file name an answer's `Content-Disposition` gives, if any. */
function attachmentName(response: Response): string | null {
  const header = response.headers.get('content-disposition') ?? '';
  return /filename="([^"]+)"/.exec(header)?.[1] ?? null;
}

/** An upload as the API takes it: the file's own bytes with its media type, column and name in the query. */
export interface Upload {
  file: Blob;
  fileName: string;
  mediaType: string;
  column: string | null;
}

function uploadQuery(upload: Upload, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams(extra);
  if (upload.column !== null) query.set('column', upload.column);
  query.set('fileName', upload.fileName);
  return query.toString();
}

/** The API v1 calls the console makes, all with the signed-in key and all same-origin. */
export function createApi(apiKey: string) {
  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${apiKey}`);
    const response = await fetch(path, { ...init, headers });
    if (!response.ok) throw await failure(response);
    return response;
  };
  const json = async <T>(path: string, init?: RequestInit): Promise<T> =>
    (await call(path, init)).json() as Promise<T>;
  const jobPath = (id: string) => `/v1/jobs/${encodeURIComponent(id)}`;
  let features: Promise<ServerFeatures> | null = null;
  return {
    me: () => json<MeResponse & Record<string, unknown>>('/v1/me'),
    /** The newer calls this server offers (the OpenAPI document is read once per sign-in). */
    features: (): Promise<ServerFeatures> => {
      features ??= fetch('/openapi.json')
        .then((response) => (response.ok ? (response.json() as Promise<OpenApiDocument>) : {}))
        .then(featuresOf, () => NO_FEATURES);
      return features;
    },
    /** One address; `fresh` skips the results cache and probes again. */
    verify: (email: string, options: { fresh?: boolean } = {}) =>
      json<VerificationResult>('/v1/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(options.fresh ? { email, fresh: true } : { email }),
      }),
    /** What starting this upload would do; creates and charges nothing. */
    dryRun: (upload: Upload) =>
      json<DryRun>(`/v1/jobs?${uploadQuery(upload, { dryRun: 'true' })}`, {
        method: 'POST',
        headers: { 'content-type': upload.mediaType },
        body: upload.file,
      }),
    /** Starts a job from an upload; the same `idempotencyKey` never starts a second one. */
    createJob: (upload: Upload, idempotencyKey: string) =>
      json<{ id: string; status: string; total: number; rows?: number }>(`/v1/jobs?${uploadQuery(upload)}`, {
        method: 'POST',
        headers: { 'content-type': upload.mediaType, 'idempotency-key': idempotencyKey },
        body: upload.file,
      }),
    job: (id: string) => json<ConsoleJob>(jobPath(id)),
    jobs: () => json<JobList & { jobs: ConsoleJob[] }>('/v1/jobs?limit=100'),
    deleteJob: (id: string) => call(jobPath(id), { method: 'DELETE' }),
    cancelJob: (id: string) => json<ConsoleJob>(`${jobPath(id)}/cancel`, { method: 'POST' }),
    /** Completes a job at once with what it has (addresses waiting for a retry keep their latest result). */
    finishJob: (id: string) => json<ConsoleJob>(`${jobPath(id)}/finish`, { method: 'POST' }),
    /** A results file, with the name the server gives it (null when it gives none). */
    results: async (
      id: string,
      options: { format: ResultFormat; set: ResultSet; excelSafe: boolean; resultSets: boolean },
    ): Promise<{ blob: Blob; serverName: string | null }> => {
      const query = new URLSearchParams({ format: options.format });
      if (options.resultSets) {
        if (options.set !== 'all') query.set('set', options.set);
      } else if (options.set === 'valid') query.set('status', 'VALID');
      else if (options.set === 'invalid') query.set('status', 'INVALID');
      if (options.excelSafe) query.set('excelSafe', 'true');
      const response = await call(`${jobPath(id)}/results?${query}`);
      return { blob: await response.blob(), serverName: attachmentName(response) };
    },
  };
}

export type ConsoleApi = ReturnType<typeof createApi>;
