import {
  createProberClient,
  ProberApiError,
  REASON_DESCRIPTIONS,
  type VerificationResult,
} from '@mailprobe/core';
import { ActionError } from '../errors.js';
import type { Verdict, Verifier } from './verdict.js';

/** Addresses per request: the API v1 batch limit. */
export const PROBE_BATCH_SIZE = 100;
/** One batch probes up to 100 mailboxes synchronously, so a request may take a while. */
export const PROBE_REQUEST_TIMEOUT_MS = 120_000;
/** Retries of 429/503/5xx/network failures, with the client's backoff. */
export const PROBE_MAX_RETRIES = 3;

export interface ProbeVerifierOptions {
  apiUrl: string;
  apiKey: string;
  /** Called after each batch with the number of addresses verified so far. */
  onProgress?: (done: number, total: number) => void;
}

/** Verifies through the Mailprobe endpoint with core's client, in batches. */
export function createProbeVerifier(options: ProbeVerifierOptions): Verifier {
  const client = createProberClient({
    baseUrl: options.apiUrl,
    apiKey: options.apiKey,
    timeoutMs: PROBE_REQUEST_TIMEOUT_MS,
    maxRetries: PROBE_MAX_RETRIES,
  });
  return {
    mode: 'probe',
    async check() {
      try {
        await client.me();
      } catch (error) {
        throw endpointError(error, options.apiUrl);
      }
    },
    async verify(addresses) {
      const verdicts: Verdict[] = [];
      for (let start = 0; start < addresses.length; start += PROBE_BATCH_SIZE) {
        const batch = addresses.slice(start, start + PROBE_BATCH_SIZE);
        let results: VerificationResult[];
        try {
          results = await client.verifyBatch(batch);
        } catch (error) {
          throw endpointError(error, options.apiUrl);
        }
        batch.forEach((address, index) => {
          const result = results[index];
          if (!result) {
            throw new ActionError(
              'endpoint_error',
              `The endpoint returned ${results.length} results for ${batch.length} addresses.`,
            );
          }
          verdicts.push(verdictFromResult(address, result));
        });
        options.onProgress?.(verdicts.length, addresses.length);
      }
      return verdicts;
    },
  };
}

/** The action's verdict for one API result. */
export function verdictFromResult(address: string, result: VerificationResult): Verdict {
  const smtp = result.smtp;
  const evidence =
    smtp && smtp.replyCode !== null
      ? [smtp.replyCode, smtp.enhancedCode, smtp.replyText]
          .filter((part) => part !== null && part !== '')
          .join(' ')
      : null;
  return {
    address,
    status: result.status,
    reason: result.reason,
    suggestion: result.suggestion,
    detail: REASON_DESCRIPTIONS[result.reason],
    evidence,
  };
}

/** Turns a client failure into a message that says what to fix. */
export function endpointError(error: unknown, apiUrl: string): ActionError {
  if (!ProberApiError.isInstance(error)) {
    return new ActionError('endpoint_error', `Mailprobe endpoint ${apiUrl} failed: ${String(error)}`, {
      cause: error,
    });
  }
  if (error.code === 'unauthorized' || error.code === 'forbidden') {
    return new ActionError(
      'bad_api_key',
      `The Mailprobe endpoint at ${apiUrl} rejected the api-key (${error.status} ${error.code}: ${error.message}). ` +
        'Check the secret passed as "api-key".',
      { cause: error },
    );
  }
  if (error.status === 0 && error.code !== 'aborted') {
    return new ActionError(
      'endpoint_unreachable',
      `Could not reach the Mailprobe endpoint at ${apiUrl} (${error.code}: ${error.message}). Check "api-url".`,
      { cause: error },
    );
  }
  return new ActionError(
    'endpoint_error',
    `The Mailprobe endpoint at ${apiUrl} answered ${error.status} ${error.code}: ${error.message}`,
    { cause: error },
  );
}
