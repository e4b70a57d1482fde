import { z } from 'zod';
import { ProviderSchema } from './providers.js';

/** The three verdicts. UNKNOWN is never INVALID: it means "could not confirm either way". */
export const STATUSES = ['VALID', 'INVALID', 'UNKNOWN'] as const;
export const StatusSchema = z.enum(STATUSES).describe('Verdict for the address');
export type Status = z.infer<typeof StatusSchema>;

/**
 * The one fixed reason vocabulary, each reason tied to the only status it may carry.
 * Order matters for documentation and for enumerations exported to other systems (e.g. CRM properties).
 */
export const REASON_STATUS = {
  accepted: 'VALID',
  invalid_syntax: 'INVALID',
  domain_not_found: 'INVALID',
  no_mx: 'INVALID',
  null_mx: 'INVALID',
  mailbox_not_found: 'INVALID',
  mailbox_disabled: 'INVALID',
  catch_all: 'UNKNOWN',
  greylisted: 'UNKNOWN',
  mailbox_full: 'UNKNOWN',
  blocked: 'UNKNOWN',
  rate_limited: 'UNKNOWN',
  timeout: 'UNKNOWN',
  connection_failed: 'UNKNOWN',
  dns_error: 'UNKNOWN',
  unroutable_mx: 'UNKNOWN',
  temporary_failure: 'UNKNOWN',
  unexpected_response: 'UNKNOWN',
  not_checked: 'UNKNOWN',
} as const satisfies Record<string, Status>;

export type Reason = keyof typeof REASON_STATUS;
export const REASONS = Object.keys(REASON_STATUS) as [Reason, ...Reason[]];
export const ReasonSchema = z.enum(REASONS).describe('Why the verdict was reached (fixed vocabulary)');

/** One-line, human-readable explanation of each reason (used in docs, CLI tables, integrations). */
export const REASON_DESCRIPTIONS: Record<Reason, string> = {
  accepted:
    'The mail server accepted the mailbox at RCPT time and rejected a random address at the same domain.',
  invalid_syntax: 'The address is not a syntactically valid email address (RFC 5321/5322).',
  domain_not_found: 'The domain does not exist (DNS NXDOMAIN).',
  no_mx: 'The domain exists but publishes no MX record, so it receives no mail.',
  null_mx: 'The domain publishes a null MX (RFC 7505): it explicitly accepts no mail.',
  mailbox_not_found: 'The mail server said the mailbox does not exist (e.g. 550 5.1.1).',
  mailbox_disabled: 'The mail server said the mailbox is disabled (x.2.1).',
  catch_all: 'The domain accepts mail for any address, so this mailbox cannot be confirmed.',
  greylisted: 'The mail server asked to try again later (greylisting, 450/451).',
  mailbox_full: 'The mailbox exists but is over quota; it may accept mail later.',
  blocked: 'The mail server refused the prober itself by policy (blocklist, reputation, 554, x.7.x).',
  rate_limited: 'The mail server limited the prober (too many connections or messages, 421).',
  timeout: 'The mail server or DNS did not answer in time (including tarpits).',
  connection_failed: 'No mail server for the domain could be reached.',
  dns_error: 'DNS lookup failed (SERVFAIL, refused or timed out).',
  unroutable_mx:
    'The MX points at a private, loopback or reserved address; the prober will not connect to it.',
  temporary_failure: 'The mail server reported a temporary failure (4xx) unrelated to the mailbox.',
  unexpected_response: 'The mail server replied in a way that proves nothing about the mailbox.',
  not_checked:
    'The address was not checked: its job was finished early ("finish now") before its turn, and it was not charged.',
};

/** Reasons only the prober gives (a job finished early); the engine never returns them. */
export const PROBER_ONLY_REASONS: readonly Reason[] = ['not_checked'];

/** The status a reason implies. */
export function statusOf(reason: Reason): Status {
  return REASON_STATUS[reason];
}

