import type { Status } from '@mailprobe/core';
import { type EnrichTarget, enrichContacts } from '../enrich/enrich-contacts.js';
import type { Verifier } from '../enrich/verifier.js';
import type { HubspotGateway, SearchFilter } from '../hubspot/gateway.js';
import { type Logger, silentLogger } from '../logger.js';
import { PROPERTY_NAMES, statusOptionValue } from '../properties.js';
import { EMAIL_PROPERTY } from '../webhook/events.js';
import {
  type BackfillCheckpoint,
  type BackfillCounts,
  emptyCounts,
  type PendingPage,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from './checkpoint.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const OBJECT_ID = 'hs_object_id';
/** The search cursor of a first page; HubSpot's spec marks `after` required. */
const FIRST_PAGE = '0';
const STATUS_BY_OPTION = new Map<string, Status>(
  (['VALID', 'INVALID', 'UNKNOWN'] as const).map((status) => [statusOptionValue(status), status]),
);

export interface BackfillOptions {
  gateway: HubspotGateway;
  verifier: Verifier;
  /** Holds the checkpoint. */
  dataDir: string;
  /** Also re-verify contacts checked more than this many days ago; null: only never-checked contacts. */
  staleDays: number | null;
  /** Verify and report, write nothing to HubSpot (and keep no checkpoint). */
  dryRun?: boolean;
  /** Contacts per search page, verify batch and write-back batch (≤ 100). */
  pageSize?: number;
  /** Ignore an unfinished checkpoint and start over. */
  restart?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: BackfillProgress) => void;
  logger?: Logger;
  now?: () => number;
}

export interface BackfillProgress {
  counts: BackfillCounts;
  /** Contacts done plus those the latest search still matched. */
  estimatedTotal: number;
  lastId: string;
}

export interface BackfillSummary {
  counts: BackfillCounts;
  resumed: boolean;
  /** False when stopped by the signal before the end; run again to resume. */
  completed: boolean;
  dryRun: boolean;
  lastId: string;
  searches: number;
}

/**
 * Finds contacts never checked (or checked before the cutoff), verifies and writes them back, page by page.
 *
 * Every page is a fresh search for `hs_object_id > lastId`, sorted by `hs_object_id`: HubSpot's search
 * stops at 10,000 results per query, and its `after` cursor is an offset that skips contacts once the
 * ones already written drop out of the filter. Restarting from the last id avoids both and makes the
 * last id a natural checkpoint.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillSummary> {
  const { gateway, verifier, dataDir, signal } = options;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const dryRun = options.dryRun ?? false;
  const pageSize = options.pageSize ?? 100;

  const saved = dryRun || options.restart ? null : readCheckpoint(dataDir);
  const resumed = saved !== null && saved.staleDays === options.staleDays;
  const checkpoint: BackfillCheckpoint = resumed
    ? saved
    : {
        version: 1,
        staleDays: options.staleDays,
        cutoff: options.staleDays === null ? null : now() - options.staleDays * DAY_MS,
        startedAt: new Date(now()).toISOString(),
        lastId: '0',
        counts: emptyCounts(),
      };
  if (resumed) logger.info('backfill resuming from checkpoint', { lastId: checkpoint.lastId });

  let searches = 0;
  const interrupted = (): BackfillSummary => ({
    counts: checkpoint.counts,
    resumed,
    completed: false,
    dryRun,
    lastId: checkpoint.lastId,
    searches,
  });
  try {
    if (checkpoint.pendingPage !== undefined) {
      await settlePendingPage(gateway, checkpoint, checkpoint.pendingPage, signal);
      writeCheckpoint(dataDir, checkpoint);
    }
    for (;;) {
      if (signal?.aborted) return interrupted();
      const page = await gateway.searchContacts(
        {
          filterGroups: filterGroups(checkpoint.lastId, checkpoint.cutoff),
          sorts: [OBJECT_ID],
          properties: [EMAIL_PROPERTY, PROPERTY_NAMES.checkedAt],
          limit: pageSize,
          // Every page is a fresh search from the last id, so the cursor always starts at the top.
          after: FIRST_PAGE,
        },
        signal,
      );
      searches++;
      if (page.contacts.length === 0) break;
      // Ctrl-C while the search was in flight: stop before verifying a page nobody will write.
      if (signal?.aborted) return interrupted();

      const targets: EnrichTarget[] = [];
      let noEmail = 0;
      for (const contact of page.contacts) {
        const email = contact.properties[EMAIL_PROPERTY]?.trim();
        if (email) targets.push({ contactId: contact.id, email });
        else noEmail++;
      }
      const pageLastId = (page.contacts[page.contacts.length - 1] as { id: string }).id;
      if (!dryRun) {
        // Write-ahead: if the process dies after HubSpot applied the update but before the checkpoint
        // below, the next run settles this page from what HubSpot holds.
        checkpoint.pendingPage = {
          lastId: pageLastId,
          noEmail,
          checkedAtBefore: Object.fromEntries(
            page.contacts.map((contact) => [contact.id, contact.properties[PROPERTY_NAMES.checkedAt] ?? '']),
          ),
        };
        writeCheckpoint(dataDir, checkpoint);
      }
      const outcome = await enrichContacts({
        gateway,
        verifier,
        targets,
        dryRun,
        ...(signal ? { signal } : {}),
      });
      const missing = new Set(outcome.missing);
      for (const target of targets) {
        if (missing.has(target.contactId)) continue;
        const status = outcome.results.get(target.contactId)?.status;
        if (status !== undefined) checkpoint.counts.byStatus[status]++;
      }
      checkpoint.counts.noEmail += noEmail;
      checkpoint.counts.processed += page.contacts.length;
      checkpoint.counts.written += outcome.written.length;
      checkpoint.counts.missing += outcome.missing.length;
      checkpoint.lastId = pageLastId;
      delete checkpoint.pendingPage;
      if (!dryRun) writeCheckpoint(dataDir, checkpoint);
      if (outcome.missing.length > 0)
        logger.warn('contacts gone before write-back; skipped', { count: outcome.missing.length });
      options.onProgress?.({
        counts: checkpoint.counts,
        estimatedTotal: checkpoint.counts.processed + Math.max(0, page.total - page.contacts.length),
        lastId: checkpoint.lastId,
      });
    }
  } catch (error) {
    // Whoever threw (our gateway's AbortedError, core's ProberApiError `aborted`, a fetch AbortError):
    // once the signal fired, this is an interruption with a summary, not a failure.
    if (signal?.aborted) return interrupted();
    throw error;
  }
  if (!dryRun) removeCheckpoint(dataDir);
  return { counts: checkpoint.counts, resumed, completed: true, dryRun, lastId: checkpoint.lastId, searches };
}

/**
 * Counts a page whose write may have landed without its checkpoint: a contact counts as written when
 * HubSpot now holds a different `mailprobe_checked_at` than the search saw. When every target was
 * written the checkpoint moves past the page; otherwise it stays, and the search finds the rest again.
 */
