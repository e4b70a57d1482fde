import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { csvAddresses } from './csv-addresses.js';
import { jsonJobBody } from './json-job-body.js';

/**
 * What identifies a job request for `Idempotency-Key`: its format, every address in upload order (before
 * de-duplication) and the callback URL it set. Computed from the parsed upload, not its bytes, so a retry that
 * re-encodes the same list (other whitespace, CSV quoting) is still the same request, as Stripe compares
 * parameters rather than bytes.
 */
export class RequestFingerprint {
  private readonly hash: Hash = createHash('sha256');

  constructor(format: 'csv' | 'json') {
    this.hash.update(`format:${format}\n`);
  }

  address(address: string): void {
    // Length-prefixed, so no choice of addresses can collide with another split of the same characters.
    this.hash.update(`a${address.length}:${address}\n`);
  }

  /** Passes the addresses through while adding them. */
  async *addresses(source: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const address of source) {
      this.address(address);
      yield address;
    }
  }

  /** Ends the fingerprint with the job's callback URL (from the body or the query string). */
  digest(callbackUrl: string | null): string {
    this.hash.update(`callback:${callbackUrl ?? ''}\n`);
    return this.hash.digest('base64url');
  }
}

/**
 * The fingerprint of a repeated request, read from its whole body (parsed as the first one was, so a malformed
 * repeat is refused the same way).
 */
export async function fingerprintBody(
  body: Readable,
  format: 'csv' | 'json',
  queryCallbackUrl: string | null,
  maxBytes: number,
): Promise<string> {
  const fingerprint = new RequestFingerprint(format);
  if (format === 'csv') {
    for await (const address of csvAddresses(body, { maxBytes })) fingerprint.address(address);
    return fingerprint.digest(queryCallbackUrl);
  }
  let callbackUrl = queryCallbackUrl;
  for await (const event of jsonJobBody(body, { maxBytes })) {
    if (event.kind === 'email') fingerprint.address(event.address);
    else callbackUrl = event.url;
  }
  return fingerprint.digest(callbackUrl);
}