export const FlagsSchema = z.object({
  roleAccount: z.boolean().describe('Local part is a role (info@, sales@, postmaster@ …)'),
  disposable: z.boolean().describe('Domain belongs to a disposable / throw-away email provider'),
  freeProvider: z.boolean().describe('Domain belongs to a free email provider (gmail.com, outlook.com …)'),
  catchAll: z.boolean().describe('Domain accepts mail for any local part'),
});
export type Flags = z.infer<typeof FlagsSchema>;

export const SmtpEvidenceSchema = z.object({
  host: z.string().nullable().describe('MX host name talked to'),
  ip: z.string().nullable().describe('IP address of the MX host'),
  port: z.number().int().nullable(),
  sourceAddress: z.string().nullable().describe('Local (dedicated) address the probe was sent from'),
  heloName: z.string().nullable().describe('Name given in EHLO/HELO'),
  tls: z.boolean().describe('Whether STARTTLS was negotiated'),
  replyCode: z.number().int().nullable().describe('SMTP reply code that decided the verdict'),
  enhancedCode: z.string().nullable().describe('RFC 3463 enhanced status code, e.g. 5.1.1'),
  replyText: z.string().nullable().describe('Reply text (truncated)'),
  proxy: z
    .object({
      name: z.string().describe('Name of the SOCKS5 egress the session went through'),
      failure: z
        .string()
        .nullable()
        .describe(
          'Why the proxy gave no connection (proxy_unreachable, proxy_auth_refused, …); null when it did',
        ),
      replyCode: z.number().int().nullable().describe('RFC 1928 reply code of a refused CONNECT'),
    })
    .nullable()
    .optional()
    .describe('The SOCKS5 egress used; absent or null for a direct session'),
});
export type SmtpEvidence = z.infer<typeof SmtpEvidenceSchema>;

export const TimingsSchema = z.object({
  dnsMs: z.number().nonnegative(),
  connectMs: z.number().nonnegative(),
  smtpMs: z.number().nonnegative(),
  queuedMs: z.number().nonnegative(),
  totalMs: z.number().nonnegative(),
});
export type Timings = z.infer<typeof TimingsSchema>;

/** Maximum length of `smtp.replyText` kept in a result. */
export const MAX_REPLY_TEXT_LENGTH = 512;

export const VerificationResultSchema = z
  .object({
    address: z.string().describe('The address exactly as given'),
    normalized: z
      .string()
      .nullable()
      .describe('Normalised address (local part kept, domain lower-case A-label); null if unparseable'),
    status: StatusSchema,
    reason: ReasonSchema,
    domain: z.string().nullable().describe('Domain as A-label (punycode), lower-case'),
    flags: FlagsSchema,
    suggestion: z.string().nullable().describe('Suggested correction for a likely typo, e.g. user@gmail.com'),
    mx: z.array(z.string()).describe('MX exchanges tried, in order'),
    smtp: SmtpEvidenceSchema.nullable().describe(
      'Evidence from the SMTP dialogue; null when no probe was made',
    ),
    syntaxError: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .optional()
      .describe('For invalid_syntax: which rule the address broke'),
    retryAfterSeconds: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .optional()
      .describe('Hint for greylisted/rate-limited results'),
    provider: ProviderSchema.optional().describe(
      'Mail provider identified from the MX host names (see PROVIDER_TABLE); absent in results stored before it existed',
    ),
    timings: TimingsSchema,
    checkedAt: z.string().datetime().describe('When the verification ran (ISO 8601)'),
    cached: z.boolean().describe('Whether the result came from the results cache'),
  })
  .describe('The result of verifying one address');
export type VerificationResult = z.infer<typeof VerificationResultSchema>;

/** JSON Schema (draft 2020-12) of a result, for other tools and documentation. */
export function verificationResultJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(VerificationResultSchema) as Record<string, unknown>;
}
