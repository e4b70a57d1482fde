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
  return {
    me: () => json<MeResponse & Record<string, unknown>>('/v1/me'),
    verify: (email: string) =>
      json<VerificationResult>('/v1/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      }),
    /** Uploads a list as it is (CSV or one address per line) with the chosen address column. */
    createJob: (file: Blob, column: string | null) => {
      const query = column === null ? '' : `?column=${encodeURIComponent(column)}`;
      return json<{ id: string; status: string; total: number }>(`/v1/jobs${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: file,
      });
    },
    job: (id: string) => json<Job>(`/v1/jobs/${encodeURIComponent(id)}`),
    jobs: () => json<JobList>('/v1/jobs?limit=100'),
    deleteJob: (id: string) => call(`/v1/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    /** The results file as the API serves it: `text/csv` (original columns kept) or NDJSON. */
    results: async (id: string, format: 'csv' | 'ndjson'): Promise<Blob> => {
      const accept = format === 'csv' ? 'text/csv' : 'application/x-ndjson';
      return (await call(`/v1/jobs/${encodeURIComponent(id)}/results`, { headers: { accept } })).blob();
    },
  };
}

export type ConsoleApi = ReturnType<typeof createApi>;
