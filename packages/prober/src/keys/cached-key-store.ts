import type { ApiKeyRecord, KeyStore } from '../stores/types.js';

/**
 * Who may count usage in the store behind: `local` when this process is the only one (the embedded store, where
 * `serve` owns the data folder and `mailprobe keys` only creates, lists and revokes), `shared` for a fleet.
 */
export type UsageAccounting = 'local' | 'shared';

export interface CachedKeyStoreOptions {
  /** How long a record read from the store is trusted (revocations made elsewhere show within this). */
  recordTtlMs: number;
  usage: UsageAccounting;
  /** `local`: unwritten usage is written at this interval and on close. */
  flushIntervalMs: number;
  /** `local`: a key with this many unwritten units is written at once. */
  flushMaxUnits: number;
  now?: () => number;
  /** Told when usage could not be written (it is kept and retried) or the store disagreed with memory. */
  onFlushProblem?: (problem: { keyId: string; units: number; error?: unknown }) => void;
}

/** A key store that also exposes its pending usage writes. */
export interface CachedKeyStore extends KeyStore {
  /** Writes every unwritten usage count to the store. */
  flush(): Promise<void>;
}

interface CachedRecord {
  record: ApiKeyRecord;
  freshUntil: number;
}

/** Usage of one key as this process knows it (local accounting): `used` is authoritative, `unwritten` not yet stored. */
interface UsageEntry {
  used: number;
  unwritten: number;
}

/**
 * Keeps key records in memory for a short time and, where this process alone counts usage, keeps the quota
 * counters in memory (checked exactly on every call) and writes them in batches. A crash loses at most the last
 * `flushIntervalMs` of usage accounting, never more than `flushMaxUnits` per key; revocations through this
 * store take effect at once, revocations made elsewhere within `recordTtlMs`. A fleet (`shared`) keeps the
 * store's atomic per-call quota check, so nodes can never overspend together.
 */
export function createCachedKeyStore(inner: KeyStore, options: CachedKeyStoreOptions): CachedKeyStore {
  const now = options.now ?? Date.now;
  const records = new Map<string, CachedRecord>();
  const loading = new Map<string, Promise<ApiKeyRecord | null>>();
  const usage = new Map<string, UsageEntry>();
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  let closed = false;

  const timer =
    options.usage === 'local'
      ? setInterval(() => {
          void flush();
        }, options.flushIntervalMs)
      : null;
  timer?.unref();

  async function load(id: string): Promise<ApiKeyRecord | null> {
    const cached = records.get(id);
    if (cached && cached.freshUntil > now()) return cached.record;
    let pending = loading.get(id);
    if (!pending) {
      pending = inner.get(id).then(
        (record) => {
          loading.delete(id);
          if (record) records.set(id, { record, freshUntil: now() + options.recordTtlMs });
          else records.delete(id);
          return record;
        },
        (error: unknown) => {
          loading.delete(id);
          throw error;
        },
      );
      loading.set(id, pending);
    }
    return pending;
  }

  function withUsage(record: ApiKeyRecord): ApiKeyRecord {
    const entry = usage.get(record.id);
    return entry ? { ...record, used: entry.used } : record;
  }

  async function writeUsage(): Promise<void> {
    for (const [keyId, entry] of usage) {
      const units = entry.unwritten;
      if (units === 0) continue;
      entry.unwritten = 0;
      let stored: boolean;
      if (units < 0) {
        // More was refunded than consumed since the last write.
        try {
          await inner.refund(keyId, -units);
        } catch (error) {
          entry.unwritten += units;
          options.onFlushProblem?.({ keyId, units, error });
        }
        continue;
      }
      try {
        // Memory already checked the quota; the store's own check only fails if someone else counted usage.
        stored = await inner.consume(keyId, units);
      } catch (error) {
        entry.unwritten += units;
        options.onFlushProblem?.({ keyId, units, error });
        continue;
      }
      if (!stored) {
        // The store disagrees (another writer, or the key is gone): start again from what it holds.
        usage.delete(keyId);
        records.delete(keyId);
        options.onFlushProblem?.({ keyId, units });
      }
    }
  }

  /** One write at a time; a call during a write gets one more write after it, so no count waits for the timer. */
  function flush(): Promise<void> {
    if (!running) {
      running = writeUsage().finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running.then(() => {
      queued = null;
      return flush();
    });
    return queued;
  }

  return {
    async insert(record) {
      await inner.insert(record);
    },
    async get(id) {
      const record = await load(id);
      return record ? withUsage(record) : null;
    },
    async list() {
      await flush();
      return inner.list();
    },
    async revoke(id, at) {
      const revoked = await inner.revoke(id, at);
      records.delete(id);
      return revoked;
    },
    async consume(id, amount) {
      if (options.usage === 'shared') {
        const consumed = await inner.consume(id, amount);
        const cached = records.get(id);
        if (consumed && cached) cached.record = { ...cached.record, used: cached.record.used + amount };
        return consumed;
      }
      const record = await load(id);
      if (!record) return false;
      let entry = usage.get(id);
      if (!entry) {
        entry = { used: record.used, unwritten: 0 };
        usage.set(id, entry);
      }
      // Checked and counted in one synchronous step, so concurrent requests cannot both take the last unit.
      const quota = record.limits.quota;
      if (quota !== null && entry.used + amount > quota) return false;
      entry.used += amount;
      entry.unwritten += amount;
      if (entry.unwritten >= options.flushMaxUnits && !closed) void flush();
      return true;
    },
    async refund(id, amount) {
      const entry = usage.get(id);
      if (options.usage === 'shared' || !entry) {
        await inner.refund(id, amount);
        const cached = records.get(id);
        if (cached) cached.record = { ...cached.record, used: Math.max(0, cached.record.used - amount) };
        if (entry) entry.used = Math.max(0, entry.used - amount);
        return;
      }
      const given = Math.min(amount, entry.used);
      entry.used -= given;
      entry.unwritten -= given;
    },
    flush,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await flush();
      await inner.close();
    },
  };
}
