import type { Status, VerificationResult } from '@mailprobe/core';
import { IDEMPOTENCY_KEY_TTL_SECONDS } from '@mailprobe/core';
import type { Statement } from 'better-sqlite3';
import type {
  JobItem,
  JobRecord,
  JobRowCells,
  JobRow as JobRowRecord,
  JobState,
  JobStore,
  NewJob,
  NewJobItem,
  WebhookState,
} from '../types.js';
import type { SqliteDatabase } from './open-database.js';

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
  seq: number;
}

const COUNT_COLUMN: Record<Status, string> = {
  VALID: 'count_valid',
  INVALID: 'count_invalid',
  UNKNOWN: 'count_unknown',
};

const JOB_COLUMNS = 'rowid AS seq, *';

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
    callbackUrl: row.callback_url,
    webhookState: row.webhook_state,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

/** Jobs, items and results in the embedded store; every write that must be atomic is one transaction. */
export function createSqliteJobStore(database: SqliteDatabase): JobStore {
  const insertJob = database.prepare(
    `INSERT INTO jobs (id, key_id, state, callback_url, webhook_state, idempotency_key, created_at, updated_at,
                       ingest_lease_until)
     VALUES (@id, @keyId, 'ingesting', @callbackUrl, @webhookState, @idempotencyKey, @createdAt, @createdAt,
             @ingestLeaseUntil)`,
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
    'INSERT OR IGNORE INTO job_items (job_id, idx, address, dedup_key) VALUES (?, ?, ?, ?)',
  );
  const setTotal = database.prepare('UPDATE jobs SET total = ?, rows = ? WHERE id = ?');
  const selectItemIndex = database.prepare<[string, string], { idx: number }>(
    'SELECT idx FROM job_items WHERE job_id = ? AND dedup_key = ?',
  );
  const insertRow = database.prepare(
    'INSERT INTO job_rows (job_id, row, item_idx, input, cells) VALUES (?, ?, ?, ?, ?)',
  );
  const selectRows = database.prepare<
    [string, number, number],
    { row: number; input: string; cells: string | null; result: string | null }
  >(
    `SELECT r.row, r.input, r.cells, i.result FROM job_rows r
     JOIN job_items i ON i.job_id = r.job_id AND i.idx = r.item_idx
     WHERE r.job_id = ? AND r.row >= ? ORDER BY r.row LIMIT ?`,
  );
  const deleteRows = database.prepare('DELETE FROM job_rows WHERE job_id = ?');
  const deleteItems = database.prepare('DELETE FROM job_items WHERE job_id = ?');
  const deleteJobRow = database.prepare('DELETE FROM jobs WHERE id = ?');
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
  const countDone = Object.fromEntries(
    Object.entries(COUNT_COLUMN).map(([status, column]) => [
      status,
      database.prepare(
        `UPDATE jobs SET done = done + 1, ${column} = ${column} + 1, updated_at = ? WHERE id = ?`,
      ),
    ]),
  ) as Record<Status, Statement<unknown[]>>;
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
    `UPDATE jobs SET state = 'queued', columns = ?, updated_at = ? WHERE id = ? AND state = 'ingesting'`,
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
    insertJob.run({ ...job, webhookState: job.callbackUrl ? 'pending' : 'none' });
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
    const added: JobItem[] = [];
    for (const item of items) {
      let index: number;
      if (insertItem.run(jobId, next, item.address, item.dedupKey).changes === 1) {
        added.push({ index: next, address: item.address });
        index = next;
        next += 1;
      } else {
        index = (selectItemIndex.get(jobId, item.dedupKey) as { idx: number }).idx;
      }
      rows += 1;
      insertRow.run(jobId, rows, index, item.address, item.cells ? JSON.stringify(item.cells) : null);
    }
    setTotal.run(next, rows, jobId);
    return added;
  });

  const clearFailed = database.prepare(
    `UPDATE jobs SET total = 0, rows = 0, done = 0, count_valid = 0, count_invalid = 0, count_unknown = 0
     WHERE id = ? AND state = 'failed'`,
  );
  const discard = database.transaction((jobId: string) => {
    if (clearFailed.run(jobId).changes !== 1) return false;
    deleteRows.run(jobId);
    deleteItems.run(jobId);
    return true;
  });

  const removeJob = database.transaction((jobId: string) => {
    deleteRows.run(jobId);
    deleteItems.run(jobId);
    return deleteJobRow.run(jobId).changes === 1;
  });

  const seal = database.transaction((jobId: string, columns: string[] | null) => {
    setTotalAndSeal.run(columns ? JSON.stringify(columns) : null, new Date().toISOString(), jobId);
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
      for (const { index, result, attempt, final } of results) {
        const changed = updateItem.run(
          JSON.stringify(result),
          attempt + 1,
          final ? 1 : 0,
          jobId,
          index,
          attempt,
        );
        if (changed.changes === 1 && final) countDone[result.status].run(now, jobId);
      }
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
    async sealJob(jobId, columns) {
      return seal(jobId, columns ?? null);
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
      if (results.length > 0) record(jobId, results);
    },
    async openItems(jobId, indexes) {
      return selectOpen.all(jobId, JSON.stringify(indexes)).map((row) => row.idx);
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
      return selectRows.all(jobId, fromRow, limit).map((row) => ({
        row: row.row,
        input: row.input,
        cells: row.cells === null ? null : (JSON.parse(row.cells) as JobRowCells),
        result: row.result === null ? null : (JSON.parse(row.result) as VerificationResult),
      }));
    },
    async discardUpload(jobId) {
      return discard(jobId);
    },
    async deleteJob(jobId) {
      return removeJob(jobId);
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
