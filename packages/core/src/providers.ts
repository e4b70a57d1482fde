import { z } from 'zod';

/**
 * The mail providers Mailprobe recognises, by stable id (never renamed: they are stored in CRMs and CSVs).
 * `other` is every MX not in the table, and results with no MX at all.
 */
export const PROVIDERS = [
  'google',
  'microsoft365',
  'outlook',
  'yahoo',
  'icloud',
  'zoho',
  'yandex',
  'mailru',
  'proton',
  'fastmail',
  'gmx',
  'proofpoint',
  'mimecast',
  'barracuda',
  'cisco',
  'other',
] as const;
export const ProviderSchema = z.enum(PROVIDERS).describe('Mail provider identified from the MX host names');
export type Provider = z.infer<typeof ProviderSchema>;

export interface ProviderInfo {
  /** Name shown to people. */
  label: string;
  /** MX host name suffixes (whole labels) that identify the provider. */
  mxSuffixes: readonly string[];
  /** Security gateway in front of the real mailbox server: RCPT answers may not reflect the mailbox. */
  gateway: boolean;
}

/** The documented table: provider → label and the MX host names that identify it. */
export const PROVIDER_TABLE: Record<Provider, ProviderInfo> = {
  google: {
    label: 'Google (Gmail, Workspace)',
    mxSuffixes: ['google.com', 'googlemail.com'],
    gateway: false,
  },
  microsoft365: {
    label: 'Microsoft 365 (Exchange Online)',
    mxSuffixes: ['mail.protection.outlook.com', 'mail.protection.outlook.de', 'mx.microsoft'],
    gateway: false,
  },
  outlook: {
    label: 'Outlook.com / Hotmail (consumer)',
    mxSuffixes: ['olc.protection.outlook.com', 'hotmail.com'],
    gateway: false,
  },
  yahoo: { label: 'Yahoo / AOL', mxSuffixes: ['yahoodns.net', 'yahoo.com', 'aol.com'], gateway: false },
  icloud: { label: 'iCloud Mail', mxSuffixes: ['icloud.com', 'me.com'], gateway: false },
  zoho: {
    label: 'Zoho Mail',
    mxSuffixes: ['zoho.com', 'zoho.eu', 'zoho.in', 'zoho.com.au', 'zoho.jp', 'zohomail.com', 'zohocloud.ca'],
    gateway: false,
  },
  yandex: { label: 'Yandex Mail', mxSuffixes: ['yandex.ru', 'yandex.net', 'yandex.com'], gateway: false },
  mailru: { label: 'Mail.ru', mxSuffixes: ['mail.ru'], gateway: false },
  proton: { label: 'Proton Mail', mxSuffixes: ['protonmail.ch', 'proton.me'], gateway: false },
  fastmail: { label: 'Fastmail', mxSuffixes: ['messagingengine.com', 'fastmail.com'], gateway: false },
  gmx: {
    label: 'GMX / WEB.DE / mail.com',
    mxSuffixes: ['gmx.net', 'gmx.com', 'gmx.de', 'web.de', 'mail.com'],
    gateway: false,
  },
  proofpoint: { label: 'Proofpoint', mxSuffixes: ['pphosted.com', 'ppe-hosted.com'], gateway: true },
  mimecast: {
    label: 'Mimecast',
    mxSuffixes: ['mimecast.com', 'mimecast.co.za', 'mimecast-offshore.com'],
    gateway: true,
  },
  barracuda: { label: 'Barracuda Email Security', mxSuffixes: ['barracudanetworks.com'], gateway: true },
  cisco: { label: 'Cisco Secure Email (IronPort)', mxSuffixes: ['iphmx.com'], gateway: true },
  other: { label: 'Other', mxSuffixes: [], gateway: false },
};

// Longest suffix first, so `olc.protection.outlook.com` wins over a shorter suffix of the same name.
const SUFFIXES: ReadonlyArray<readonly [string, Provider]> = PROVIDERS.flatMap((provider) =>
  PROVIDER_TABLE[provider].mxSuffixes.map((suffix) => [suffix, provider] as const),
).sort(([a], [b]) => b.length - a.length);

/** The provider of one MX host name (case and a trailing dot ignored); `other` when none matches. */
export function providerOfHost(host: string): Provider {
  const name = host.toLowerCase().replace(/\.$/, '');
  for (const [suffix, provider] of SUFFIXES) {
    if (name === suffix || name.endsWith(`.${suffix}`)) return provider;
  }
  return 'other';
}

/**
 * The provider of a domain from its MX host names, most preferred first: the most preferred host decides
 * (it is the one that answers); `other` for an empty list. Pure: nothing is looked up.
 */
export function providerOfMx(hosts: readonly string[]): Provider {
  const [first] = hosts;
  return first === undefined ? 'other' : providerOfHost(first);
}
