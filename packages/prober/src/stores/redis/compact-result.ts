import { createHash } from 'node:crypto';
import {
  providerOfMx,
  REASON_STATUS,
  type Reason,
  type Status,
  type VerificationResult,
} from '@mailprobe/core';

/**
 * A job's results in Redis as compact positional JSON arrays: the same result the API serves, without what the
 * row already holds (the address) or what follows from the rest (the status of the reason, a normalised address
 * equal to the input, the domain of the normalised address, an SMTP host that is one of the MX hosts, the address
 * inside a reply text). What thousands of rows share, the evidence of the SMTP dialogue (MX hosts, host, IP,
 * port, source, HELO name, TLS, reply codes and text without the address), is kept once in a dictionary, each
 * entry named by a hash of its content, so every node names it alike without asking. Positions only get appended.
 *
 * [reason, status, normalized, domain, flags, suggestion, evidence, timings, checkedAt, cached, syntaxError?, retryAfter?,
 * provider?] — provider left out when it is the one the MX hosts name (the usual case), `false` when the result has none.
 * evidence: the dictionary name of [mx, host, ip, port, sourceAddress, heloName, tls, replyCode, enhancedCode,
 * replyText, proxy?], or the MX list itself when there was no SMTP dialogue.
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
/** Characters of a dictionary name: 60 bits of SHA-256, no collision among the few thousand entries of a job or cache. */
const NAME_LENGTH = 10;

function dictionaryName(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, NAME_LENGTH);
}

/** "Same as derived" in a position that may also hold null or a value (and null where only strings go). */
const DERIVED = 0;
/** `syntaxError` (an object or null) the result does not have. */
const NO_SYNTAX_ERROR = 0;
/** `retryAfterSeconds` (a number or null) the result does not have. */
const NO_RETRY_AFTER = false;
/** `provider` the result does not have (results stored before it existed). */
const NO_PROVIDER = false;
/** Positions always written; the optional ones after them are left out while absent. */
const FIXED_POSITIONS = 10;
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

/** The provider the engine names for a result: that of the host that answered, else of the most preferred MX. */
function derivedProvider(result: Pick<VerificationResult, 'mx' | 'smtp'>): VerificationResult['provider'] {
  return providerOfMx(result.smtp?.host ? [result.smtp.host] : result.mx);
}

/** Encodings lately made, by result object (a job's fresh result goes to the cache, then to its item). */
const encodings = new WeakMap<VerificationResult, EncodedResult>();

/**
 * Encodes a result for the job store and the cache (the address is kept by the item or the key, not here), once per
 * result object: results are never changed once built (callers copy), as the embedded store's `resultJson` relies on.
 */
export function encodeResult(result: VerificationResult): EncodedResult {
  let encoded = encodings.get(result);
  if (!encoded) {
    encoded = encodeOnce(result);
    encodings.set(result, encoded);
  }
  return encoded;
}

function encodeOnce(result: VerificationResult): EncodedResult {
  const { address, normalized, smtp } = result;
  let flags = 0;
  for (const [name, bit] of Object.entries(FLAG_BITS)) {
    if (result.flags[name as keyof typeof FLAG_BITS]) flags |= bit;
  }
  const entries: Array<[string, string]> = [];
  let evidence: unknown = result.mx;
  if (smtp !== null) {
    const hostAt = smtp.host === null ? -1 : result.mx.indexOf(smtp.host);
    const text = JSON.stringify([
      result.mx,
      hostAt >= 0 ? hostAt : smtp.host,
      smtp.ip,
      smtp.port,
      smtp.sourceAddress,
      smtp.heloName,
      smtp.tls ? 1 : 0,
      smtp.replyCode,
      smtp.enhancedCode,
      templateReply(smtp.replyText, address, normalized),
      ...(smtp.proxy === undefined ? [] : [smtp.proxy]),
    ]);
    evidence = dictionaryName(text);
    entries.push([evidence as string, text]);
  }
  const reasonCode = REASON_CODES.indexOf(result.reason);
  const compact: Compact = [
    reasonCode >= 0 ? reasonCode : result.reason,
    REASON_STATUS[result.reason as Reason] === result.status ? DERIVED : result.status,
    normalized === address ? DERIVED : normalized,
    result.domain === domainOf(normalized) && normalized !== null ? DERIVED : result.domain,
    flags,
    result.suggestion ?? DERIVED,
    evidence,
    [
      result.timings.dnsMs,
      result.timings.connectMs,
      result.timings.smtpMs,
      result.timings.queuedMs,
      result.timings.totalMs,
    ],
    checkedAtValue(result.checkedAt),
    result.cached ? 1 : 0,
    result.syntaxError === undefined ? NO_SYNTAX_ERROR : result.syntaxError,
    result.retryAfterSeconds === undefined ? NO_RETRY_AFTER : result.retryAfterSeconds,
  ];
  if (result.provider === undefined) compact.push(NO_PROVIDER);
  else if (result.provider !== derivedProvider(result)) compact.push(result.provider);
  else if (compact[FIXED_POSITIONS + 1] === NO_RETRY_AFTER) {
    compact.pop();
    if (compact[FIXED_POSITIONS] === NO_SYNTAX_ERROR) compact.pop();
  }
  return { encoded: JSON.stringify(compact), entries };
}

