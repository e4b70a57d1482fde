import { createSecureContext, DEFAULT_CIPHERS, type SecureContext } from 'node:tls';
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
 * Node's cipher list (`tls.DEFAULT_CIPHERS`: its TLS 1.3 suites, then its TLS 1.2 ciphers), the same entries, with the
 * TLS 1.3 suite the protocol makes mandatory (TLS_AES_128_GCM_SHA256) first: servers that follow the client's order
 * then hash the handshake with SHA-256, which CPUs compute in hardware, instead of SHA-384. Nothing is added or
 * dropped.
 */
export function clientCiphers(defaults: string = DEFAULT_CIPHERS): string {
  const entries = defaults.split(':');
  const mandatory = entries.indexOf(MANDATORY_TLS13_SUITE);
  if (mandatory <= 0) return defaults;
  return [MANDATORY_TLS13_SUITE, ...entries.filter((_, index) => index !== mandatory)].join(':');
}

const MANDATORY_TLS13_SUITE = 'TLS_AES_128_GCM_SHA256';

/**
 * The one client context every STARTTLS uses: no client certificate and no verification settings differ between
 * sessions, and building a context per connection (its root store, its defaults) costs more than the handshake.
 */
export function clientSecureContext(): SecureContext {
  sharedContext ??= createSecureContext({ ciphers: clientCiphers() });
  return sharedContext;
}
