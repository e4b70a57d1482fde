import type { ApiKeyRecord, KeyStore } from '../stores/types.js';
import { generateApiKey, parseApiKey, secretMatches } from './api-key.js';

export interface NewKeyLimits {
  requestsPerMinute?: number | null;
  quota?: number | null;
}

/** Creates and stores a key; the returned `key` is the only time the secret exists outside the caller. */
export async function createApiKey(
  store: KeyStore,
  name: string,
  limits: NewKeyLimits = {},
  now: Date = new Date(),
): Promise<{ key: string; record: ApiKeyRecord }> {
  const generated = generateApiKey();
  const record: ApiKeyRecord = {
    id: generated.id,
    name,
    secretHash: generated.secretHash,
    limits: { requestsPerMinute: limits.requestsPerMinute ?? null, quota: limits.quota ?? null },
    used: 0,
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  await store.insert(record);
  return { key: generated.key, record };
}

export type Authentication =
  | { ok: true; record: ApiKeyRecord }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' };

/** Looks a presented key up by id and compares its secret in constant time. */
export async function authenticateApiKey(store: KeyStore, presented: string): Promise<Authentication> {
  const parsed = parseApiKey(presented);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const record = await store.get(parsed.id);
  if (!record || !secretMatches(parsed.secret, record.secretHash)) return { ok: false, reason: 'unknown' };
  if (record.revokedAt !== null) return { ok: false, reason: 'revoked' };
  return { ok: true, record };
}
