import {
  addressFlags,
  type ParsedAddress,
  type Provider,
  providerOfMx,
  type SmtpEvidence,
  suggestCorrection,
  type Timings,
  type VerificationResult,
} from '@mailprobe/core';
import type { Verdict } from './verdict.js';

/** Everything known about one unique address once its stages have run. */
export interface AddressReport {
  parsed: ParsedAddress;
  verdict: Verdict;
  catchAll: boolean;
  mx: string[];
  smtp: SmtpEvidence | null;
  timings: Omit<Timings, 'totalMs'>;
}

// The provider of a host name walks every known provider's suffixes; a list's results name few hosts, over and over.
const PROVIDER_MEMO_ENTRIES = 1024;
const providerMemo = new Map<string, Provider>();

/** `providerOfMx(hosts)`, memoised by the host that decides it (the first). */
function providerOf(hosts: readonly string[]): Provider {
  const [first] = hosts;
  if (first === undefined) return providerOfMx(hosts);
  let provider = providerMemo.get(first);
  if (provider === undefined) {
    provider = providerOfMx([first]);
    if (providerMemo.size >= PROVIDER_MEMO_ENTRIES) providerMemo.clear();
    providerMemo.set(first, provider);
  }
  return provider;
}

/** Builds the public result for one input (the input text is kept exactly as given). */
export function buildResult(
  input: string,
  report: AddressReport,
  totalMs: number,
  now: Date = new Date(),
): VerificationResult {
  const { parsed, verdict } = report;
  return {
    address: input,
    normalized: parsed.normalized,
    status: verdict.status,
    reason: verdict.reason,
    domain: parsed.domain,
    flags: { ...addressFlags(parsed), catchAll: report.catchAll },
    suggestion: suggestCorrection(parsed),
    mx: report.mx,
    smtp: report.smtp,
    retryAfterSeconds: verdict.retryAfterSeconds,
    // The host that answered decides; without a session, the most preferred MX.
    provider: providerOf(report.smtp?.host ? [report.smtp.host] : report.mx),
    timings: {
      dnsMs: Math.round(report.timings.dnsMs),
      connectMs: Math.round(report.timings.connectMs),
      smtpMs: Math.round(report.timings.smtpMs),
      queuedMs: Math.round(report.timings.queuedMs),
      totalMs: Math.max(0, Math.round(totalMs)),
    },
    checkedAt: now.toISOString(),
    cached: false,
  };
}