async function settlePendingPage(
  gateway: HubspotGateway,
  checkpoint: BackfillCheckpoint,
  pending: PendingPage,
  signal: AbortSignal | undefined,
): Promise<void> {
  const ids = Object.keys(pending.checkedAtBefore);
  const read = await gateway.readContacts(
    ids,
    [PROPERTY_NAMES.checkedAt, PROPERTY_NAMES.status, EMAIL_PROPERTY],
    signal,
  );
  let written = 0;
  let unwritten = 0;
  for (const contact of read.contacts) {
    const checkedAt = contact.properties[PROPERTY_NAMES.checkedAt] ?? '';
    const status = STATUS_BY_OPTION.get(contact.properties[PROPERTY_NAMES.status] ?? '');
    if (checkedAt !== '' && checkedAt !== pending.checkedAtBefore[contact.id] && status !== undefined) {
      written++;
      checkpoint.counts.byStatus[status]++;
    } else if (contact.properties[EMAIL_PROPERTY]?.trim()) {
      unwritten++;
    }
  }
  checkpoint.counts.written += written;
  checkpoint.counts.processed += written;
  if (unwritten === 0) {
    checkpoint.counts.processed += pending.noEmail + read.missingIds.length;
    checkpoint.counts.noEmail += pending.noEmail;
    checkpoint.counts.missing += read.missingIds.length;
    checkpoint.lastId = pending.lastId;
  }
  delete checkpoint.pendingPage;
}

/** Contacts with an email, after `lastId`, never checked — or (with a cutoff) checked before it. */
function filterGroups(lastId: string, cutoff: number | null): Array<{ filters: SearchFilter[] }> {
  const common: SearchFilter[] = [
    { propertyName: OBJECT_ID, operator: 'GT', value: lastId },
    { propertyName: EMAIL_PROPERTY, operator: 'HAS_PROPERTY' },
  ];
  const groups = [
    {
      filters: [...common, { propertyName: PROPERTY_NAMES.checkedAt, operator: 'NOT_HAS_PROPERTY' as const }],
    },
  ];
  if (cutoff !== null) {
    groups.push({
      filters: [
        ...common,
        { propertyName: PROPERTY_NAMES.checkedAt, operator: 'LT' as const, value: String(cutoff) },
      ],
    });
  }
  return groups;
}
