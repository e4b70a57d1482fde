import { type DryRunResponse, MAX_JOB_ADDRESSES, parseAddress } from '@mailprobe/core';
import { ProberError } from '../errors.js';
import type { ProberContext } from '../http/context.js';
import type { UploadRows } from './upload-rows.js';

/**
 * What a job from this upload would hold, read the way ingest reads it (same column choice, same blank and
 * duplicate rules) but without storing, verifying or charging anything. The distinct addresses are held in memory
 * as their de-duplication keys, bounded by the job limit.
 */
export async function dryRun(
  context: ProberContext,
  keyId: string,
  upload: UploadRows,
): Promise<Omit<DryRunResponse, 'fileName'>> {
  const seen = new Set<string>();
  const maxAddresses = Math.min(context.config.jobs.maxAddresses, MAX_JOB_ADDRESSES);
  let rows = 0;
  let blank = 0;
  for await (const { input } of upload.rows) {
    rows += 1;
    if (input.trim() === '') {
      blank += 1;
      continue;
    }
    const parsed = parseAddress(input);
    seen.add(parsed.ok ? parsed.address.normalized : input.trim());
    if (seen.size > maxAddresses) {
      throw new ProberError(
        'payload_too_large',
        `a job holds at most ${maxAddresses} distinct addresses`,
        413,
      );
    }
  }
  if (rows === 0) throw new ProberError('bad_request', 'the job holds no rows', 400);
  const key = await context.stores.keys.get(keyId);
  const quota = key?.limits.quota ?? null;
  return {
    rows,
    withAddress: rows - blank,
    blank,
    distinct: seen.size,
    duplicate: rows - blank - seen.size,
    column: upload.details().column,
    columns: upload.columns(),
    quotaRemaining: quota === null ? null : Math.max(0, quota - (key?.used ?? 0)),
  };
}
