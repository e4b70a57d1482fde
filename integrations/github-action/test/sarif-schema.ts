import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type AjvDraft04 from 'ajv-draft-04';

// The SARIF 2.1.0 JSON Schema (OASIS, draft-04) as Microsoft ships it in @microsoft/jest-sarif. Its
// `language` pattern is not a valid /u regular expression, hence unicodeRegExp: false.
const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS with `module.exports = Ajv`; require() gives the class under every module setting.
const Ajv = require('ajv-draft-04') as typeof AjvDraft04.default;
const SCHEMA_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

/** Validates a SARIF log against the published schema; returns the schema errors (empty when valid). */
export async function sarifSchemaErrors(log: unknown): Promise<string[]> {
  const schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  if (validate(log)) return [];
  return (validate.errors ?? []).map(
    (error: { instancePath: string; message?: string }) =>
      `${error.instancePath || '/'} ${error.message ?? ''}`,
  );
}
