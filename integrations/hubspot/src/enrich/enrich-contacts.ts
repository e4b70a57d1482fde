import type { VerificationResult } from '@mailprobe/core';
import type { ContactUpdate, HubspotGateway } from '../hubspot/gateway.js';
import { resultToProperties } from '../result-properties.js';
import type { Verifier } from './verifier.js';

/** The prober's batch endpoint takes at most 100 addresses per call. */
export const PROBER_BATCH_LIMIT = 100;

export interface EnrichTarget {
  contactId: string;
  email: string;
}

export interface EnrichOutcome {
  /** Contacts whose properties were written. */
  written: string[];
  /** Contacts HubSpot no longer has (deleted or merged away): skipped, reported. */
  missing: string[];
  /** Results by contact id (also in a dry run). */
  results: Map<string, VerificationResult>;
}

/** Verifies each target's email through the prober and writes the result back to its contact. */
export async function enrichContacts(options: {
  gateway: HubspotGateway;
  verifier: Verifier;
  targets: readonly EnrichTarget[];
  dryRun?: boolean;
  signal?: AbortSignal;
}): Promise<EnrichOutcome> {
  const { gateway, verifier, targets, signal } = options;
  const emails = [...new Set(targets.map((target) => target.email))];
  const resultByEmail = new Map<string, VerificationResult>();
  for (let start = 0; start < emails.length; start += PROBER_BATCH_LIMIT) {
    const chunk = emails.slice(start, start + PROBER_BATCH_LIMIT);
    const results = await verifier.verifyBatch(chunk, { ...(signal ? { signal } : {}) });
    for (const [index, email] of chunk.entries())
      resultByEmail.set(email, results[index] as VerificationResult);
  }
  const results = new Map<string, VerificationResult>();
  const updates: ContactUpdate[] = [];
  for (const target of targets) {
    const result = resultByEmail.get(target.email) as VerificationResult;
    results.set(target.contactId, result);
    updates.push({ id: target.contactId, properties: resultToProperties(result) });
  }
  if (options.dryRun) return { written: [], missing: [], results };
  const { updatedIds, missingIds } = await gateway.updateContacts(updates, signal);
  return { written: updatedIds, missing: missingIds, results };
}
