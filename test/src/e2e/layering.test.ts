import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering the architecture promises: integrations are thin and speak only to core's public entry
// (and, at run time, to the prober over HTTP). Test-only code may start real servers from other packages.
const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const INTEGRATIONS = ['zapier', 'hubspot', 'github-action'];
const TEST_ONLY = /(\.test\.ts$|\/__fixtures__\/|\/testing\/|\/test-support\/)/;
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !TEST_ONLY.test(file));
}

function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((match) => (match[1] ?? match[2]) as string);
}

describe('layering', () => {
  for (const integration of INTEGRATIONS) {
    it(`integrations/${integration} imports only @mailprobe/core's public entry`, async () => {
      const folder = path.join(root, 'integrations', integration, 'src');
      const files = await sourceFiles(folder);
      expect(files.length).toBeGreaterThan(0);
      const offending: string[] = [];
      for (const file of files) {
        for (const specifier of importsOf(await readFile(file, 'utf8'))) {
          const reachesIn = specifier.startsWith('@mailprobe/') && specifier !== '@mailprobe/core';
          // Relative imports stay inside the integration (its own package.json included).
          const packageRoot = path.dirname(folder);
          const escapes =
            specifier.startsWith('.') && !path.resolve(path.dirname(file), specifier).startsWith(packageRoot);
          if (reachesIn || escapes) offending.push(`${path.relative(root, file)} → ${specifier}`);
        }
      }
      expect(offending).toEqual([]);
    });
  }

  it('recognises a forbidden import (the check itself can fail)', () => {
    expect(
      importsOf("import { createEngine } from '@mailprobe/engine';\nconst x = await import('../../x.js');"),
    ).toEqual(['@mailprobe/engine', '../../x.js']);
  });
});
