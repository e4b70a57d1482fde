import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
/** Test support: servers and fakes the shipped code must never import. */
const FORBIDDEN = [
  /^@mailprobe\/prober/,
  /^@mailprobe\/test-kit/,
  /^openapi-backend$/,
  /^@hubspot\/project-parsing-lib/,
];

function shippedFiles(): string[] {
  const folder = join(PACKAGE_ROOT, 'src');
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('what ships is what src/ holds', () => {
  it('keeps test support (fake HubSpot, environment, child starters) out of src/', () => {
    const entries = readdirSync(join(PACKAGE_ROOT, 'src'), { recursive: true }).map(String);
    expect(entries.filter((entry) => /test-support|fake-hubspot|testing/.test(entry))).toEqual([]);
  });

  it('never imports the prober, the test kit or test/ from shipped code', () => {
    const offending: string[] = [];
    for (const file of shippedFiles()) {
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const specifier = (match[1] ?? match[2]) as string;
        const intoTest =
          specifier.startsWith('.') && relative(PACKAGE_ROOT, join(file, '..', specifier)).startsWith('test');
        if (intoTest || FORBIDDEN.some((pattern) => pattern.test(specifier)))
          offending.push(`${relative(PACKAGE_ROOT, file)} → ${specifier}`);
      }
    }
    expect(shippedFiles().length).toBeGreaterThan(10);
    expect(offending).toEqual([]);
  });
});
