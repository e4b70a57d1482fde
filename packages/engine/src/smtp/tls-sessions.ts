import { createSecureContext, type SecureContext } from 'node:tls';
import { LruTtlCache } from '../lru-cache.js';

/** TLS sessions (tickets) kept per server, so the next STARTTLS to it resumes instead of a full handshake. */
export interface TlsSessionStore {
  get(key: string): Buffer | undefined;
  set(key: string, session: Buffer): void;
}

/** Servers remembered (one ticket each, the latest). */
const DEFAULT_TLS_SESSIONS = 1000;
// Servers give tickets lifetimes of minutes to hours; a stale one only costs a full handshake.
const TLS_SESSION_TTL_MS = 10 * 60_000;

/** An in-memory store: the most recent ticket per server, bounded, each kept for at most ten minutes. */
export function createTlsSessionStore(maxEntries = DEFAULT_TLS_SESSIONS): TlsSessionStore {
  const cache = new LruTtlCache<string, Buffer>(maxEntries);
  return {
    get: (key) => cache.get(key),
    set: (key, session) => cache.set(key, session, TLS_SESSION_TTL_MS),
  };
}

let sharedContext: SecureContext | undefined;

/**
 * The one client context every STARTTLS uses: no client certificate and no verification settings differ between
 * sessions, and building a context per connection (its root store, its defaults) costs more than the handshake.
 */
export function clientSecureContext(): SecureContext {
  sharedContext ??= createSecureContext();
  return sharedContext;
}
