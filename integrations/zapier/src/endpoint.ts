import { DEFAULT_API_URL } from './constants.js';

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

/**
 * The prober's base URL from the connection's "Mailprobe endpoint URL": the hosted endpoint when empty,
 * trailing slashes removed (a path prefix is kept, for probers behind a reverse proxy). Null when the value
 * is not an absolute http(s) URL, or carries a query, fragment or credentials.
 */
export function resolveApiBaseUrl(value: unknown): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol) || url.search || url.hash || url.username || url.password) {
    return null;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Whether `requestUrl` points at the prober at `baseUrl` (so it may carry the API key). */
export function isProberUrl(requestUrl: string, baseUrl: string): boolean {
  return (
    requestUrl === baseUrl || requestUrl.startsWith(`${baseUrl}/`) || requestUrl.startsWith(`${baseUrl}?`)
  );
}
