import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { jsonJobBody } from './json-job-body.js';
import {
  csvUploadRows,
  ndjsonUploadRows,
  type UploadOptions,
  type UploadRow,
  type UploadRows,
} from './upload-rows.js';

export type UploadFormat = 'json' | 'csv' | 'ndjson';

/**
 * What identifies a job request for `Idempotency-Key`: its format, every row in upload order (the address cell
 * and the row's own data) and the callback URL it set. Computed from the parsed upload, not its bytes, so a retry
 * that re-encodes the same rows (other whitespace, CSV quoting) is still the same request, as Stripe compares
 * parameters rather than bytes.
 */
export class RequestFingerprint {
  private readonly hash: Hash = createHash('sha256');

  constructor(format: UploadFormat) {
    this.hash.update(`format:${format}\n`);
  }

  row(row: UploadRow): void {
    // Length-prefixed, so no choice of cells can collide with another split of the same characters.
    const cells = row.cells === null ? '' : JSON.stringify(row.cells);
    this.hash.update(`a${row.input.length}:${row.input}\nc${cells.length}:${cells}\n`);
  }

  /** Passes the upload's rows through while adding them. */
  rows(source: UploadRows): UploadRows {
    const rows = source.rows;
    const self = this;
    return {
      columns: () => source.columns(),
      rows: (async function* () {
        for await (const row of rows) {
          self.row(row);
          yield row;
        }
      })(),
    };
  }

  /** Ends the fingerprint with the job's callback URL (from the body, a form field or the query string). */
  digest(callbackUrl: string | null): string {
    this.hash.update(`callback:${callbackUrl ?? ''}\n`);
    return this.hash.digest('base64url');
  }
}

/**
 * The fingerprint of a repeated request, read from its whole body (parsed as the first one was, so a malformed
 * repeat is refused the same way). Reading it has no effect on the stored job.
 */
export async function fingerprintBody(
  body: Readable,
  format: UploadFormat,
  callbackUrl: string | null,
  options: UploadOptions,
): Promise<string> {
  const fingerprint = new RequestFingerprint(format);
  if (format === 'json') {
    // The same rows a plain list gives (`listUploadRows`): the address as given, no cells.
    let url = callbackUrl;
    for await (const event of jsonJobBody(body, { maxBytes: options.maxBytes })) {
      if (event.kind === 'email') fingerprint.row({ input: event.address, cells: null });
      else url = event.url;
    }
    return fingerprint.digest(url);
  }
  const rows = format === 'csv' ? csvUploadRows(body, options) : ndjsonUploadRows(body, options);
  for await (const row of rows.rows) fingerprint.row(row);
  return fingerprint.digest(callbackUrl);
}
