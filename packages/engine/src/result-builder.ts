import {
  addressFlags,
  type ParsedAddress,
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

/**
 * `suggestCorrection` depends on the domain alone and costs an edit-distance pass over every known provider, so
 * one list computes it once per domain: this returns a per-list memo.
 */
export function createSuggester(): (parsed: ParsedAddress) => string | null {
  const byDomain = new Map<string, string | null>();
  return (parsed) => {
    let domain = byDomain.get(parsed.domain);
    if (domain === undefined) {
      const suggestion = suggestCorrection(parsed);
      domain = suggestion === null ? null : suggestion.slice(suggestion.lastIndexOf('@') + 1);
      byDomain.set(parsed.domain, domain);
    }
    return domain === null ? null : `${parsed.localPart}@${domain}`;
  };
}

/** Builds the public result for one input (the input text is kept exactly as given). */
export function buildResult(
  input: string,
  report: AddressReport,
  totalMs: number,
  now: Date = new Date(),
  suggest: (parsed: ParsedAddress) => string | null = suggestCorrection,
): VerificationResult {
  const { parsed, verdict } = report;
  return {
    address: input,
    normalized: parsed.normalized,
    status: verdict.status,
    reason: verdict.reason,
    domain: parsed.domain,
    flags: { ...addressFlags(parsed), catchAll: report.catchAll },
    suggestion: suggest(parsed),
    mx: report.mx,
    smtp: report.smtp,
    retryAfterSeconds: verdict.retryAfterSeconds,
    // The host that answered decides; without a session, the most preferred MX.
    provider: providerOfMx(report.smtp?.host ? [report.smtp.host] : report.mx),
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
