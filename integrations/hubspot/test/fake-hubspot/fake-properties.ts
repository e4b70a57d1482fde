/** Property and group records as the fake HubSpot keeps them (components.schemas.Property / PropertyGroup). */
export interface FakeOption {
  label: string;
  value: string;
  description?: string;
  displayOrder?: number;
  hidden: boolean;
}

export interface FakeProperty {
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: string;
  fieldType: string;
  options: FakeOption[];
  displayOrder?: number;
  formField?: boolean;
  hidden?: boolean;
  hubspotDefined?: boolean;
  readOnlyValue?: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface FakePropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export const PROPERTY_TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'] as const;
export const FIELD_TYPES = [
  'textarea',
  'text',
  'date',
  'file',
  'number',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'calculation_equation',
] as const;

/** The handful of HubSpot-defined contact properties the fake starts with. */
export function defaultContactProperties(now: string): FakeProperty[] {
  const base = {
    description: '',
    options: [],
    createdAt: now,
    updatedAt: now,
    archived: false,
    hubspotDefined: true,
  };
  return [
    {
      ...base,
      name: 'email',
      label: 'Email',
      groupName: 'contactinformation',
      type: 'string',
      fieldType: 'text',
    },
    {
      ...base,
      name: 'firstname',
      label: 'First Name',
      groupName: 'contactinformation',
      type: 'string',
      fieldType: 'text',
    },
    {
      ...base,
      name: 'lastname',
      label: 'Last Name',
      groupName: 'contactinformation',
      type: 'string',
      fieldType: 'text',
    },
    {
      ...base,
      name: 'hs_object_id',
      label: 'Record ID',
      groupName: 'contactinformation',
      type: 'number',
      fieldType: 'number',
      readOnlyValue: true,
    },
    {
      ...base,
      name: 'createdate',
      label: 'Create Date',
      groupName: 'contactinformation',
      type: 'datetime',
      fieldType: 'date',
      readOnlyValue: true,
    },
    {
      ...base,
      name: 'lastmodifieddate',
      label: 'Last Modified Date',
      groupName: 'contactinformation',
      type: 'datetime',
      fieldType: 'date',
      readOnlyValue: true,
    },
  ];
}

export function defaultPropertyGroups(): FakePropertyGroup[] {
  return [{ name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false }];
}

/** A value as HubSpot stores it for the property's type, or an error code when it is not acceptable. */
export function normalizeValue(property: FakeProperty, value: string): { value: string } | { error: string } {
  if (value === '') return { value: '' };
  switch (property.type) {
    case 'enumeration':
      return property.options.some((option) => option.value === value)
        ? { value }
        : { error: 'INVALID_OPTION' };
    case 'bool':
      return value === 'true' || value === 'false' ? { value } : { error: 'INVALID_BOOLEAN' };
    case 'number':
      return Number.isFinite(Number(value)) ? { value } : { error: 'INVALID_INTEGER' };
    case 'datetime':
    case 'date': {
      const millis = parseTime(value);
      return millis === null ? { error: 'INVALID_DATE' } : { value: new Date(millis).toISOString() };
    }
    default:
      return { value };
  }
}

/** Epoch milliseconds from a millisecond string or an ISO 8601 date-time. */
export function parseTime(value: string): number | null {
  if (/^-?\d+$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}
