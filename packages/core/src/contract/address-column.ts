import { parseAddress } from '../syntax/parse-address.js';

/**
 * Header names (compared after `normalizeColumnName`) recognised as the address column of an uploaded list:
 * what CRMs, newsletter tools and spreadsheets call it (Mailchimp `Email Address`, HubSpot `Email`, `E-mail`,
 * `Work email`, …).
 */
export const ADDRESS_COLUMN_NAMES: readonly string[] = [
  'email',
  'emails',
  'emailaddress',
  'emailaddresses',
  'mail',
  'mailaddress',
  'workemail',
  'businessemail',
  'personalemail',
  'contactemail',
  'primaryemail',
  'email1',
  'emailadresse',
  'courriel',
  'correo',
  'correoelectronico',
];

/** Share of a column's non-empty sample cells that must be addresses for it to be taken as the address column. */
const MOSTLY = 0.5;

/** `Email Address`, `e_mail`, ` E-Mail ` → `emailaddress`, `email`, `email`: case, spaces and punctuation dropped. */
export function normalizeColumnName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Whether a header cell names an address column (`ADDRESS_COLUMN_NAMES`, case- and punctuation-insensitive). */
export function isAddressColumnName(name: string): boolean {
  return ADDRESS_COLUMN_NAMES.includes(normalizeColumnName(name));
}

/** Whether a cell holds something shaped like an address (has an `@` and parses). */
export function looksLikeAddress(cell: string): boolean {
  return cell.includes('@') && parseAddress(cell).ok;
}

export type AddressColumnChoice =
  | { ok: true; index: number; hasHeader: boolean }
  | { ok: false; message: string };

function describeColumns(firstRow: readonly string[]): string {
  if (firstRow.length === 0) return 'the file has no columns';
  return `columns found: ${firstRow.map((cell, index) => `${index + 1} ${JSON.stringify(cell)}`).join(', ')}`;
}

function addressShare(rows: readonly (readonly string[])[], index: number): { share: number; any: boolean } {
  let filled = 0;
  let addresses = 0;
  for (const row of rows) {
    const cell = (row[index] ?? '').trim();
    if (cell === '') continue;
    filled += 1;
    if (looksLikeAddress(cell)) addresses += 1;
  }
  return { share: filled === 0 ? 0 : addresses / filled, any: addresses > 0 };
}

/**
 * Finds the address column of an uploaded list from its first rows (`sample`, the first row included).
 * `column` (a header name or a 1-based number) wins; else a header matching `ADDRESS_COLUMN_NAMES`; else the
 * single column whose values are mostly addresses. None, several, or a chosen column holding no address at all
 * → `{ ok: false }` with a message naming the columns found. The first row is a header unless its cell in the
 * chosen column is itself an address.
 */
export function detectAddressColumn(
  sample: readonly (readonly string[])[],
  column?: string | number,
): AddressColumnChoice {
  const firstRow = sample[0] ?? [];
  const width = Math.max(0, ...sample.map((row) => row.length));
  const headerFor = (index: number) => !looksLikeAddress((firstRow[index] ?? '').trim());
  const dataRows = (hasHeader: boolean) => (hasHeader ? sample.slice(1) : sample);

  if (column !== undefined && String(column).trim() !== '') {
    const wanted = String(column).trim();
    let index: number;
    let hasHeader: boolean;
    if (/^\d+$/.test(wanted)) {
      index = Number(wanted) - 1;
      if (index < 0 || index >= width) {
        return { ok: false, message: `column ${wanted}: no such column (${describeColumns(firstRow)})` };
      }
      hasHeader = headerFor(index);
    } else {
      index = firstRow.findIndex((cell) => cell.trim() === wanted);
      if (index < 0) {
        index = firstRow.findIndex((cell) => normalizeColumnName(cell) === normalizeColumnName(wanted));
      }
      if (index < 0) {
        return {
          ok: false,
          message: `column ${JSON.stringify(wanted)}: no such header (${describeColumns(firstRow)})`,
        };
      }
      hasHeader = true;
    }
    const rows = dataRows(hasHeader);
    if (rows.length > 0 && !addressShare(rows, index).any) {
      return {
        ok: false,
        message: `column ${JSON.stringify(wanted)} holds no addresses in its first ${rows.length} rows (${describeColumns(firstRow)})`,
      };
    }
    return { ok: true, index, hasHeader };
  }

  const named = firstRow.flatMap((cell, index) => (isAddressColumnName(cell) ? [index] : []));
  const rest = sample.slice(1);
  const candidates =
    rest.length === 0 ? named : named.filter((index) => addressShare(rest, index).share > MOSTLY);
  if (candidates.length === 1) return { ok: true, index: candidates[0] as number, hasHeader: true };
  if (candidates.length > 1) {
    return {
      ok: false,
      message: `several address columns (${candidates.map((index) => JSON.stringify(firstRow[index])).join(', ')}); choose one with "column" (${describeColumns(firstRow)})`,
    };
  }

  const byContent: Array<{ index: number; hasHeader: boolean }> = [];
  for (let index = 0; index < width; index += 1) {
    const hasHeader = headerFor(index);
    const rows = dataRows(hasHeader);
    if (rows.length > 0 && addressShare(rows, index).share > MOSTLY) byContent.push({ index, hasHeader });
  }
  if (byContent.length === 1) return { ok: true, ...(byContent[0] as { index: number; hasHeader: boolean }) };
  if (byContent.length > 1) {
    return {
      ok: false,
      message: `several columns hold addresses (${byContent.map(({ index }) => index + 1).join(', ')}); choose one with "column" (${describeColumns(firstRow)})`,
    };
  }
  return {
    ok: false,
    message: `no column looks like email addresses: pick one with "column" (${describeColumns(firstRow)})`,
  };
}