/** The dictionary names an encoded result uses (to fetch them before decoding). */
export function dictionaryNamesOf(encoded: string): string[] {
  const evidence = (JSON.parse(encoded) as Compact)[6];
  return typeof evidence === 'string' ? [evidence] : [];
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
  let evidence: unknown[] | null = null;
  if (typeof compact[6] === 'string') {
    const value = dictionary.get(compact[6]);
    if (value === undefined) throw new Error(`result dictionary entry ${compact[6]} is missing`);
    evidence = JSON.parse(value) as unknown[];
  }
  const mx = (evidence ? evidence[0] : compact[6]) as string[];
  const timings = compact[7] as number[];
  const checkedAt = compact[8];
  const smtpHost =
    evidence === null
      ? null
      : typeof evidence[1] === 'number'
        ? (mx[evidence[1]] as string)
        : (evidence[1] as string | null);
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
    suggestion: compact[5] === DERIVED ? null : (compact[5] as string),
    mx,
    smtp:
      evidence === null
        ? null
        : {
            host: smtpHost,
            ip: evidence[2] as string | null,
            port: evidence[3] as number | null,
            sourceAddress: evidence[4] as string | null,
            heloName: evidence[5] as string | null,
            tls: evidence[6] === 1,
            replyCode: evidence[7] as number | null,
            enhancedCode: evidence[8] as string | null,
            replyText: untemplateReply(evidence[9], address, normalized),
            ...(evidence.length > 10
              ? { proxy: evidence[10] as NonNullable<VerificationResult['smtp']>['proxy'] }
              : {}),
          },
    ...(compact.length > FIXED_POSITIONS && compact[FIXED_POSITIONS] !== NO_SYNTAX_ERROR
      ? { syntaxError: compact[FIXED_POSITIONS] as VerificationResult['syntaxError'] }
      : {}),
    ...(compact.length > FIXED_POSITIONS + 1 && compact[FIXED_POSITIONS + 1] !== NO_RETRY_AFTER
      ? { retryAfterSeconds: compact[FIXED_POSITIONS + 1] as number | null }
      : {}),
    ...providerField(compact[FIXED_POSITIONS + 2], smtpHost, mx),
    timings: {
      dnsMs: timings[0] as number,
      connectMs: timings[1] as number,
      smtpMs: timings[2] as number,
      queuedMs: timings[3] as number,
      totalMs: timings[4] as number,
    },
    checkedAt: typeof checkedAt === 'number' ? new Date(checkedAt).toISOString() : (checkedAt as string),
    cached: compact[9] === 1,
  };
  return result;
}

/** The provider position as a field: left out → the one the MX hosts name; `NO_PROVIDER` → absent. */
function providerField(
  stored: unknown,
  smtpHost: string | null,
  mx: string[],
): Pick<VerificationResult, 'provider'> {
  if (stored === NO_PROVIDER) return {};
  if (stored === undefined) return { provider: providerOfMx(smtpHost ? [smtpHost] : mx) };
  return { provider: stored as VerificationResult['provider'] };
}
