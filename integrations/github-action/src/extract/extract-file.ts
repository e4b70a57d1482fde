import { extractFromCsv } from './csv.js';
import { extractFromEnv } from './env.js';
import { type ExtractContext, FormatError, type Occurrence } from './occurrence.js';
import { extractFromScript } from './script.js';
import { extractFromStructured } from './structured.js';
import { extractFromText } from './text.js';

/** The formats the action understands; anything else is scanned as plain text. */
export type FileFormat = 'json' | 'yaml' | 'csv' | 'tsv' | 'env' | 'script' | 'text';

const FORMAT_BY_EXTENSION: Record<string, FileFormat> = {
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  csv: 'csv',
  tsv: 'tsv',
  env: 'env',
  ts: 'script',
  tsx: 'script',
  mts: 'script',
  cts: 'script',
  js: 'script',
  jsx: 'script',
  mjs: 'script',
  cjs: 'script',
};

/** The format of a file, from its name (`.env`, `.env.test` and `x.env` are dotenv files). */
export function formatOf(path: string): FileFormat {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === '.env' || name.startsWith('.env.')) return 'env';
  const dot = name.lastIndexOf('.');
  return (dot > 0 && FORMAT_BY_EXTENSION[name.slice(dot + 1)]) || 'text';
}

/** The outcome of extracting one file; `fallback` says why it was scanned as text instead. */
export interface FileExtraction {
  format: FileFormat;
  occurrences: Occurrence[];
  fallback: string | null;
}

/** Every address occurrence in one file's text. */
export function extractFile(text: string, context: ExtractContext): FileExtraction {
  const format = formatOf(context.file);
  const content = text.replace(/^\uFEFF/, '');
  try {
    return { format, occurrences: extractAs(format, content, context), fallback: null };
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    return {
      format,
      occurrences: extractFromText(content, context),
      fallback: `could not parse as ${format.toUpperCase()} (${error.message}); scanned as plain text`,
    };
  }
}

function extractAs(format: FileFormat, text: string, context: ExtractContext): Occurrence[] {
  switch (format) {
    case 'json':
    case 'yaml':
      return extractFromStructured(text, context);
    case 'csv':
      return extractFromCsv(text, context, ',');
    case 'tsv':
      return extractFromCsv(text, context, '\t');
    case 'env':
      return extractFromEnv(text, context);
    case 'script':
      return extractFromScript(text, context);
    case 'text':
      return extractFromText(text, context);
  }
}
