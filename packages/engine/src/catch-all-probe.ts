import { randomBytes } from 'node:crypto';
import type { ParsedAddress } from '@mailprobe/core';
import { classifyRcptReply } from './classify-memo.js';
import type { SmtpReply } from './smtp/index.js';
import type { CatchAllOutcome, Classification, SessionFailureKind } from './verdict.js';

// 12 random hex characters: no real mailbox is called that, and it is plain ASCII any server takes.
const PROBE_RANDOM_BYTES = 6;
const PROBE_PREFIX = 'mailprobe-';
const PERMANENT_FAILURE = 500;

/** A random address at the same domain, asked once per session to detect catch-all domains. */
export function catchAllProbeAddress(sample: ParsedAddress): ParsedAddress {
  const localPart = `${PROBE_PREFIX}${randomBytes(PROBE_RANDOM_BYTES).toString('hex')}`;
  const normalized = `${localPart}@${sample.domain}`;
  return {
    input: normalized,
    localPart,
    domain: sample.domain,
    domainUnicode: sample.domainUnicode,
    normalized,
    quoted: false,
    needsSmtpUtf8: false,
    literal: sample.literal,
  };
}

/**
 * Reads the catch-all probe's reply (or, with no reply, the session failure's classification):
 * - accepted → catch-all;
 * - a permanent refusal that is not a refusal of us → the server tells mailboxes apart;
 * - a permanent refusal of us (`blocked`: policy wording, x.7.x, "Access denied") → the same, but only when
 *   `acceptedAlongside`: a real recipient of the domain was accepted in the same session, from the same client
 *   and sender, so the refusal cannot have been about us (Microsoft 365 edge blocking, appliances that answer
 *   unknown recipients with `554 5.7.1 … Access denied`);
 * - anything else (a 4xx, a rate limit, no reply, a refusal of us with no one accepted) proves nothing.
 */
export function readCatchAllReply(
  reply: SmtpReply | null,
  classification: Classification | null,
  failure: SessionFailureKind | null,
  acceptedAlongside = false,
): CatchAllOutcome {
  if (!reply) return { kind: 'inconclusive', classification, failure };
  if (!classification) return { kind: 'inconclusive', classification: null, failure };
  if (classification.reason === 'accepted') return { kind: 'catch_all' };
  if (reply.code < PERMANENT_FAILURE || classification.reason === 'rate_limited') {
    return { kind: 'inconclusive', classification, failure };
  }
  if (classification.reason === 'blocked' && !acceptedAlongside) {
    return { kind: 'inconclusive', classification, failure };
  }
  return { kind: 'not_catch_all' };
}

/**
 * Whether a session accepted (250/251) a real recipient at `domain`: what makes a permanent refusal of the
 * catch-all probe in that session proof that the server tells mailboxes apart.
 */
export function acceptedRecipientAt(
  domain: string,
  recipients: readonly { address: ParsedAddress; reply: SmtpReply | null }[],
): boolean {
  return recipients.some(
    ({ address, reply }) =>
      reply !== null && address.domain === domain && classifyRcptReply(reply).reason === 'accepted',
  );
}
