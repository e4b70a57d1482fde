/** The signing secrets of one API key, as stored (each one encrypted: see keys/webhook-secrets.ts). */
export interface StoredSigningSecrets {
  keyId: string;
  current: string;
  /** The secret before the last rotation, still signing until `previousUntil` (epoch ms); null when none. */
  previous: string | null;
  previousUntil: number | null;
  updatedAt: string;
}

/** A key's subscription to webhook events (REST hooks, e.g. Zapier's). */
export interface WebhookSubscriptionRecord {
  id: string;
  keyId: string;
  targetUrl: string;
  events: string[];
  createdAt: string;
}

/** Per-key signing secrets and webhook subscriptions, in the node's store (SQLite or Redis). */
export interface WebhookStore {
  getSecrets(keyId: string): Promise<StoredSigningSecrets | null>;
  /** Sets the secrets of a key (creation or rotation), replacing what was there. */
  putSecrets(secrets: StoredSigningSecrets): Promise<void>;
  /** Adds a subscription unless the key already has `maxPerKey`; false when it has. */
  addSubscription(subscription: WebhookSubscriptionRecord, maxPerKey: number): Promise<boolean>;
  /** The key's subscriptions, oldest first. */
  listSubscriptions(keyId: string): Promise<WebhookSubscriptionRecord[]>;
  /** Removes a subscription of this key; false when the key has none with this id. */
  deleteSubscription(keyId: string, id: string): Promise<boolean>;
  /** The fingerprint of the request that created a job under an Idempotency-Key. */
  setRequestFingerprint(jobId: string, fingerprint: string): Promise<void>;
  getRequestFingerprint(jobId: string): Promise<string | null>;
}
