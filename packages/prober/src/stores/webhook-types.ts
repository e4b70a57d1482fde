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

/** One event for one receiver, waiting in the store until it is delivered or given up. */
export interface NewWebhookDelivery {
  /** Derived from the event and the receiver, so announcing the same event twice stores it once. */
  id: string;
  keyId: string;
  jobId: string;
  /** The subscription it goes to; null for the job's own `callbackUrl`. */
  subscriptionId: string | null;
  targetUrl: string;
  eventType: string;
  /** The event as sent (the same bytes, and event id, on every attempt). */
  body: string;
  /** Epoch ms of the first attempt. */
  nextAttemptAt: number;
  createdAt: string;
}

/** A delivery this node claimed: it alone attempts it until the lease ends. */
export interface ClaimedWebhookDelivery extends NewWebhookDelivery {
  /** Attempts started so far, this one included. */
  attempts: number;
  /** Proof of this claim: finishing or rescheduling with a stale claim (the lease ran out) changes nothing. */
  claim: string;
}

/** What a node asks for when it looks for due deliveries. */
export interface DeliveryClaimRequest {
  now: number;
  /** The lease: nobody else attempts a claimed delivery before this (epoch ms). */
  leaseUntil: number;
  claim: string;
  /** Most deliveries to claim in all. */
  limit: number;
  /** Most deliveries to claim for a key not listed in `roomPerKey`. */
  perKey: number;
  /** Keys with deliveries already in flight on this node, and how many more each may take (0: none). */
  roomPerKey: ReadonlyMap<string, number>;
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
  /** Removes a subscription of this key and its pending deliveries; false when the key has none with this id. */
  deleteSubscription(keyId: string, id: string): Promise<boolean>;
  /**
   * Stores deliveries not stored yet (same id: kept as it is). A delivery to a subscription is stored only while
   * the subscription exists, so an unsubscribe racing a finishing job leaves nothing behind.
   */
  enqueueDeliveries(deliveries: readonly NewWebhookDelivery[]): Promise<void>;
  /** Claims due deliveries (next attempt or lease passed), oldest first, within the limits; counts the attempt. */
  claimDeliveries(request: DeliveryClaimRequest): Promise<ClaimedWebhookDelivery[]>;
  /** Removes a delivery that reached its end (delivered or given up); false when the claim is no longer held. */
  finishDelivery(id: string, claim: string): Promise<boolean>;
  /**
   * Lets go of a claimed delivery: next attempt at `nextAttemptAt`; `attempts` is what the delivery keeps (less
   * than claimed when an attempt was abandoned, not made). False when the claim is no longer held.
   */
  releaseDelivery(id: string, claim: string, attempts: number, nextAttemptAt: number): Promise<boolean>;
  /** Embedded store only: this process is the only sender, so claims of a previous run are released (due now). */
  releaseAllDeliveries?(): Promise<void>;
  /** Which of these deliveries are still stored (the others were delivered, given up or unsubscribed). */
  storedDeliveries(ids: readonly string[]): Promise<Set<string>>;
  /** How many deliveries wait or are in flight, over the whole store (fleet). */
  countDeliveries(): Promise<number>;
}
