import { type FakeProperty, parseTime } from './fake-properties.js';

export interface FakeFilter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
  highValue?: string;
}

export type FakeSort = string | { propertyName: string; direction?: 'ASCENDING' | 'DESCENDING' };

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
]);

/** A reason the filter cannot run, or null. */
export function invalidFilter(filter: FakeFilter, properties: Map<string, FakeProperty>): string | null {
  if (!OPERATORS.has(filter.operator)) return `Unsupported operator ${filter.operator}`;
  if (!properties.has(filter.propertyName)) return `Property '${filter.propertyName}' does not exist`;
  const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(filter.operator);
  if (needsValue && filter.value === undefined) return `Filter on ${filter.propertyName} needs a value`;
  return null;
}

/** Whether `stored` (the contact's value or undefined) passes the filter. */
export function matchesFilter(
  stored: string | undefined,
  filter: FakeFilter,
  property: FakeProperty,
): boolean {
  const present = stored !== undefined && stored !== '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return present;
    case 'NOT_HAS_PROPERTY':
      return !present;
    case 'IN':
      return present && (filter.values ?? []).some((value) => compare(stored, value, property) === 0);
    case 'NOT_IN':
      return !present || !(filter.values ?? []).some((value) => compare(stored, value, property) === 0);
  }
  if (!present) return filter.operator === 'NEQ';
  const order = compare(stored, filter.value as string, property);
  switch (filter.operator) {
    case 'EQ':
      return order === 0;
    case 'NEQ':
      return order !== 0;
    case 'LT':
      return order < 0;
    case 'LTE':
      return order <= 0;
    case 'GT':
      return order > 0;
    case 'GTE':
      return order >= 0;
    case 'BETWEEN':
      return order >= 0 && compare(stored, filter.highValue ?? '', property) <= 0;
    default:
      return false;
  }
}

/** Compares a stored value with a filter value the way HubSpot does for the property's type. */
export function compare(stored: string, value: string, property: FakeProperty): number {
  if (property.type === 'number') return Math.sign(Number(stored) - Number(value));
  if (property.type === 'datetime' || property.type === 'date') {
    return Math.sign((parseTime(stored) ?? 0) - (parseTime(value) ?? 0));
  }
  const left = stored.toLowerCase();
  const right = value.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Normalises the v3 `sorts` (strings, `-name` descending) and the documented object form. */
export function parseSort(sort: FakeSort): { propertyName: string; descending: boolean } {
  if (typeof sort === 'string') {
    return sort.startsWith('-')
      ? { propertyName: sort.slice(1), descending: true }
      : { propertyName: sort, descending: false };
  }
  return { propertyName: sort.propertyName, descending: sort.direction === 'DESCENDING' };
}
