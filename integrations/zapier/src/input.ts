const TRUE_WORDS = new Set(['true', 'yes', '1', 'on']);
/** Separators between addresses typed or mapped into one field: new lines, commas, semicolons. */
const ADDRESS_SEPARATORS = /[\r\n,;]+/;

/** Reads a Zapier boolean input, which arrives as a boolean or as text ("true", "yes", …) depending on mapping. */
export function readBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return TRUE_WORDS.has(value.trim().toLowerCase());
  return false;
}

/** Reads a text input; mapped values may arrive as numbers. */
export function readText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return '';
}

/**
 * Reads a list of addresses from line items (an array) or from text (one string), splitting every entry on
 * new lines, commas and semicolons and dropping empty entries. Order is kept; duplicates are the API's concern.
 */
export function readAddressList(value: unknown): string[] {
  const entries = Array.isArray(value) ? value : [value];
  return entries
    .flatMap((entry) => readText(entry).split(ADDRESS_SEPARATORS))
    .map((address) => address.trim())
    .filter((address) => address !== '');
}

/** Reads a multi-select input (array, or comma-separated text) as a set of upper-case choices. */
export function readChoices(value: unknown): Set<string> {
  return new Set(readAddressList(value).map((choice) => choice.toUpperCase()));
}
