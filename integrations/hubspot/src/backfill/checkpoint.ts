import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Status } from '@mailprobe/core';

export const CHECKPOINT_FILE = 'backfill-checkpoint.json';
const CHECKPOINT_VERSION = 1;

export interface BackfillCounts {
  processed: number;
  written: number;
  missing: number;
  noEmail: number;
  byStatus: Record<Status, number>;
}

/** Where an interrupted backfill resumes: after `lastId`, with the same cutoff and counts so far. */
export interface BackfillCheckpoint {
  version: typeof CHECKPOINT_VERSION;
  staleDays: number | null;
  /** Contacts checked at or after this instant (ms) count as fresh; fixed for the whole run. */
  cutoff: number | null;
  startedAt: string;
  lastId: string;
  counts: BackfillCounts;
  /**
   * The page being written, recorded before its write goes out. A run killed after the write landed
   * but before the checkpoint moved on finds it here, and counts what HubSpot shows was written —
   * the search will not find those contacts again.
   */
  pendingPage?: PendingPage;
}

export interface PendingPage {
  /** The checkpoint's lastId once this page is done. */
  lastId: string;
  /** Contact id → its `mailprobe_checked_at` before the write ('' when never checked). */
  checkedAtBefore: Record<string, string>;
  /** Contacts on the page with no usable email. */
  noEmail: number;
}

export function emptyCounts(): BackfillCounts {
  return { processed: 0, written: 0, missing: 0, noEmail: 0, byStatus: { VALID: 0, INVALID: 0, UNKNOWN: 0 } };
}

/** The checkpoint in the data dir, or null when there is none (or it is unreadable). */
export function readCheckpoint(dataDir: string): BackfillCheckpoint | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, CHECKPOINT_FILE), 'utf8')) as BackfillCheckpoint;
    return parsed.version === CHECKPOINT_VERSION && typeof parsed.lastId === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/** Replaces the checkpoint atomically (write, fsync, rename) so a crash leaves the old or the new one. */
export function writeCheckpoint(dataDir: string, checkpoint: BackfillCheckpoint): void {
  mkdirSync(dataDir, { recursive: true });
  const target = join(dataDir, CHECKPOINT_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  const descriptor = openSync(temporary, 'w');
  try {
    writeSync(descriptor, JSON.stringify(checkpoint));
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, target);
}

export function removeCheckpoint(dataDir: string): void {
  rmSync(join(dataDir, CHECKPOINT_FILE), { force: true });
}
