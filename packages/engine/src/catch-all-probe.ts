import { randomBytes } from 'node:crypto';
import type { ParsedAddress } from '@mailprobe/core';
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
 * Reads the catch-all probe's reply (or, with no reply, the session failure's classification): accepted → catch-all; a permanent refusal that is not a refusal
 * of us → the server tells mailboxes apart; anything else (4xx, blocked, no reply) proves nothing.
 */
export function readCatchAllReply(
  reply: SmtpReply | null,
  classification: Classification | null,
  failure: SessionFailureKind | null,
): CatchAllOutcome {
  if (!reply) return { kind: 'inconclusive', classification, failure };
  if (!classification) return { kind: 'inconclusive', classification: null, failure };
  if (classification.reason === 'accepted') return { kind: 'catch_all' };
  const refusalOfUs = classification.reason === 'blocked' || classification.reason === 'rate_limited';
  if (reply.code >= PERMANENT_FAILURE && !refusalOfUs) return { kind: 'not_catch_all' };
  return { kind: 'inconclusive', classification, failure };
}
