import type { SmtpReply } from './types.js';

/** What an EHLO reply advertises. HELO and a fresh TLS session start from {@link NO_CAPABILITIES}. */
export interface Capabilities {
  pipelining: boolean;
  smtputf8: boolean;
  starttls: boolean;
  /** Upper-case keyword → its parameters, e.g. `SIZE` → `['35882577']`. */
  keywords: ReadonlyMap<string, readonly string[]>;
}

export const NO_CAPABILITIES: Capabilities = Object.freeze({
  pipelining: false,
  smtputf8: false,
  starttls: false,
  keywords: new Map<string, readonly string[]>(),
});

/** Reads the extension keywords from a 250 EHLO reply (every line after the first). */
export function parseCapabilities(reply: SmtpReply): Capabilities {
  const keywords = new Map<string, readonly string[]>();
  for (const line of reply.lines.slice(1)) {
    const [keyword, ...parameters] = line.slice(4).trim().split(/\s+/);
    if (keyword) keywords.set(keyword.toUpperCase(), parameters);
  }
  return {
    pipelining: keywords.has('PIPELINING'),
    smtputf8: keywords.has('SMTPUTF8'),
    starttls: keywords.has('STARTTLS'),
    keywords,
  };
}
