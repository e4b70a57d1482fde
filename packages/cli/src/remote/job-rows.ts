import { parseAddress, syntaxErrorResult, type VerificationResult } from '@mailprobe/core';

/**
 * How input rows travel in one bulk job and come back as one result per row.
 *
 * The rows are mapped here, in one place: malformed rows are answered locally with the same `invalid_syntax`
 * result the prober would give (they need no probe, no quota, and an over-long line would make the whole upload a
 * 400); the others are uploaded once per normalized address as a JSON list, and every row gets its address's
 * result back under its own input text. The job answers one result per uploaded address in upload order (with
 * `row` and `input` since the API keeps rows; older probers answered each distinct address once, which is the
 * same here because nothing uploaded repeats).
 */
export interface JobRows {
  /** Distinct well-formed addresses to upload, in first-seen order. */
  upload: string[];
  /** One result per input row, in input order, from the job's results (one per uploaded address, in order). */
  assemble(jobResults: readonly JobResult[]): VerificationResult[];
}

/** Raised when the job's results cannot be matched to the uploaded addresses. */
export class JobResultsMismatchError extends Error {
  readonly code = 'job_results_mismatch';

  constructor(message: string) {
    super(message);
    this.name = 'JobResultsMismatchError';
  }
}

/** A job's result line: a verification result, with the row fields of the rows-keeping API when it sends them. */
export type JobResult = VerificationResult & { row?: number; input?: string; columns?: unknown };

type Row = { result: VerificationResult } | { position: number };

/** The verification result alone, shaped as the local engine prints it (the job's row fields dropped). */
function verificationOf(jobResult: JobResult): VerificationResult {
  const { row: _row, input: _input, columns: _columns, ...result } = jobResult;
  return result;
}

/** Plans the upload of `addresses` (one per input row) and the way back. */
export function planJobRows(addresses: readonly string[]): JobRows {
  const upload: string[] = [];
  const positionOf = new Map<string, number>();
  const rows: Row[] = addresses.map((address) => {
    const parsed = parseAddress(address);
    if (!parsed.ok) return { result: syntaxErrorResult(address, parsed.error) };
    const key = parsed.address.normalized;
    let position = positionOf.get(key);
    if (position === undefined) {
      position = upload.length;
      positionOf.set(key, position);
      upload.push(address);
    }
    return { position };
  });

  return {
    upload,
    assemble(jobResults) {
      if (jobResults.length !== upload.length) {
        throw new JobResultsMismatchError(
          `the job answered ${jobResults.length} results for ${upload.length} uploaded addresses`,
        );
      }
      jobResults.forEach((result, position) => {
        if (
          result.address !== upload[position] ||
          (result.row !== undefined && result.row !== position + 1)
        ) {
          throw new JobResultsMismatchError(
            `result ${position + 1} of the job is for ${JSON.stringify(result.address)} (row ${result.row ?? '?'}), ` +
              `not ${JSON.stringify(upload[position])}`,
          );
        }
      });
      return rows.map((row, index) =>
        'result' in row
          ? row.result
          : // A duplicate or IDN twin shares its address's verdict but keeps its own text, as the local engine does.
            {
              ...verificationOf(jobResults[row.position] as JobResult),
              address: addresses[index] as string,
            },
      );
    },
  };
}
