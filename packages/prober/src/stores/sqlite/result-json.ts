import type { VerificationResult } from '@mailprobe/core';

/** JSON text of results lately written, by result object (a job's result goes to the cache, then to its item). */
const texts = new WeakMap<VerificationResult, string>();

/**
 * A result as the embedded store keeps it (JSON text), written once per result object: a job writes each fresh
 * result twice, to the result cache and to its job item. Results are never changed once built (callers copy).
 */
export function resultJson(result: VerificationResult): string {
  let text = texts.get(result);
  if (text === undefined) {
    text = JSON.stringify(result);
    texts.set(result, text);
  }
  return text;
}
