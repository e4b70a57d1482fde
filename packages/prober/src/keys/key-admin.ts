import type { ApiKeyRecord, KeyStore } from '../stores/types.js';
import { generateApiKey, parseApiKey, secretMatches } from './api-key.js';
import type { WebhookSecrets } from './webhook-secrets.js';

export interface NewKeyLimits {
  requestsPerMinute?: number | null;
  quota?: number | null;
}

function newKeyRecord(
  generated: ReturnType<typeof generateApiKey>,
  name: string,
  limits: NewKeyLimits,
  now: Date,
): ApiKeyRecord {
  return {
    id: generated.id,
    name,
    secretHash: generated.secretHash,
    limits: { requestsPerMinute: limits.requestsPerMinute ?? null, quota: limits.quota ?? null },
    used: 0,
    createdAt: now.toISOString(),
    revokedAt: null,
  };
}

/** Creates and stores a key; the returned `key` is the only time the secret exists outside the caller. */
export async function createApiKey(
  store: KeyStore,
  name: string,
  limits: NewKeyLimits = {},
  now: Date = new Date(),
): Promise<{ key: string; record: ApiKeyRecord }> {
  const generated = generateApiKey();
  const record = newKeyRecord(generated, name, limits, now);
  await store.insert(record);
  return { key: generated.key, record };
}

/**
 * Creates a key and its own webhook signing secret; both are returned once and never shown again (the key is
 * stored hashed, the secret encrypted). The secret is made first, so a key never exists without one.
 */
export async function createApiKeyWithWebhookSecret(
  store: KeyStore,
  secrets: WebhookSecrets,
  name: string,
  limits: NewKeyLimits = {},
  now: Date = new Date(),
): Promise<{ key: string; record: ApiKeyRecord; webhookSecret: string }> {
  const generated = generateApiKey();
  const webhookSecret = await secrets.create(generated.id);
  const record = newKeyRecord(generated, name, limits, now);
  await store.insert(record);
  return { key: generated.key, record, webhookSecret };
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
