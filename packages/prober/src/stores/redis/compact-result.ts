import { createHash } from 'node:crypto';
import { REASON_STATUS, type Reason, type Status, type VerificationResult } from '@mailprobe/core';

/**
 * A job's results in Redis as compact positional JSON arrays: the same result the API serves, without what the
 * row already holds (the address) or what follows from the rest (the status of the reason, a normalised address
 * equal to the input, the domain of the normalised address, an SMTP host that is one of the MX hosts, the address
 * inside a reply text). What thousands of rows share (the MX and session: hosts, IP, port, source, HELO name,
 * TLS; the reply: codes and text without the address) is kept once per job in a dictionary, each entry named by
 * a hash of its content, so every node names it alike without asking. Positions only ever get appended.
 *
 * [reason, status, normalized, domain, flags, suggestion, session, reply, timings, checkedAt, cached, syntaxError?, retryAfter?]
 * session: the dictionary name of [mx, host, ip, port, sourceAddress, heloName, tls], or the MX list itself when
 * there is no SMTP evidence (reply null); reply: the dictionary name of [replyCode, enhancedCode, replyText].
 */
type Compact = unknown[];

/** Entries a job's results share, by name. */
export type ResultDictionary = ReadonlyMap<string, string>;

/** A result ready for the store, with the dictionary entries it names. */
export interface EncodedResult {
  encoded: string;
  entries: Array<[name: string, value: string]>;
}

/** Reasons by number (append only: stored data names them by position); a reason not listed is stored by name. */
const REASON_CODES: readonly string[] = [
  'accepted',
  'invalid_syntax',
  'domain_not_found',
  'no_mx',
  'null_mx',
  'mailbox_not_found',
  'mailbox_disabled',
  'catch_all',
  'greylisted',
  'mailbox_full',
  'blocked',
  'rate_limited',
  'timeout',
  'connection_failed',
  'dns_error',
  'unroutable_mx',
  'temporary_failure',
  'unexpected_response',
];
/** Characters of a dictionary name: 72 bits of SHA-256, no collision among any job's entries. */
const NAME_LENGTH = 12;

function dictionaryName(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, NAME_LENGTH);
}

/** "Same as derived" in a position that may also hold null or a value. */
const DERIVED = 0;
/** An optional field (`syntaxError`, `retryAfterSeconds`) the result does not have. */
const ABSENT = false;
const ADDRESS_MARK = '{@}';
const NORMALIZED_MARK = '{=}';
const FLAG_BITS = { roleAccount: 1, disposable: 2, freeProvider: 4, catchAll: 8 } as const;

function domainOf(normalized: string | null): string | null {
  if (normalized === null) return null;
  const at = normalized.lastIndexOf('@');
  return at < 0 ? null : normalized.slice(at + 1);
}

/** The reply text with the address (as given and normalised) replaced by marks; as is (in an array) when that would not read back the same. */
function templateReply(text: string | null, address: string, normalized: string | null): unknown {
  if (text === null) return null;
  if (text.includes(ADDRESS_MARK) || text.includes(NORMALIZED_MARK)) return [text];
  let templated = text;
  if (normalized) templated = templated.replaceAll(normalized, NORMALIZED_MARK);
  if (address !== normalized && address.length > 0) templated = templated.replaceAll(address, ADDRESS_MARK);
  return untemplateReply(templated, address, normalized) === text ? templated : [text];
}

function untemplateReply(stored: unknown, address: string, normalized: string | null): string | null {
  if (stored === null) return null;
  if (Array.isArray(stored)) return stored[0] as string;
  let text = (stored as string).replaceAll(ADDRESS_MARK, address);
  if (normalized) text = text.replaceAll(NORMALIZED_MARK, normalized);
  return text;
}

function checkedAtValue(checkedAt: string): number | string {
  const time = Date.parse(checkedAt);
  return Number.isFinite(time) && new Date(time).toISOString() === checkedAt ? time : checkedAt;
}

