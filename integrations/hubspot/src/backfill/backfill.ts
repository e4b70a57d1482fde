import { type EnrichTarget, enrichContacts } from '../enrich/enrich-contacts.js';
import type { Verifier } from '../enrich/verifier.js';
import type { HubspotGateway, SearchFilter } from '../hubspot/gateway.js';
import { type Logger, silentLogger } from '../logger.js';
import { PROPERTY_NAMES } from '../properties.js';
import { EMAIL_PROPERTY } from '../webhook/events.js';
import {
  type BackfillCheckpoint,
  type BackfillCounts,
  emptyCounts,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from './checkpoint.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const OBJECT_ID = 'hs_object_id';

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
  for (;;) {
    if (signal?.aborted) {
      return {
        counts: checkpoint.counts,
        resumed,
        completed: false,
        dryRun,
        lastId: checkpoint.lastId,
        searches,
      };
    }
    const page = await gateway.searchContacts(
      {
        filterGroups: filterGroups(checkpoint.lastId, checkpoint.cutoff),
        sorts: [OBJECT_ID],
        properties: [EMAIL_PROPERTY, PROPERTY_NAMES.checkedAt],
        limit: pageSize,
      },
      signal,
    );
    searches++;
    if (page.contacts.length === 0) break;

    const targets: EnrichTarget[] = [];
    for (const contact of page.contacts) {
      const email = contact.properties[EMAIL_PROPERTY]?.trim();
      if (email) targets.push({ contactId: contact.id, email });
      else checkpoint.counts.noEmail++;
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
    checkpoint.counts.processed += page.contacts.length;
    checkpoint.counts.written += outcome.written.length;
    checkpoint.counts.missing += outcome.missing.length;
    checkpoint.lastId = (page.contacts[page.contacts.length - 1] as { id: string }).id;
    if (!dryRun) writeCheckpoint(dataDir, checkpoint);
    if (outcome.missing.length > 0)
      logger.warn('contacts gone before write-back; skipped', { count: outcome.missing.length });
    options.onProgress?.({
      counts: checkpoint.counts,
      estimatedTotal: checkpoint.counts.processed + Math.max(0, page.total - page.contacts.length),
      lastId: checkpoint.lastId,
    });
  }
  if (!dryRun) removeCheckpoint(dataDir);
  return { counts: checkpoint.counts, resumed, completed: true, dryRun, lastId: checkpoint.lastId, searches };
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
