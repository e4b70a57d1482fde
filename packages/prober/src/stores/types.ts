import type { Status, VerificationResult } from '@mailprobe/core';

/** Per-key limits; null means unlimited. */
export interface KeyLimits {
  requestsPerMinute: number | null;
  /** Verifications allowed in total (single, batch, job addresses; cache hits count). */
  quota: number | null;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  secretHash: string;
  limits: KeyLimits;
  /** Verifications counted against the quota so far. */
  used: number;
  createdAt: string;
  revokedAt: string | null;
}

/** API keys, stored hashed and looked up by id. */
export interface KeyStore {
  insert(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; false when no such key exists. */
  revoke(id: string, at: string): Promise<boolean>;
  /** Adds `amount` to `used` unless that would pass the quota; false (and nothing counted) when it would. */
  consume(id: string, amount: number): Promise<boolean>;
  /** Gives back `amount` consumed for work that was never done (a failed upload, a cancelled job); `used` stays ≥ 0. */
  refund(id: string, amount: number): Promise<void>;
  close(): Promise<void>;
}

/** A cached result with the time (epoch ms) it stops being served. */
export interface CachedResultEntry {
  result: VerificationResult;
  expiresAt: number;
}

/** Results by normalised address, each with its own expiry. */
export interface ResultCache {
  get(normalized: string): Promise<VerificationResult | null>;
  /** Like `get`, with the entry's expiry (so a memory copy never outlives it). */
  getEntry(normalized: string): Promise<CachedResultEntry | null>;
  /** `getEntry` for many addresses at once, in order (one round trip on Redis instead of one each). */
  getEntries?(normalized: readonly string[]): Promise<Array<CachedResultEntry | null>>;
  /**
   * Keeps `result` for `ttlMs`. `memory: false` (a bulk job's result) writes it to the store only: the memory layer in
   * front of a store (`createMemoryResultCache`) does not keep it, so a list does not evict what interactive calls hit.
   */
  set(
    normalized: string,
    result: VerificationResult,
    ttlMs: number,
    options?: { memory?: boolean },
  ): Promise<void>;
  /** Deletes expired entries now (stores that expire entries by themselves do nothing). */
  purgeExpired(): Promise<void>;
  close(): Promise<void>;
}

export type JobState = 'ingesting' | 'queued' | 'running' | 'completed' | 'cancelled' | 'failed';
export type WebhookState = 'none' | 'pending' | 'delivered' | 'failed';

/**
 * How an upload was written, so its results come back the same way: a CSV's delimiter, byte-order mark, line ending
 * and header line as sent (null without a header); a spreadsheet's sheet; NDJSON or a JSON list need nothing.
 */
export type UploadFormat =
  | { kind: 'csv'; delimiter: string; bom: boolean; lineEnding: string; header: string | null }
  | { kind: 'xlsx'; sheet: string }
  | { kind: 'ndjson' }
  | { kind: 'list' };

export interface JobRecord {
  id: string;
  keyId: string;
  state: JobState;
  /** Distinct addresses, each verified once (known once ingestion finished). */
  total: number;
  /** Input rows; each has exactly one result line, that of its address's item. */
  rows: number;
  /** Names of the upload's columns (CSV header, NDJSON keys), set when sealed; null for a plain address list. */
  columns: string[] | null;
  /** Addresses with a final result. */
  done: number;
  counts: Record<Status, number>;
  /** Addresses whose final result is UNKNOWN `catch_all` (counted in `counts.UNKNOWN` too). */
  risky: number;
  /** Rows whose address cell is blank: kept as rows, never items, never charged. */
  blank: number;
  /** The uploaded file's name, when the request gave one. */
  fileName: string | null;
  /** Header of the address column (`column_N` without a header); null for a plain list. Set when sealed. */
  column: string | null;
  /** How the upload was written (set when sealed); null for jobs stored before it was kept. */
  format: UploadFormat | null;
  callbackUrl: string | null;
  webhookState: WebhookState;
  /** Why the job failed; null unless `state` is failed. */
  error: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  /** Items waiting for a scheduled re-probe (greylisted), as the last ended chunks left them. */
  waiting: number;
  /** Epoch ms of the first scheduled re-probe among the waiting items; null when none waits. */
  nextRetryAt: number | null;
  /** Epoch ms the job's first chunk started (known once a chunk ended); null before. */
  startedAt: number | null;
  /** Items finished as `not_checked` ("finish now" before their turn): counted in `done`, never probed. */
  notChecked: number;
}

export interface JobItem {
  index: number;
  address: string;
}

/**
 * A row's own data: a CSV record's raw text as uploaded (without its line ending; split with the job's delimiter),
 * the cells of a spreadsheet row (or of a CSV record stored before raw text was kept), or an NDJSON object as sent.
 */
export type JobRowCells = string | string[] | Record<string, unknown>;

/** One input row: every one becomes a row of the job; the first with a new `dedupKey` also becomes an item. */
export interface NewJobItem {
  /** The address exactly as the row gave it. */
  address: string;
  /**
   * De-duplication key: the normalised address, or the trimmed input when it does not parse; empty for a blank
   * address cell, which makes the row a skipped one (no item, no result, not charged).
   */
  dedupKey: string;
  /** The row's own data (kept untouched for the results); absent for a plain list. */
  cells?: JobRowCells | null;
}

/** One input row with the result of its item (null while that is not recorded yet). */
export interface JobRow {
  /** 1-based, in upload order. */
  row: number;
  input: string;
  cells: JobRowCells | null;
  result: VerificationResult | null;
  /** `blank`: the address cell is blank (no result ever); `duplicate`: an earlier row holds the same address. */
  skipped: 'blank' | 'duplicate' | null;
  /** The earlier row that first held this row's address (for a duplicate). */
  duplicateOf: number | null;
}

/** What is known of an upload once it is read: its address column's name and how it was written. */
export interface UploadDetails {
  column: string | null;
  format: UploadFormat | null;
}

export interface NewJob {
  id: string;
  keyId: string;
  callbackUrl: string | null;
  /** The client's `Idempotency-Key`, unique per API key while remembered. */
  idempotencyKey: string | null;
  createdAt: string;
  /** Epoch ms until which the upload is known to be alive; renewed while it streams (`renewIngestLease`). */
  ingestLeaseUntil: number;
  /** The uploaded file's name, when the request gave one. */
  fileName?: string | null;
}

export interface JobPage {
  jobs: JobRecord[];
  nextCursor: string | null;
}

/** A result to record for one item at one attempt; `final` false keeps it open for a later re-probe. */
export interface ItemResult {
  index: number;
  result: VerificationResult;
  attempt: number;
  final: boolean;
}

/** An item without a final result, with its latest result (null when it was never probed). */
export interface UnfinishedItem {
  index: number;
  address: string;
  result: VerificationResult | null;
}

/** Jobs, their items (de-duplicated, numbered from 0) and exactly one result per item. */
export interface JobStore {
  /** Creates a job; when the key already used `idempotencyKey` (and it is remembered) returns that job instead. */
  createJob(job: NewJob): Promise<{ created: boolean; job: JobRecord }>;
  /** A key's jobs, newest first. */
  listJobs(keyId: string, options: { state?: JobState; limit: number; cursor?: string }): Promise<JobPage>;
  /**
   * Appends every entry as the job's next row (numbered from 1) and each address not seen before in this job as a
   * new item (numbered from 0), remembering the row that first held it; an entry with an empty `dedupKey` is a
   * blank row (counted in `blank`, no item). Returns the new items with their indexes. Throws when the job is no
   * longer ingesting (its upload was given up meanwhile).
   */
  appendItems(jobId: string, items: NewJobItem[]): Promise<JobItem[]>;
  /** Ingestion finished: fixes `total`, keeps the upload's column names (and details) and moves the job to `queued`. */
  sealJob(jobId: string, columns?: string[] | null, details?: UploadDetails): Promise<JobRecord>;
  getJob(jobId: string): Promise<JobRecord | null>;
  /** Keeps an upload alive until `until` (epoch ms); false when the job is no longer ingesting. */
  renewIngestLease(jobId: string, until: number): Promise<boolean>;
  /** Marks failed (with `error`) every ingesting job whose lease ended before `now`; returns their ids. */
  failExpiredIngests(now: number, error: string): Promise<string[]>;
  /** Sets the callback URL of a job still ingesting (it arrived late in the body); false otherwise. */
  setCallbackUrl(jobId: string, callbackUrl: string): Promise<boolean>;
  /** Jobs still ingesting (crash recovery marks them failed). */
  listJobsInState(state: JobState): Promise<JobRecord[]>;
  /** Moves a job from one of `from` to `state` (with `error` for failed); false when it was in another state. */
  setState(jobId: string, state: JobState, from: JobState[], error?: string): Promise<boolean>;
  /** Items of `indexes` not yet probed at `attempt` and without a final result. */
  pendingItems(jobId: string, indexes: number[], attempt: number): Promise<JobItem[]>;
  /**
   * Records results idempotently: an item with a final result or already probed at this attempt is left alone.
   * Answers how many final results were newly recorded.
   */
  recordResults(jobId: string, results: ItemResult[]): Promise<number>;
  /** Items whose latest result is not final (greylisted, waiting for a re-probe) among `indexes`. */
  openItems(jobId: string, indexes: number[]): Promise<number[]>;
  /**
   * A chunk ended: of its `indexes`, those in `waiting` wait for a re-probe at `retryAt` (epoch ms), the others wait
   * no more; `startedAt` (when the chunk started) dates the job's start unless an earlier one is known.
   */
  scheduleRetries(
    jobId: string,
    chunk: { indexes: number[]; waiting: number[]; retryAt: number; startedAt: number },
  ): Promise<void>;
  /**
   * Items without a final result from index `fromIndex` on, looking at no more than `limit` items; `nextIndex` is
   * where to go on (null at the end).
   */
  unfinishedItems(
    jobId: string,
    fromIndex: number,
    limit: number,
  ): Promise<{ items: UnfinishedItem[]; nextIndex: number | null }>;
  /** Moves a running job whose every item is final to `completed`; true only for the caller that did it. */
  completeIfDone(jobId: string, completedAt: string): Promise<boolean>;
  /** Results in index order, from `fromIndex`, at most `limit`. */
  readResults(jobId: string, fromIndex: number, limit: number): Promise<Array<VerificationResult | null>>;
  /** Rows in upload order from row `fromRow` (1-based), at most `limit`, each with its item's result. */
  readRows(jobId: string, fromRow: number, limit: number): Promise<JobRow[]>;
  /**
   * A failed upload's rows, items and results are deleted at once (personal data, never served); the job record
   * stays with its error, its counts at 0. Does nothing (false) unless the job is failed.
   */
  discardUpload(jobId: string): Promise<boolean>;
  /** Removes a job with its rows, items and results (whatever its state); false when there was no such job. */
  deleteJob(jobId: string): Promise<boolean>;
  /**
   * Keeps the fingerprint of the request that created a job under an Idempotency-Key (jobs/request-fingerprint.ts),
   * for as long as the key is remembered; it goes with the job (deleted, or its upload discarded).
   */
  setRequestFingerprint(jobId: string, fingerprint: string): Promise<void>;
  /** The fingerprint kept for a job; null when none (no Idempotency-Key, or a job stored before fingerprints). */
  getRequestFingerprint(jobId: string): Promise<string | null>;
  /** Ids of jobs that reached a final state before `before` (epoch ms), oldest first, at most `limit`. */
  finishedBefore(before: number, limit: number): Promise<string[]>;
  setWebhookState(jobId: string, state: WebhookState): Promise<void>;
  jobsWithPendingWebhook(): Promise<JobRecord[]>;
  close(): Promise<void>;
}

/** One unit of work: some items of one job, ideally one domain, at one attempt. */
export interface ChunkMessage {
  jobId: string;
  indexes: number[];
  attempt: number;
}

export interface ClaimedChunk {
  id: string;
  message: ChunkMessage;
  /** Fleet only: the chunk was claimed before by a node that stopped renewing its lease (it died or stalled). */
  takenOver?: boolean;
}

/** Work queue with leases: a claimed chunk not acknowledged or kept alive within the lease goes to another worker. */
export interface JobQueue {
  /**
   * Adds chunks, claimable after `delayMs`. Chunks claimable at once are announced (`onWork`) unless `quiet`: an
   * upload's chunks are announced by `announce` once the job is sealed, so no worker wakes to find it unsealed.
   */
  enqueue(messages: ChunkMessage[], options?: { delayMs?: number; quiet?: boolean }): Promise<void>;
  /** Tells idle workers (on every node) that work may be claimable now. */
  announce(): Promise<void>;
  claim(consumer: string, leaseMs: number): Promise<ClaimedChunk | null>;
  /**
   * Renews the leases of chunks, each held by its `consumer`, at once (one transaction, one round trip); for each,
   * false when its consumer no longer holds it (another took it over).
   */
  heartbeat(held: ReadonlyArray<{ chunk: ClaimedChunk; consumer: string }>): Promise<boolean[]>;
  ack(chunk: ClaimedChunk): Promise<void>;
  /** Gives a claimed chunk back unfinished: claimable again at once, by any consumer (graceful shutdown). */
  release(chunk: ClaimedChunk): Promise<void>;
  /** Chunks waiting (ready or delayed), for metrics. */
  depth(): Promise<number>;
  /**
   * Calls `listener` when work may have become claimable (a chunk enqueued or handed back, by any node of the
   * fleet), so idle workers claim at once instead of waiting for their next poll; returns the unsubscribe.
   */
  onWork(listener: () => void): () => void;
  /** Embedded store only: this process is the only consumer, so every lease from a previous run is released. */
  releaseAll?(): Promise<void>;
  close(): Promise<void>;
}
