import { HubspotApiError } from './errors.js';
import type { HubspotGateway, PropertyDefinition, PropertyOption } from './hubspot/gateway.js';
import { mailprobePropertyDefinitions, PROPERTY_GROUP } from './properties.js';

const CONFLICT = 409;

export interface SetupReport {
  groupCreated: boolean;
  created: string[];
  updated: string[];
  unchanged: string[];
}

/**
 * Creates the `mailprobe` property group and properties, or brings them in line with the vocabulary.
 * Idempotent: a second run only reads. Options that left the vocabulary stay, hidden, so contacts that
 * still hold them keep a valid value.
 */
export async function setupProperties(
  gateway: HubspotGateway,
  options: { definitions?: PropertyDefinition[]; signal?: AbortSignal } = {},
): Promise<SetupReport> {
  const { signal } = options;
  const definitions = options.definitions ?? mailprobePropertyDefinitions();
  const report: SetupReport = { groupCreated: false, created: [], updated: [], unchanged: [] };

  const groups = await gateway.listPropertyGroups(signal);
  if (!groups.some((group) => group.name === PROPERTY_GROUP.name)) {
    report.groupCreated = await createUnlessExists(() => gateway.createPropertyGroup(PROPERTY_GROUP, signal));
  }

  const existing = new Map(
    (await gateway.listProperties(signal)).map((property) => [property.name, property]),
  );
  for (const wanted of definitions) {
    const current = existing.get(wanted.name);
    if (current === undefined) {
      if (await createUnlessExists(() => gateway.createProperty(wanted, signal))) {
        report.created.push(wanted.name);
        continue;
      }
      // Created concurrently by another run: compare against what is there now.
      const refreshed = (await gateway.listProperties(signal)).find(
        (property) => property.name === wanted.name,
      );
      if (refreshed === undefined)
        throw new Error(`property ${wanted.name} reported as existing but not listed`);
      existing.set(wanted.name, refreshed);
    }
    const update = propertyUpdate(wanted, existing.get(wanted.name) as PropertyDefinition);
    if (update === null) {
      report.unchanged.push(wanted.name);
    } else {
      await gateway.updateProperty(wanted.name, update, signal);
      report.updated.push(wanted.name);
    }
  }
  return report;
}

/** The PATCH body that makes `current` match `wanted`, or null when nothing we own differs. */
export function propertyUpdate(
  wanted: PropertyDefinition,
  current: PropertyDefinition,
): Partial<Omit<PropertyDefinition, 'name'>> | null {
  const update: Partial<Omit<PropertyDefinition, 'name'>> = {};
  if (current.label !== wanted.label) update.label = wanted.label;
  if (current.description !== wanted.description) update.description = wanted.description;
  if (current.groupName !== wanted.groupName) update.groupName = wanted.groupName;
  if (current.type !== wanted.type || current.fieldType !== wanted.fieldType) {
    update.type = wanted.type;
    update.fieldType = wanted.fieldType;
  }
  const options = mergedOptions(wanted.options, current.options);
  if (!sameOptions(options, current.options)) update.options = options;
  return Object.keys(update).length === 0 ? null : update;
}

function mergedOptions(wanted: PropertyOption[], current: PropertyOption[]): PropertyOption[] {
  const wantedValues = new Set(wanted.map((option) => option.value));
  const retired = current
    .filter((option) => !wantedValues.has(option.value))
    .map((option, index) => ({ ...option, hidden: true, displayOrder: wanted.length + index }));
  return [...wanted, ...retired];
}

function sameOptions(left: PropertyOption[], right: PropertyOption[]): boolean {
  if (left.length !== right.length) return false;
  const key = (option: PropertyOption) =>
    JSON.stringify([
      option.value,
      option.label,
      option.description ?? '',
      option.displayOrder ?? -1,
      option.hidden,
    ]);
  const rightKeys = new Set(right.map(key));
  return left.every((option) => rightKeys.has(key(option)));
}

async function createUnlessExists(create: () => Promise<void>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if (error instanceof HubspotApiError && error.statusCode === CONFLICT) return false;
    throw error;
  }
}
