import {
  PROVIDER_TABLE,
  PROVIDERS,
  type Provider,
  REASON_DESCRIPTIONS,
  REASONS,
  type Reason,
  STATUSES,
} from '@mailprobe/core';
import type { PropertyDefinition, PropertyGroupDefinition, PropertyOption } from './hubspot/gateway.js';

/** Every property Mailprobe owns starts with this prefix and lives in this group. */
export const PROPERTY_PREFIX = 'mailprobe_';
export const PROPERTY_GROUP: PropertyGroupDefinition = {
  name: 'mailprobe',
  label: 'Mailprobe',
  displayOrder: -1,
};

/** Contact property names, one per field written back. */
export const PROPERTY_NAMES = {
  status: `${PROPERTY_PREFIX}status`,
  reason: `${PROPERTY_PREFIX}reason`,
  checkedAt: `${PROPERTY_PREFIX}checked_at`,
  catchAll: `${PROPERTY_PREFIX}catch_all`,
  disposable: `${PROPERTY_PREFIX}disposable`,
  roleAccount: `${PROPERTY_PREFIX}role_account`,
  freeProvider: `${PROPERTY_PREFIX}free_provider`,
  suggestion: `${PROPERTY_PREFIX}suggestion`,
  provider: `${PROPERTY_PREFIX}provider`,
} as const;

const STATUS_LABELS: Record<(typeof STATUSES)[number], string> = {
  VALID: 'Valid',
  INVALID: 'Invalid',
  UNKNOWN: 'Unknown',
};

/** The status option value HubSpot stores for a verdict (enumeration values are lower-case). */
export function statusOptionValue(status: (typeof STATUSES)[number]): string {
  return status.toLowerCase();
}

function reasonLabel(reason: Reason): string {
  const words = reason.replaceAll('_', ' ').replace(/\bmx\b/g, 'MX');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const BOOLEAN_OPTIONS: PropertyOption[] = [
  { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
  { label: 'No', value: 'false', displayOrder: 1, hidden: false },
];

function flagProperty(
  name: string,
  label: string,
  description: string,
  displayOrder: number,
): PropertyDefinition {
  return {
    name,
    label,
    description,
    groupName: PROPERTY_GROUP.name,
    type: 'bool',
    fieldType: 'booleancheckbox',
    options: BOOLEAN_OPTIONS,
    displayOrder,
    formField: false,
  };
}

/** The property definitions derived from core's vocabulary (the one source of truth for reasons). */
export function mailprobePropertyDefinitions(
  reasons: readonly Reason[] = REASONS,
  descriptions: Readonly<Record<string, string>> = REASON_DESCRIPTIONS,
  providers: readonly Provider[] = PROVIDERS,
): PropertyDefinition[] {
  return [
    {
      name: PROPERTY_NAMES.status,
      label: 'Email status (Mailprobe)',
      description: 'Whether the email address works: valid, invalid (proven) or unknown (could not confirm).',
      groupName: PROPERTY_GROUP.name,
      type: 'enumeration',
      fieldType: 'select',
      options: STATUSES.map((status, index) => ({
        label: STATUS_LABELS[status],
        value: statusOptionValue(status),
        displayOrder: index,
        hidden: false,
      })),
      displayOrder: 0,
      formField: false,
    },
    {
      name: PROPERTY_NAMES.reason,
      label: 'Email status reason (Mailprobe)',
      description: 'Why Mailprobe reached its verdict.',
      groupName: PROPERTY_GROUP.name,
      type: 'enumeration',
      fieldType: 'select',
      options: reasons.map((reason, index) => ({
        label: reasonLabel(reason),
        value: reason,
        description: descriptions[reason] ?? '',
        displayOrder: index,
        hidden: false,
      })),
      displayOrder: 1,
      formField: false,
    },
    {
      name: PROPERTY_NAMES.checkedAt,
      label: 'Email checked at (Mailprobe)',
      description: 'When Mailprobe last verified the email address.',
      groupName: PROPERTY_GROUP.name,
      type: 'datetime',
      fieldType: 'date',
      options: [],
      displayOrder: 2,
      formField: false,
    },
    flagProperty(
      PROPERTY_NAMES.catchAll,
      'Catch-all domain (Mailprobe)',
      'The domain accepts mail for any address.',
      3,
    ),
    flagProperty(
      PROPERTY_NAMES.disposable,
      'Disposable email (Mailprobe)',
      'The domain is a disposable email provider.',
      4,
    ),
    flagProperty(
      PROPERTY_NAMES.roleAccount,
      'Role account (Mailprobe)',
      'The address is a role account such as info@.',
      5,
    ),
    flagProperty(
      PROPERTY_NAMES.freeProvider,
      'Free email provider (Mailprobe)',
      'The domain is a free email provider.',
      6,
    ),
    {
      name: PROPERTY_NAMES.suggestion,
      label: 'Email suggestion (Mailprobe)',
      description: 'A likely correction for a mistyped address, e.g. user@gmail.com.',
      groupName: PROPERTY_GROUP.name,
      type: 'string',
      fieldType: 'text',
      options: [],
      displayOrder: 7,
      formField: false,
    },
    {
      name: PROPERTY_NAMES.provider,
      label: 'Email provider (Mailprobe)',
      description: 'The mail provider that hosts the address, identified from its MX host names.',
      groupName: PROPERTY_GROUP.name,
      type: 'enumeration',
      fieldType: 'select',
      options: providers.map((provider, index) => ({
        label: PROVIDER_TABLE[provider].label,
        value: provider,
        displayOrder: index,
        hidden: false,
      })),
      displayOrder: 8,
      formField: false,
    },
  ];
}
