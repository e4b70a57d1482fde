import { REASON_STATUS, type Reason, type Status, type VerificationResult } from '@mailprobe/core';

/**
 * A job's results in Redis as compact positional JSON arrays: the same result the API serves, without what the
 * row already holds (the address) or what follows from the rest (the status of the reason, a normalised address
 * equal to the input, the domain of the normalised address, an SMTP host that is one of the MX hosts, the address
 * inside a reply text). About a quarter of the size of the result's JSON. Positions only ever get appended.
 *
 * [reason, status, normalized, domain, flags, suggestion, mx, smtp, timings, checkedAt, cached, syntaxError?, retryAfter?]
 * smtp: [host, ip, port, sourceAddress, heloName, tls, replyCode, enhancedCode, replyText]
 */
type Compact = unknown[];

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
export function encodeResult(result: VerificationResult): string {
  const { address, normalized, smtp } = result;
  let flags = 0;
  for (const [name, bit] of Object.entries(FLAG_BITS)) {
    if (result.flags[name as keyof typeof FLAG_BITS]) flags |= bit;
  }
  const hostAt = smtp?.host == null ? -1 : result.mx.indexOf(smtp.host);
  const compact: Compact = [
    result.reason,
    REASON_STATUS[result.reason as Reason] === result.status ? DERIVED : result.status,
    normalized === address ? DERIVED : normalized,
    result.domain === domainOf(normalized) && normalized !== null ? DERIVED : result.domain,
    flags,
    result.suggestion,
    result.mx,
    smtp === null
      ? null
      : [
          hostAt >= 0 ? hostAt : smtp.host,
          smtp.ip,
          smtp.port,
          smtp.sourceAddress,
          smtp.heloName,
          smtp.tls ? 1 : 0,
          smtp.replyCode,
          smtp.enhancedCode,
          templateReply(smtp.replyText, address, normalized),
        ],
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
  return JSON.stringify(compact);
}

/** Decodes what `encodeResult` wrote, for the item whose address is `address`. */
export function decodeResult(encoded: string, address: string): VerificationResult {
  const compact = JSON.parse(encoded) as Compact;
  const reason = compact[0] as Reason;
  const normalized = compact[2] === DERIVED ? address : (compact[2] as string | null);
  const flags = compact[4] as number;
  const mx = compact[6] as string[];
  const smtp = compact[7] as unknown[] | null;
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
      smtp === null
        ? null
        : {
            host: typeof smtp[0] === 'number' ? (mx[smtp[0]] as string) : (smtp[0] as string | null),
            ip: smtp[1] as string | null,
            port: smtp[2] as number | null,
            sourceAddress: smtp[3] as string | null,
            heloName: smtp[4] as string | null,
            tls: smtp[5] === 1,
            replyCode: smtp[6] as number | null,
            enhancedCode: smtp[7] as string | null,
            replyText: untemplateReply(smtp[8], address, normalized),
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