/** Encodes a result for the job store (the address is kept by the item, not here). */
export function encodeResult(result: VerificationResult): EncodedResult {
  const { address, normalized, smtp } = result;
  let flags = 0;
  for (const [name, bit] of Object.entries(FLAG_BITS)) {
    if (result.flags[name as keyof typeof FLAG_BITS]) flags |= bit;
  }
  const entries: Array<[string, string]> = [];
  const intern = (value: unknown[]): string => {
    const text = JSON.stringify(value);
    const name = dictionaryName(text);
    entries.push([name, text]);
    return name;
  };
  let session: unknown = result.mx;
  let reply: unknown = null;
  if (smtp !== null) {
    const hostAt = smtp.host === null ? -1 : result.mx.indexOf(smtp.host);
    session = intern([
      result.mx,
      hostAt >= 0 ? hostAt : smtp.host,
      smtp.ip,
      smtp.port,
      smtp.sourceAddress,
      smtp.heloName,
      smtp.tls ? 1 : 0,
    ]);
    reply = intern([smtp.replyCode, smtp.enhancedCode, templateReply(smtp.replyText, address, normalized)]);
  }
  const reasonCode = REASON_CODES.indexOf(result.reason);
  const compact: Compact = [
    reasonCode >= 0 ? reasonCode : result.reason,
    REASON_STATUS[result.reason as Reason] === result.status ? DERIVED : result.status,
    normalized === address ? DERIVED : normalized,
    result.domain === domainOf(normalized) && normalized !== null ? DERIVED : result.domain,
    flags,
    result.suggestion,
    session,
    reply,
    [
      result.timings.dnsMs,
      result.timings.connectMs,
      result.timings.smtpMs,
      result.timings.queuedMs,
      result.timings.totalMs,
    ],
    checkedAtValue(result.checkedAt),
    result.cached ? 1 : 0,
    result.syntaxError === undefined ? ABSENT : result.syntaxError,
    result.retryAfterSeconds === undefined ? ABSENT : result.retryAfterSeconds,
  ];
  while (compact.length > 11 && compact[compact.length - 1] === ABSENT) compact.pop();
  return { encoded: JSON.stringify(compact), entries };
}

/** The dictionary names an encoded result uses (to fetch them before decoding). */
export function dictionaryNamesOf(encoded: string): string[] {
  const compact = JSON.parse(encoded) as Compact;
  return [compact[6], compact[7]].filter((value): value is string => typeof value === 'string');
}

/** Decodes what `encodeResult` wrote, for the item whose address is `address`, with its job's dictionary. */
export function decodeResult(
  encoded: string,
  address: string,
  dictionary: ResultDictionary,
): VerificationResult {
  const compact = JSON.parse(encoded) as Compact;
  const reason = (typeof compact[0] === 'number' ? REASON_CODES[compact[0]] : compact[0]) as Reason;
  const normalized = compact[2] === DERIVED ? address : (compact[2] as string | null);
  const flags = compact[4] as number;
  const lookUp = (name: unknown): unknown[] => {
    const value = typeof name === 'string' ? dictionary.get(name) : undefined;
    if (value === undefined) throw new Error(`result dictionary entry ${String(name)} is missing`);
    return JSON.parse(value) as unknown[];
  };
  const session = compact[7] === null ? null : lookUp(compact[6]);
  const reply = compact[7] === null ? null : lookUp(compact[7]);
  const mx = (session ? session[0] : compact[6]) as string[];
  const timings = compact[8] as number[];
  const checkedAt = compact[9];
  const result: VerificationResult = {
    address,
    normalized,
    status: compact[1] === DERIVED ? REASON_STATUS[reason] : (compact[1] as Status),
    reason,
    domain: compact[3] === DERIVED ? domainOf(normalized) : (compact[3] as string | null),
    flags: {
      roleAccount: (flags & FLAG_BITS.roleAccount) !== 0,
      disposable: (flags & FLAG_BITS.disposable) !== 0,
      freeProvider: (flags & FLAG_BITS.freeProvider) !== 0,
      catchAll: (flags & FLAG_BITS.catchAll) !== 0,
    },
    suggestion: compact[5] as string | null,
    mx,
    smtp:
      session === null || reply === null
        ? null
        : {
            host: typeof session[1] === 'number' ? (mx[session[1]] as string) : (session[1] as string | null),
            ip: session[2] as string | null,
            port: session[3] as number | null,
            sourceAddress: session[4] as string | null,
            heloName: session[5] as string | null,
            tls: session[6] === 1,
            replyCode: reply[0] as number | null,
            enhancedCode: reply[1] as string | null,
            replyText: untemplateReply(reply[2], address, normalized),
          },
    ...(compact.length > 11 && compact[11] !== ABSENT
      ? { syntaxError: compact[11] as VerificationResult['syntaxError'] }
      : {}),
    ...(compact.length > 12 && compact[12] !== ABSENT
      ? { retryAfterSeconds: compact[12] as number | null }
      : {}),
    timings: {
      dnsMs: timings[0] as number,
      connectMs: timings[1] as number,
      smtpMs: timings[2] as number,
      queuedMs: timings[3] as number,
      totalMs: timings[4] as number,
    },
    checkedAt: typeof checkedAt === 'number' ? new Date(checkedAt).toISOString() : (checkedAt as string),
    cached: compact[10] === 1,
  };
  return result;
}
