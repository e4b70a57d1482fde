import Papa from 'papaparse';

/** The first rows of an uploaded list and the column the prober would verify. */
export interface ListPreview {
  /** Column names: the header row's cells, or `Column 1…n` when the file has no header. */
  columns: string[];
  hasHeader: boolean;
  rows: string[][];
  /** Index into `columns` of the detected address column; -1 when none was found. */
  detected: number;
  delimiter: string;
}

// The same common names the prober matches, compared without case, spaces or punctuation.
const ADDRESS_HEADERS = new Set(
  [
    'email',
    'e-mail',
    'email address',
    'e-mail address',
    'emailaddress',
    'work email',
    'business email',
    'mail',
    'email_address',
    'contact email',
    'primary email',
    'personal email',
    'courriel',
    'correo',
    'e-mail-adresse',
  ].map((name) => squash(name)),
);

function squash(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

const looksLikeAddress = (cell: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(cell.trim());

/** Reads the start of a list (CSV with `,` `;` or tab, or one address per line) into a preview. */
export function previewList(text: string, maxRows = 8): ListPreview {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    preview: maxRows + 1,
    skipEmptyLines: 'greedy',
    delimitersToGuess: [',', ';', '\t', '|'],
  });
  const all = parsed.data;
  const first = all[0] ?? [];
  const hasHeader = first.length > 0 && !first.some(looksLikeAddress);
  const width = Math.max(0, ...all.map((row) => row.length));
  const columns = hasHeader
    ? Array.from({ length: width }, (_, index) => first[index]?.trim() || `Column ${index + 1}`)
    : Array.from({ length: width }, (_, index) => `Column ${index + 1}`);
  const rows = hasHeader ? all.slice(1, maxRows + 1) : all.slice(0, maxRows);
  let detected = hasHeader ? columns.findIndex((name) => ADDRESS_HEADERS.has(squash(name))) : -1;
  if (detected < 0) {
    const scores = columns.map((_, index) => rows.filter((row) => looksLikeAddress(row[index] ?? '')).length);
    const best = Math.max(0, ...scores);
    const winners = scores.filter((score) => score === best).length;
    if (best > rows.length / 2 && winners === 1) detected = scores.indexOf(best);
  }
  return { columns, hasHeader, rows, detected, delimiter: parsed.meta.delimiter };
}

/** The `column` parameter for the chosen column: its header name, or its 1-based number without a header. */
export function columnParameter(preview: ListPreview, index: number): string {
  return preview.hasHeader ? (preview.columns[index] ?? String(index + 1)) : String(index + 1);
}
