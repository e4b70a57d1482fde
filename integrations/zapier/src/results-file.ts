import { jobResultsPath, MEDIA_TYPES } from '@mailprobe/core';
import type { Bundle, RawHttpResponse, ZObject } from 'zapier-platform-core';
import { apiBaseUrl } from './api.js';

/** What a dehydrated results file carries: only the job id, never a URL (see `hydrateJobResultsCsv`). */
export interface ResultsFileInput {
  jobId: string;
  [field: string]: unknown;
}

/**
 * `z.stashFile` as zapier-platform-core 19 runs it: a request (promise) with a file name and content type, answering
 * the stashed file's URL. Its published types allow no name with a request and say `string` for the promise.
 */
type StashRequest = (
  request: Promise<RawHttpResponse>,
  knownLength: number | undefined,
  filename: string,
  contentType: string,
) => Promise<string>;

/** The file name Zapier shows and passes on (e.g. as the attachment name in an email step). */
export function resultsFileName(jobId: string): string {
  return `mailprobe-${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}-results.csv`;
}

/**
 * File hydrator: downloads the job's results CSV with the connection's key and stashes it with `z.stashFile`, so
 * the next step (Drive, email, Sheets) gets a file, not a link that needs the key. Zapier runs it only when a
 * later step uses the file. The URL is built from the connection's endpoint and the job id, never taken from the
 * delivered payload: Zapier's hook receiver cannot check the delivery signature, so a forged payload must not be
 * able to send the key elsewhere.
 */
export async function hydrateJobResultsCsv(z: ZObject, bundle: Bundle): Promise<string> {
  const jobId = String(bundle.inputData.jobId ?? '');
  if (jobId === '') throw new z.errors.Error('The results file lost its job id.', 'invalid_file', 400);
  const download = z.request({
    method: 'GET',
    url: `${apiBaseUrl(z, bundle)}${jobResultsPath(jobId)}`,
    headers: { Accept: MEDIA_TYPES.csv },
    raw: true,
  });
  const stash = z.stashFile as unknown as StashRequest;
  return stash(download, undefined, resultsFileName(jobId), MEDIA_TYPES.csv);
}

/** A pointer to the job's results CSV that Zapier turns into a file when a later step uses it. */
export function resultsFile(z: ZObject, jobId: string): string {
  return z.dehydrateFile(hydrateJobResultsCsv, { jobId } satisfies ResultsFileInput);
}
