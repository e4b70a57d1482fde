import {
  createProberClient,
  FINAL_JOB_STATUSES,
  isVerifiedJobRow,
  type Job,
  ProberApiError,
  type ProberClient,
  parseAddress,
  syntaxErrorResult,
  type VerificationResult,
} from '@mailprobe/core';
import { CliUsageError } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { startProgress } from '../progress.js';
import { JobResultsMismatchError, planJobRows } from './job-rows.js';

/** Defaults of verification through a hosted prober (`--api-url`). */
export const REMOTE_DEFAULTS = {
  /** Per request: behind greylisting or a tarpit one verification can keep the prober busy for a minute. */
  requestTimeoutMs: 90_000,
  /** Addresses given as arguments that are verified at the same time, one `POST /v1/verify` each. */
  verifyConcurrency: 4,
  /** First wait between polls of a job's progress; it doubles up to `pollMaxMs`. */
  pollInitialMs: 100,
  pollMaxMs: 2_000,
  /** How long a Ctrl-C waits for the prober to cancel the job before giving up on it. */
  cancelTimeoutMs: 5_000,
} as const;

export interface RemoteSettings {
  apiUrl: string;
  apiKey: string;
  userAgent: string;
}

/** A job that ended without results for every row (failed or cancelled on the server). */
export class RemoteJobError extends Error {
  readonly code = 'remote_job_failed';

  constructor(message: string) {
    super(message);
    this.name = 'RemoteJobError';
  }
}

/** A prober client from `--api-url` / `--api-key`; a malformed URL or key is a usage error. */
export function remoteClient(settings: RemoteSettings): ProberClient {
  let url: URL;
  try {
    url = new URL(settings.apiUrl);
  } catch {
    throw new CliUsageError(`invalid --api-url / MAILPROBE_API_URL: ${JSON.stringify(settings.apiUrl)}`);
  }
  try {
    return createProberClient({
      baseUrl: url,
      apiKey: settings.apiKey,
      timeoutMs: REMOTE_DEFAULTS.requestTimeoutMs,
      userAgent: settings.userAgent,
    });
  } catch (error) {
    const source = /apiKey/.test((error as Error).message)
      ? '--api-key / MAILPROBE_API_KEY'
      : '--api-url / MAILPROBE_API_URL';
    throw new CliUsageError(`invalid ${source}: ${(error as Error).message}`);
  }
}

/** A prober failure as the user should read it; a refused key is a usage error (exit 2). */
export function describeRemoteError(error: unknown, apiUrl: string): unknown {
  if (!ProberApiError.isInstance(error)) return error;
  if (error.code === 'unauthorized' || error.code === 'forbidden') {
    return new CliUsageError(`the prober refused --api-key / MAILPROBE_API_KEY: ${error.message}`);
  }
  if (error.code === 'network_error')
    return new Error(`cannot reach the prober at ${apiUrl}: ${error.message}`);
  if (error.code === 'aborted') return error;
  return new Error(`the prober answered ${error.code}: ${error.message}`);
}

/** `POST /v1/verify` for each address, a few at a time; `emit` gets the results in input order. */
async function verifyEach(
  client: ProberClient,
  addresses: readonly string[],
  emit: (index: number, result: VerificationResult) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  // One failure stops the others instead of leaving them running.
  const failed = new AbortController();
  const combined = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
  const results: Array<VerificationResult | undefined> = [];
  let next = 0;
  let emitted = 0;
  const worker = async () => {
    while (next < addresses.length) {
      const index = next++;
      const address = addresses[index] as string;
      const parsed = parseAddress(address);
      results[index] = parsed.ok
        ? await client.verify(address, { signal: combined })
        : syntaxErrorResult(address, parsed.error);
      for (let ready = results[emitted]; ready; ready = results[emitted]) {
        emit(emitted, ready);
        emitted += 1;
      }
    }
  };
  const workers = Math.min(REMOTE_DEFAULTS.verifyConcurrency, addresses.length);
  await Promise.all(
    Array.from({ length: workers }, () =>
      worker().catch((error: unknown) => {
        failed.abort(error);
        throw error;
      }),
    ),
  );
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Polls the job until it ends, drawing its progress on a terminal. */
async function waitForJob(client: ProberClient, created: { id: string; total: number }, io: CliIo) {
  const progress = startProgress(io.stderr, created.total, `prober job ${created.id}`);
  let delay: number = REMOTE_DEFAULTS.pollInitialMs;
  try {
    for (;;) {
      const job = await client.getJob(created.id, { signal: io.signal });
      progress.update(job.done);
      if (FINAL_JOB_STATUSES.includes(job.status)) return job;
      await sleep(delay, io.signal);
      delay = Math.min(delay * 2, REMOTE_DEFAULTS.pollMaxMs);
    }
  } finally {
    progress.stop();
  }
}

/** Runs the rows as one bulk job (`POST /v1/jobs`) and answers one result per row, in input order. */
async function verifyAsJob(
  client: ProberClient,
  addresses: readonly string[],
  io: CliIo,
): Promise<VerificationResult[]> {
  const rows = planJobRows(addresses);
  if (rows.upload.length === 0) return rows.assemble([]);
  const created = await client.createJob({ emails: rows.upload }, { signal: io.signal });
  let job: Job;
  try {
    job = await waitForJob(client, created, io);
  } catch (error) {
    if (io.signal?.aborted) {
      // Ctrl-C: the job would go on probing (and spending quota) for nobody.
      await client
        .cancelJob(created.id, { signal: AbortSignal.timeout(REMOTE_DEFAULTS.cancelTimeoutMs) })
        .catch(() => {});
    }
    throw error;
  }
  if (job.status !== 'completed') {
    throw new RemoteJobError(
      `prober job ${job.id} ended ${job.status}${job.error ? `: ${job.error}` : ''} after ${job.done} of ${job.total} addresses`,
    );
  }
  const results: VerificationResult[] = [];
  for await (const result of client.jobResults(job.id, { signal: io.signal })) {
    // Only parseable addresses are uploaded, so no row can come back skipped for a blank address.
    if (!isVerifiedJobRow(result)) {
      throw new JobResultsMismatchError(`row ${result.row} of the job came back without a verdict`);
    }
    results.push(result);
  }
  return rows.assemble(results);
}

/**
 * Verifies through a hosted prober: addresses given as arguments one by one (`POST /v1/verify`), lists (a file,
 * stdin) as one bulk job. `emit` gets exactly one result per address, in input order.
 */
export async function verifyRemotely(
  client: ProberClient,
  input: { addresses: readonly string[]; asJob: boolean },
  io: CliIo,
  emit: (index: number, result: VerificationResult) => void,
): Promise<void> {
  if (!input.asJob) return verifyEach(client, input.addresses, emit, io.signal);
  const results = await verifyAsJob(client, input.addresses, io);
  results.forEach((result, index) => {
    emit(index, result);
  });
}
