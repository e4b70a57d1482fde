import { Readable } from 'node:stream';
import { type JobResultSet, MEDIA_TYPES, type Status } from '@mailprobe/core';
import Negotiator from 'negotiator';
import type { JobRecord, JobStore } from '../stores/types.js';
import { resultChunks, resultsContentDisposition } from './results-download.js';
import { spreadsheetResults } from './spreadsheet.js';

/** Result formats in the server's order of preference, for content negotiation with q-values (`text/csv;q=0` refuses CSV). */
const RESULT_TYPES = [MEDIA_TYPES.ndjson, MEDIA_TYPES.json, MEDIA_TYPES.csv];

function preferredResultType(accept: string | undefined): 'ndjson' | 'csv' | null {
  if (!accept) return 'ndjson';
  const chosen = new Negotiator({ headers: { accept } }).mediaType(RESULT_TYPES);
  if (chosen === undefined) return null;
  return chosen === MEDIA_TYPES.csv ? 'csv' : 'ndjson';
}

export interface JobResultsRequest {
  /** `format` asked for; else chosen from `accept`. */
  format?: 'ndjson' | 'csv' | 'xlsx' | undefined;
  /** The request's Accept header. */
  accept?: string | undefined;
  status?: Status | undefined;
  set?: JobResultSet | undefined;
  excelSafe?: boolean | undefined;
}

/** A download to send, or why there is none (an API error code and its message). */
export type JobResults =
  | { ok: true; contentType: string; contentDisposition: string; body: Readable }
  | { ok: false; code: 'not_acceptable' | 'bad_request'; message: string };

/**
 * A job's results in the format asked for or negotiated: NDJSON, CSV (the upload's own rows, byte for byte, then
 * Mailprobe's columns) or, for a spreadsheet upload, `.xlsx`. The body is a stream that reads the store a page at a
 * time, as fast as it is consumed.
 */
export function jobResults(jobs: JobStore, job: JobRecord, request: JobResultsRequest): JobResults {
  const type = request.format ?? preferredResultType(request.accept);
  if (type === null) {
    return {
      ok: false,
      code: 'not_acceptable',
      message: 'results are served as application/x-ndjson or text/csv',
    };
  }
  const filters = { status: request.status, set: request.set, excelSafe: request.excelSafe };
  if (type === 'xlsx') {
    if (job.format?.kind !== 'xlsx') {
      return {
        ok: false,
        code: 'bad_request',
        message: 'format=xlsx is for a spreadsheet upload; use csv or ndjson',
      };
    }
    return {
      ok: true,
      contentType: MEDIA_TYPES.xlsx,
      contentDisposition: resultsContentDisposition(job, 'xlsx'),
      body: spreadsheetResults(jobs, job, filters),
    };
  }
  return {
    ok: true,
    contentType: type === 'csv' ? `${MEDIA_TYPES.csv}; charset=utf-8` : MEDIA_TYPES.ndjson,
    contentDisposition: resultsContentDisposition(job, type),
    // Readable.from pulls one chunk at a time, as fast as the socket drains.
    body: Readable.from(resultChunks(jobs, job, { type, ...filters }), {
      objectMode: false,
      highWaterMark: 1,
    }),
  };
}
