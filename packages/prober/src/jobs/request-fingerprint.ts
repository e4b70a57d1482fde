import { createHash, type Hash } from 'node:crypto';
import type { UploadRow } from './upload-rows.js';

/**
 * What identifies a job request for `Idempotency-Key`: its format, the address column asked for, every row in
 * upload order (the address as given and the row's own cells) and the callback URL it set. Computed from the
 * parsed upload, not its bytes, so a retry that re-encodes the same list (other whitespace, CSV quoting, a
 * multipart wrapper) is still the same request, as Stripe compares parameters rather than bytes.
 */
export class RequestFingerprint {
  private readonly hash: Hash = createHash('sha256');

  constructor(format: string, column: string | undefined) {
    this.hash.update(`format:${format}\ncolumn:${column ?? ''}\n`);
  }

  row(row: UploadRow): void {
    // Length-prefixed, so no choice of values can collide with another split of the same characters.
    const cells = row.cells === null ? '' : JSON.stringify(row.cells);
    this.hash.update(`a${row.input.length}:${row.input}\nc${cells.length}:${cells}\n`);
  }

  /** Passes the rows through while adding them. */
  async *rows(source: AsyncIterable<UploadRow>): AsyncGenerator<UploadRow> {
    for await (const row of source) {
      this.row(row);
      yield row;
    }
  }

  /** Ends the fingerprint with the job's callback URL (from the body, a form field or the query string). */
  digest(callbackUrl: string | null): string {
    this.hash.update(`callback:${callbackUrl ?? ''}\n`);
    return this.hash.digest('base64url');
  }
}
