import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, openDatabase, type SqliteDatabase } from './open-database.js';
import { startWalCheckpointer, type WalCheckpoint } from './wal-checkpointer.js';

const KIB = 1024;
/** One write: 256 rows of 1 KiB, a quarter of a mebibyte of log. */
function writeQuarterMebibyte(database: SqliteDatabase, round: number): void {
  const insert = database.prepare('INSERT INTO filler (round, body) VALUES (?, ?)');
  database.transaction(() => {
    for (let row = 0; row < 256; row += 1) insert.run(round, 'x'.repeat(KIB));
  })();
}

describe('WAL checkpoints on a thread of their own', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function open() {
    const dir = await mkdtemp(path.join(tmpdir(), 'mailprobe-wal-'));
    dirs.push(dir);
    const database = openDatabase(dir);
    database.exec('CREATE TABLE filler (round INTEGER NOT NULL, body TEXT NOT NULL)');
    return database;
  }

  it('keeps the log from growing while the connection itself never checkpoints below its fallback', async () => {
    const database = await open();
    const checkpoints: WalCheckpoint[] = [];
    let ran: (() => void) | null = null;
    const checkpointer = startWalCheckpointer(database, {
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      thresholdBytes: 512 * KIB,
      checkEveryMs: 20,
      onCheckpoint: (outcome) => {
        checkpoints.push(outcome);
        ran?.();
      },
    });
    // The connection's own automatic checkpoints start only at 64 MiB of log (the fallback).
    expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
    const rounds = 24; // 6 MiB written in all
    for (let round = 0; round < rounds; round += 1) {
      writeQuarterMebibyte(database, round);
      // Past the threshold: wait for the worker's checkpoint before writing on (the next write then starts the log
      // over from its beginning).
      if (statSync(`${database.name}-wal`).size >= 512 * KIB) {
        const before = checkpoints.length;
        await new Promise<void>((resolve) => {
          ran = resolve;
          if (checkpoints.length > before) resolve();
        });
        ran = null;
      }
    }
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    // Each checkpoint copied the whole log into the database (nothing held it back).
    for (const outcome of checkpoints) expect(outcome.checkpointed).toBe(outcome.log);
    // Without them the log would hold all 6 MiB; it stays near the threshold instead.
    expect(statSync(`${database.name}-wal`).size).toBeLessThan(2 * 1024 * KIB);
    expect(database.prepare('SELECT COUNT(*) AS n FROM filler').get()).toEqual({ n: rounds * 256 });
    await checkpointer.close();
    database.close();
  });

  it('checkpoints on demand, and closes its worker before the connection closes', async () => {
    const database = await open();
    const checkpointer = startWalCheckpointer(database, { busyTimeoutMs: BUSY_TIMEOUT_MS });
    writeQuarterMebibyte(database, 0);
    const outcome = await checkpointer.checkpoint();
    expect(outcome.log).toBeGreaterThan(0);
    expect(outcome.checkpointed).toBe(outcome.log);
    await checkpointer.close();
    database.close();
    // The worker's connection is gone too: the database can be reopened and checkpointed to nothing.
    const again = openDatabase(path.dirname(database.name));
    expect(again.prepare('SELECT COUNT(*) AS n FROM filler').get()).toEqual({ n: 256 });
    again.close();
  });
});
