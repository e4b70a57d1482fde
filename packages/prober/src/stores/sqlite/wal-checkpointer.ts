import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './open-database.js';

/**
 * Checkpoints the embedded store's write-ahead log on a thread of its own, so the event loop never waits for one.
 *
 * SQLite checkpoints by itself at the end of the commit that takes the log past 1,000 pages: that commit copies the
 * log into the database and syncs it to disk, a stall of tens of milliseconds on the thread that committed (the
 * prober's only thread: every SMTP session of the node waits with it). Here the connection's own checkpoints start
 * only at `FALLBACK_PAGES` (a safety net, should this thread be unable to run), and a worker thread with a connection
 * of its own checkpoints passively (never blocking a writer or a reader) once the log has grown past `THRESHOLD_BYTES`.
 * The worker starts on the first such checkpoint: a store that never writes much never starts one.
 */

/** Log size at which a checkpoint is asked for: SQLite's own default point (1,000 pages of 4 KiB). */
const THRESHOLD_BYTES = 4 * 1024 * 1024;
/** How often the log's size is looked at. */
const CHECK_EVERY_MS = 250;
/** The connection checkpoints by itself past this many pages (64 MiB), should the worker not keep up or not run. */
const FALLBACK_PAGES = 16_384;

/** The worker's code (plain CommonJS, evaluated: it runs the same from sources, tests and the built package). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const database = new Database(workerData.file, { fileMustExist: true });
database.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
parentPort.on('message', (message) => {
  if (message === 'close') {
    database.close();
    parentPort.close();
    return;
  }
  try {
    const [outcome] = database.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: outcome.log, checkpointed: outcome.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

export interface WalCheckpoint {
  /** Frames in the log when the checkpoint ran, and how many of them are now in the database (-1 when none). */
  log: number;
  checkpointed: number;
}

export interface WalCheckpointer {
  /** Asks for a checkpoint now, whatever the log's size (tests; the timer asks past the threshold). */
  checkpoint(): Promise<WalCheckpoint>;
  /** Stops the timer and the worker (before the store's own connection closes). */
  close(): Promise<void>;
}

/** Starts checkpointing `database`'s log off the event loop (the connection's own checkpoints become the fallback). */
export function startWalCheckpointer(
  database: SqliteDatabase,
  options: {
    busyTimeoutMs: number;
    thresholdBytes?: number;
    checkEveryMs?: number;
    /** Told of each checkpoint the timer asked for, once it has run. */
    onCheckpoint?: (outcome: WalCheckpoint) => void;
    onError?: (message: string) => void;
  },
): WalCheckpointer {
  const file = database.name;
  const thresholdBytes = options.thresholdBytes ?? THRESHOLD_BYTES;
  const onError =
    options.onError ?? ((message: string) => process.emitWarning(`WAL checkpoint worker: ${message}`));
  database.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let worker: Worker | null = null;
  let running: Promise<WalCheckpoint> | null = null;
  let closed = false;

  function workerOf(): Worker {
    if (!worker) {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { driver, file, busyTimeoutMs: options.busyTimeoutMs },
      });
      worker.unref();
      worker.on('error', (error) => {
        // The connection's own checkpoints (FALLBACK_PAGES) carry on; a later checkpoint starts a new worker.
        onError(error.message);
        worker = null;
      });
    }
    return worker;
  }

  function checkpoint(): Promise<WalCheckpoint> {
    if (running) return running;
    const current = workerOf();
    running = new Promise<WalCheckpoint>((resolve, reject) => {
      const onExit = () => reject(new Error('the checkpoint worker stopped'));
      current.once('exit', onExit);
      current.once('message', (answer: WalCheckpoint | { error: string }) => {
        current.off('exit', onExit);
        if ('error' in answer) reject(new Error(answer.error));
        else resolve(answer);
      });
      current.postMessage('checkpoint');
    }).finally(() => {
      running = null;
    });
    return running;
  }

  const timer = setInterval(() => {
    if (running || closed) return;
    stat(`${file}-wal`).then(
      (log) => {
        if (closed || running || log.size < thresholdBytes) return;
        checkpoint().then(
          (outcome) => options.onCheckpoint?.(outcome),
          (error: Error) => onError(error.message),
        );
      },
      () => {}, // no log yet
    );
  }, options.checkEveryMs ?? CHECK_EVERY_MS);
  timer.unref();

  return {
    checkpoint,
    async close() {
      closed = true;
      clearInterval(timer);
      await running?.catch(() => {});
      const current = worker;
      worker = null;
      if (!current) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.postMessage('close');
      await exited;
    },
  };
}
