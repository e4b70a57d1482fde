import type { Status, VerificationResult } from '@mailprobe/core';
import { IDEMPOTENCY_KEY_TTL_SECONDS } from '@mailprobe/core';
import type {
  JobItem,
  JobRecord,
  JobRowCells,
  JobRow as JobRowRecord,
  JobState,
  JobStore,
  NewJob,
  NewJobItem,
  UploadDetails,
  UploadFormat,
  WebhookState,
} from '../types.js';
import type { SqliteDatabase } from './open-database.js';
import { resultJson } from './result-json.js';

interface JobRow {
  id: string;
  key_id: string;
  state: JobState;
  total: number;
  done: number;
  count_valid: number;
  count_invalid: number;
  count_unknown: number;
  callback_url: string | null;
  webhook_state: WebhookState;
  error: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  rows: number;
  columns: string | null;
  file_name: string | null;
  address_column: string | null;
  upload_format: string | null;
  count_blank: number;
  count_risky: number;
  seq: number;
  waiting: number;
  next_retry_at: number | null;
  started_at: number | null;
  not_checked: number;
}

/** `job_rows.item_idx` of a row whose address cell is blank: it has no item. */
const BLANK_ROW_ITEM = -1;

// Progress facts live in tables of their own (job_waiting, job_progress), read with every job.
const JOB_COLUMNS = `rowid AS seq, *,
  (SELECT COUNT(*) FROM job_waiting w WHERE w.job_id = jobs.id) AS waiting,
  (SELECT MIN(w.retry_at) FROM job_waiting w WHERE w.job_id = jobs.id) AS next_retry_at,
  (SELECT p.started_at FROM job_progress p WHERE p.job_id = jobs.id) AS started_at,
  COALESCE((SELECT p.not_checked FROM job_progress p WHERE p.job_id = jobs.id), 0) AS not_checked`;

function encodeCursor(seq: number): string {
  return Buffer.from(String(seq)).toString('base64url');
}

function decodeCursor(cursor: string): number | null {
  const seq = Number(Buffer.from(cursor, 'base64url').toString());
  return Number.isSafeInteger(seq) && seq > 0 ? seq : null;
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    keyId: row.key_id,
    state: row.state,
    total: row.total,
    rows: row.rows,
    columns: row.columns === null ? null : (JSON.parse(row.columns) as string[]),
    done: row.done,
    counts: { VALID: row.count_valid, INVALID: row.count_invalid, UNKNOWN: row.count_unknown },
    risky: row.count_risky,
    blank: row.count_blank,
    fileName: row.file_name,
    column: row.address_column,
    format: row.upload_format === null ? null : (JSON.parse(row.upload_format) as UploadFormat),
    callbackUrl: row.callback_url,
    webhookState: row.webhook_state,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    waiting: row.waiting,
    nextRetryAt: row.next_retry_at,
    startedAt: row.started_at,
    notChecked: row.not_checked,
  };
}

