import {
  describeReason,
  type Provider,
  providerOfMx,
  type Reason,
  type Status,
  type VerificationResult,
} from '@mailprobe/core';
import type { PlainOutputField } from 'zapier-platform-core';

/** One verification as a flat object: what Zapier shows, filters and maps (no nesting, snake_case keys). */
export interface FlatVerification {
  email: string;
  normalized: string | null;
  domain: string | null;
  status: Status;
  reason: Reason;
  summary: string;
  is_valid: boolean;
  is_invalid: boolean;
  is_unknown: boolean;
  catch_all: boolean;
  disposable: boolean;
  role_account: boolean;
  free_provider: boolean;
  suggestion: string | null;
  mx_host: string | null;
  provider: Provider;
  checked_at: string;
  cached: boolean;
}

/** The verdict in words a marketer reads first, before the reason's explanation. */
export const STATUS_HEADLINES: Record<Status, string> = {
  VALID: 'Deliverable',
  INVALID: 'Undeliverable',
  UNKNOWN: 'Could not be confirmed',
};

/** "Undeliverable: The mail server said the mailbox does not exist (e.g. 550 5.1.1). Did you mean …?" */
export function summarize(
  status: Status,
  reason: Reason,
  suggestion: string | null,
  provider: Provider | undefined = undefined,
): string {
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  return `${STATUS_HEADLINES[status]}: ${describeReason(reason, provider)}${hint}`;
}

/** Flattens an API result for Zapier: booleans for Filter/Paths steps, the MX host that answered, a summary. */
export function flattenVerification(result: VerificationResult): FlatVerification {
  const provider = result.provider ?? providerOfMx(result.mx);
  return {
    email: result.address,
    normalized: result.normalized,
    domain: result.domain,
    status: result.status,
    reason: result.reason,
    summary: summarize(result.status, result.reason, result.suggestion, provider),
    is_valid: result.status === 'VALID',
    is_invalid: result.status === 'INVALID',
    is_unknown: result.status === 'UNKNOWN',
    catch_all: result.flags.catchAll,
    disposable: result.flags.disposable,
    role_account: result.flags.roleAccount,
    free_provider: result.flags.freeProvider,
    suggestion: result.suggestion,
    mx_host: result.smtp?.host ?? result.mx[0] ?? null,
    provider,
    checked_at: result.checkedAt,
    cached: result.cached,
  };
}

/** Labels and types of every output key, in the order Zapier lists them. */
export const VERIFICATION_OUTPUT_FIELDS = [
  { key: 'email', label: 'Email (as Given)', type: 'string' },
  { key: 'normalized', label: 'Normalized Email', type: 'string' },
  { key: 'domain', label: 'Domain', type: 'string' },
  { key: 'status', label: 'Status (VALID, INVALID or UNKNOWN)', type: 'string' },
  { key: 'reason', label: 'Reason Code', type: 'string' },
  { key: 'summary', label: 'Summary', type: 'string' },
  { key: 'is_valid', label: 'Is Valid', type: 'boolean' },
  { key: 'is_invalid', label: 'Is Invalid', type: 'boolean' },
  { key: 'is_unknown', label: 'Is Unknown', type: 'boolean' },
  { key: 'catch_all', label: 'Catch-All Domain', type: 'boolean' },
  { key: 'disposable', label: 'Disposable Address', type: 'boolean' },
  { key: 'role_account', label: 'Role Account (info@, sales@ …)', type: 'boolean' },
  { key: 'free_provider', label: 'Free Email Provider', type: 'boolean' },
  { key: 'suggestion', label: 'Suggested Correction', type: 'string' },
  { key: 'mx_host', label: 'Mail Server (MX Host)', type: 'string' },
  { key: 'provider', label: 'Mail Provider (google, microsoft365, … or other)', type: 'string' },
  { key: 'checked_at', label: 'Checked At', type: 'datetime' },
  { key: 'cached', label: 'From Cache', type: 'boolean' },
] satisfies Array<PlainOutputField & { key: keyof FlatVerification }>;

/** A realistic result, shown in the Zap editor before a test run. */
export const VERIFICATION_SAMPLE: FlatVerification = {
  email: 'Ann.Lee@Example.com',
  normalized: 'Ann.Lee@example.com',
  domain: 'example.com',
  status: 'VALID',
  reason: 'accepted',
  summary: summarize('VALID', 'accepted', null),
  is_valid: true,
  is_invalid: false,
  is_unknown: false,
  catch_all: false,
  disposable: false,
  role_account: false,
  free_provider: false,
  suggestion: null,
  mx_host: 'mx1.example.com',
  provider: 'other',
  checked_at: '2025-01-01T10:00:00.000Z',
  cached: false,
};