/** Jobs, items and results in the embedded store; every write that must be atomic is one transaction. */
export function createSqliteJobStore(database: SqliteDatabase): JobStore {
  const insertJob = database.prepare(
    `INSERT INTO jobs (id, key_id, state, callback_url, webhook_state, idempotency_key, created_at, updated_at,
                       ingest_lease_until, file_name)
     VALUES (@id, @keyId, 'ingesting', @callbackUrl, @webhookState, @idempotencyKey, @createdAt, @createdAt,
             @ingestLeaseUntil, @fileName)`,
  );
  const selectJob = database.prepare<[string], JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`);
  const selectByIdempotencyKey = database.prepare<[string, string], JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs WHERE key_id = ? AND idempotency_key = ?`,
  );
  const forgetIdempotencyKey = database.prepare('UPDATE jobs SET idempotency_key = NULL WHERE id = ?');
  const selectByState = database.prepare<[string], JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs WHERE state = ? ORDER BY rowid`,
  );
  const selectPage = database.prepare<
    { keyId: string; state: string | null; before: number; limit: number },
    JobRow
  >(
    `SELECT ${JOB_COLUMNS} FROM jobs
     WHERE key_id = @keyId AND rowid < @before AND state != 'ingesting' AND (@state IS NULL OR state = @state)
     ORDER BY rowid DESC LIMIT @limit`,
  );
  const selectPendingWebhooks = database.prepare<[], JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs WHERE webhook_state = 'pending' AND state IN ('completed', 'cancelled', 'failed')`,
  );
  const insertItem = database.prepare(
    'INSERT OR IGNORE INTO job_items (job_id, idx, address, dedup_key, first_row) VALUES (?, ?, ?, ?, ?)',
  );
  const setTotal = database.prepare(
    'UPDATE jobs SET total = ?, rows = ?, count_blank = count_blank + ? WHERE id = ?',
  );
  const selectItemIndex = database.prepare<[string, string], { idx: number }>(
    'SELECT idx FROM job_items WHERE job_id = ? AND dedup_key = ?',
  );
  const insertRow = database.prepare(
    'INSERT INTO job_rows (job_id, row, item_idx, input, cells) VALUES (?, ?, ?, ?, ?)',
  );
  const selectRows = database.prepare<
    [string, number, number],
    {
      row: number;
      input: string;
      cells: string | null;
      item: number;
      result: string | null;
      first_row: number | null;
    }
  >(
    `SELECT r.row, r.input, r.cells, r.item_idx AS item, i.result, i.first_row FROM job_rows r
     LEFT JOIN job_items i ON i.job_id = r.job_id AND i.idx = r.item_idx
     WHERE r.job_id = ? AND r.row >= ? ORDER BY r.row LIMIT ?`,
  );
  const updateFingerprint = database.prepare('UPDATE jobs SET request_fingerprint = ? WHERE id = ?');
  const selectFingerprint = database.prepare<[string], { request_fingerprint: string | null }>(
    'SELECT request_fingerprint FROM jobs WHERE id = ?',
  );
  const deleteRows = database.prepare('DELETE FROM job_rows WHERE job_id = ?');
  const deleteItems = database.prepare('DELETE FROM job_items WHERE job_id = ?');
  const deleteJobRow = database.prepare('DELETE FROM jobs WHERE id = ?');
  const deleteWaiting = database.prepare('DELETE FROM job_waiting WHERE job_id = ?');
  const deleteProgress = database.prepare('DELETE FROM job_progress WHERE job_id = ?');
  const unschedule = database.prepare(
    'DELETE FROM job_waiting WHERE job_id = ? AND idx IN (SELECT value FROM json_each(?))',
  );
  const schedule = database.prepare(
    'INSERT INTO job_waiting (job_id, idx, retry_at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET retry_at = excluded.retry_at',
  );
  const noteStarted = database.prepare(
    `INSERT INTO job_progress (job_id, started_at) VALUES (?, ?)
     ON CONFLICT DO UPDATE SET started_at = min(coalesce(started_at, excluded.started_at), excluded.started_at)`,
  );
  const countNotChecked = database.prepare(
    `INSERT INTO job_progress (job_id, not_checked) VALUES (?, 1)
     ON CONFLICT DO UPDATE SET not_checked = not_checked + 1`,
  );
  const selectUnfinished = database.prepare<
    [string, number, number],
    { idx: number; address: string; result: string | null }
  >(
    'SELECT idx, address, result FROM job_items WHERE job_id = ? AND idx >= ? AND idx < ? AND final = 0 ORDER BY idx',
  );
  const selectFinishedBefore = database.prepare<[string, number], { id: string }>(
    `SELECT id FROM jobs WHERE completed_at IS NOT NULL AND completed_at < ?
       AND state IN ('completed', 'cancelled', 'failed') ORDER BY completed_at LIMIT ?`,
  );
  const selectPending = database.prepare<[string, string, number], { idx: number; address: string }>(
    `SELECT idx, address FROM job_items
     WHERE job_id = ? AND idx IN (SELECT value FROM json_each(?)) AND final = 0 AND attempts <= ? ORDER BY idx`,
  );
  const selectOpen = database.prepare<[string, string], { idx: number }>(
    `SELECT idx FROM job_items WHERE job_id = ? AND idx IN (SELECT value FROM json_each(?)) AND final = 0 ORDER BY idx`,
  );
  const updateItem = database.prepare(
    `UPDATE job_items SET result = ?, attempts = ?, final = ?
     WHERE job_id = ? AND idx = ? AND final = 0 AND attempts <= ?`,
  );
  // One update of the job's counters per batch of results, not one per result (the job row is rewritten each time).
  const countDone = database.prepare(
    `UPDATE jobs SET done = done + @done, count_valid = count_valid + @valid, count_invalid = count_invalid + @invalid,
       count_unknown = count_unknown + @unknown, count_risky = count_risky + @risky, updated_at = @now WHERE id = @id`,
  );
  const markRunning = database.prepare(
    `UPDATE jobs SET state = 'running', updated_at = ? WHERE id = ? AND state = 'queued'`,
  );
  const complete = database.prepare(
    `UPDATE jobs SET state = 'completed', completed_at = @at, updated_at = @at
     WHERE id = @id AND state IN ('queued', 'running') AND done = total`,
  );
  const selectResults = database.prepare<[string, number, number], { idx: number; result: string | null }>(
    'SELECT idx, result FROM job_items WHERE job_id = ? AND idx >= ? ORDER BY idx LIMIT ?',
  );
  const updateWebhook = database.prepare('UPDATE jobs SET webhook_state = ? WHERE id = ?');
  const setTotalAndSeal = database.prepare(
    `UPDATE jobs SET state = 'queued', columns = ?, address_column = ?, upload_format = ?, updated_at = ?
     WHERE id = ? AND state = 'ingesting'`,
  );

  const renewLease = database.prepare(
    `UPDATE jobs SET ingest_lease_until = ? WHERE id = ? AND state = 'ingesting'`,
  );
  const selectExpiredIngests = database.prepare<[number], { id: string }>(
    `SELECT id FROM jobs WHERE state = 'ingesting' AND ingest_lease_until < ?`,
  );
  const failIngest = database.prepare(
    `UPDATE jobs SET state = 'failed', error = ?, updated_at = ?, completed_at = COALESCE(completed_at, ?)
     WHERE id = ? AND state = 'ingesting'`,
  );
  const updateCallbackUrl = database.prepare(
    `UPDATE jobs SET callback_url = ?, webhook_state = 'pending' WHERE id = ? AND state = 'ingesting'`,
  );
  const failExpired = database.transaction((now: number, error: string) => {
    const at = new Date(now).toISOString();
    const failed: string[] = [];
    for (const { id } of selectExpiredIngests.all(now)) {
      if (failIngest.run(error, at, at, id).changes === 1) failed.push(id);
    }
    return failed;
  });

  const create = database.transaction((job: NewJob) => {
    if (job.idempotencyKey !== null) {
      const existing = selectByIdempotencyKey.get(job.keyId, job.idempotencyKey);
      const ageMs = existing ? Date.now() - Date.parse(existing.created_at) : 0;
      // A failed job never got past its upload (its request was answered with an error), so its key is free again.
      if (existing && existing.state !== 'failed' && ageMs < IDEMPOTENCY_KEY_TTL_SECONDS * 1000)
        return { created: false, job: toRecord(existing) };
      if (existing) forgetIdempotencyKey.run(existing.id);
    }
    insertJob.run({
      ...job,
      fileName: job.fileName ?? null,
      webhookState: job.callbackUrl ? 'pending' : 'none',
    });
    const row = selectJob.get(job.id);
    if (!row) throw new Error(`job ${job.id} was not stored`);
    return { created: true, job: toRecord(row) };
  });

  const appendItems = database.transaction((jobId: string, items: NewJobItem[]) => {
    const row = selectJob.get(jobId);
    if (!row) throw new Error(`job ${jobId} does not exist`);
    if (row.state !== 'ingesting') throw new Error(`job ${jobId} is no longer ingesting (${row.state})`);
    let next = row.total;
    let rows = row.rows;
    let blank = 0;
    const added: JobItem[] = [];
    for (const item of items) {
      let index: number;
      if (item.dedupKey === '') {
        index = BLANK_ROW_ITEM;
        blank += 1;
      } else if (insertItem.run(jobId, next, item.address, item.dedupKey, rows + 1).changes === 1) {
        added.push({ index: next, address: item.address });
        index = next;
        next += 1;
      } else {
        index = (selectItemIndex.get(jobId, item.dedupKey) as { idx: number }).idx;
      }
      rows += 1;
      insertRow.run(jobId, rows, index, item.address, item.cells ? JSON.stringify(item.cells) : null);
    }
    setTotal.run(next, rows, blank, jobId);
    return added;
  });

  const clearFailed = database.prepare(
    `UPDATE jobs SET total = 0, rows = 0, done = 0, count_valid = 0, count_invalid = 0, count_unknown = 0,
       count_blank = 0, count_risky = 0, request_fingerprint = NULL
     WHERE id = ? AND state = 'failed'`,
  );
  const discard = database.transaction((jobId: string) => {
    if (clearFailed.run(jobId).changes !== 1) return false;
    deleteRows.run(jobId);
    deleteItems.run(jobId);
    return true;
  });

  const removeJob = database.transaction((jobId: string) => {
    deleteWaiting.run(jobId);
    deleteProgress.run(jobId);
    deleteRows.run(jobId);
    deleteItems.run(jobId);
    return deleteJobRow.run(jobId).changes === 1;
  });

  const scheduleRetries = database.transaction(
    (jobId: string, chunk: { indexes: number[]; waiting: number[]; retryAt: number; startedAt: number }) => {
      unschedule.run(jobId, JSON.stringify(chunk.indexes));
      for (const index of chunk.waiting) schedule.run(jobId, index, chunk.retryAt);
      noteStarted.run(jobId, chunk.startedAt);
    },
  );

  const seal = database.transaction((jobId: string, columns: string[] | null, details?: UploadDetails) => {
    setTotalAndSeal.run(
      columns ? JSON.stringify(columns) : null,
      details?.column ?? null,
      details?.format ? JSON.stringify(details.format) : null,
      new Date().toISOString(),
      jobId,
    );
    const row = selectJob.get(jobId);
    if (!row) throw new Error(`job ${jobId} does not exist`);
    return toRecord(row);
  });

  const record = database.transaction(
    (
      jobId: string,
      results: Array<{ index: number; result: VerificationResult; attempt: number; final: boolean }>,
    ) => {
      const now = new Date().toISOString();
      markRunning.run(now, jobId);
      const counts: Record<Status, number> = { VALID: 0, INVALID: 0, UNKNOWN: 0 };
      let finals = 0;
      let risky = 0;
      for (const { index, result, attempt, final } of results) {
        const changed = updateItem.run(resultJson(result), attempt + 1, final ? 1 : 0, jobId, index, attempt);
        if (changed.changes === 1 && final) {
          counts[result.status] += 1;
          if (result.status === 'UNKNOWN' && result.reason === 'catch_all') risky += 1;
          if (result.reason === 'not_checked') countNotChecked.run(jobId);
          finals += 1;
        }
      }
      if (finals > 0) {
        countDone.run({
          done: finals,
          valid: counts.VALID,
          invalid: counts.INVALID,
          unknown: counts.UNKNOWN,
          risky,
          now,
          id: jobId,
        });
      }
      return finals;
    },
  );

  return {
    async createJob(job) {
      return create(job);
    },
    async listJobs(keyId, { state, limit, cursor }) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor);
      if (before === null) return { jobs: [], nextCursor: null };
      const rows = selectPage.all({ keyId, state: state ?? null, before, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        jobs: page.map(toRecord),
        nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
      };
    },
    async appendItems(jobId, items) {
      return appendItems(jobId, items);
    },
    async sealJob(jobId, columns, details) {
      return seal(jobId, columns ?? null, details);
    },
    async renewIngestLease(jobId, until) {
      return renewLease.run(until, jobId).changes === 1;
    },
    async failExpiredIngests(now, error) {
      return failExpired(now, error);
    },
    async setCallbackUrl(jobId, callbackUrl) {
      return updateCallbackUrl.run(callbackUrl, jobId).changes === 1;
    },
    async getJob(jobId) {
      const row = selectJob.get(jobId);
      return row ? toRecord(row) : null;
    },
    async listJobsInState(state) {
      return selectByState.all(state).map(toRecord);
    },
    async setState(jobId, state, from, error) {
      const placeholders = from.map(() => '?').join(', ');
      const statement = database.prepare(
        `UPDATE jobs SET state = ?, error = ?, updated_at = ?, completed_at = COALESCE(completed_at, ?)
         WHERE id = ? AND state IN (${placeholders})`,
      );
      const now = new Date().toISOString();
      const terminal = state === 'completed' || state === 'cancelled' || state === 'failed';
      return statement.run(state, error ?? null, now, terminal ? now : null, jobId, ...from).changes === 1;
    },
    async pendingItems(jobId, indexes, attempt) {
      return selectPending
        .all(jobId, JSON.stringify(indexes), attempt)
        .map((row) => ({ index: row.idx, address: row.address }));
    },
    async recordResults(jobId, results) {
      return results.length > 0 ? record(jobId, results) : 0;
    },
    async openItems(jobId, indexes) {
      return selectOpen.all(jobId, JSON.stringify(indexes)).map((row) => row.idx);
    },
    async scheduleRetries(jobId, chunk) {
      scheduleRetries(jobId, chunk);
    },
    async unfinishedItems(jobId, fromIndex, limit) {
      const total = selectJob.get(jobId)?.total ?? 0;
      const until = Math.min(total, fromIndex + limit);
      const items = selectUnfinished.all(jobId, fromIndex, until).map((row) => ({
        index: row.idx,
        address: row.address,
        result: row.result === null ? null : (JSON.parse(row.result) as VerificationResult),
      }));
      return { items, nextIndex: until < total ? until : null };
    },
    async completeIfDone(jobId, completedAt) {
      return complete.run({ at: completedAt, id: jobId }).changes === 1;
    },
    async readResults(jobId, fromIndex, limit) {
      return selectResults
        .all(jobId, fromIndex, limit)
        .map((row) => (row.result === null ? null : (JSON.parse(row.result) as VerificationResult)));
    },
    async readRows(jobId, fromRow, limit): Promise<JobRowRecord[]> {
      // Rows of one address share its result: parsed once per page, the same object for each of them.
      const results = new Map<string, VerificationResult>();
      const resultOf = (text: string) => {
        let result = results.get(text);
        if (!result) {
          result = JSON.parse(text) as VerificationResult;
          results.set(text, result);
        }
        return result;
      };
      return selectRows.all(jobId, fromRow, limit).map((row) => {
        const duplicateOf = row.first_row !== null && row.first_row !== row.row ? row.first_row : null;
        return {
          row: row.row,
          input: row.input,
          cells: row.cells === null ? null : (JSON.parse(row.cells) as JobRowCells),
          result: row.result === null ? null : resultOf(row.result),
          skipped: row.item === BLANK_ROW_ITEM ? 'blank' : duplicateOf === null ? null : 'duplicate',
          duplicateOf,
        };
      });
    },
    async discardUpload(jobId) {
      return discard(jobId);
    },
    async deleteJob(jobId) {
      return removeJob(jobId);
    },
    async setRequestFingerprint(jobId, fingerprint) {
      updateFingerprint.run(fingerprint, jobId);
    },
    async getRequestFingerprint(jobId) {
      return selectFingerprint.get(jobId)?.request_fingerprint ?? null;
    },
    async finishedBefore(before, limit) {
      return selectFinishedBefore.all(new Date(before).toISOString(), limit).map((row) => row.id);
    },
    async setWebhookState(jobId, state) {
      updateWebhook.run(state, jobId);
    },
    async jobsWithPendingWebhook() {
      return selectPendingWebhooks.all().map(toRecord);
    },
    async close() {},
  };
}
