// Bundles src/index.ts and every dependency into the one file action.yml runs (dist/index.js).
// Deterministic: same sources, same bytes — the dist-freshness test rebuilds and compares.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The committed bundle, relative to the package directory. */
export const BUNDLE_PATH = 'dist/index.js';

// ESM output; bundled CommonJS dependencies still call require() for Node built-ins.
const BANNER = [
  '// Built by scripts/build.mjs from src/ — do not edit; run `pnpm --filter @mailprobe/github-action build`.',
  "import { createRequire as __mailprobeCreateRequire } from 'node:module';",
  'const require = __mailprobeCreateRequire(import.meta.url);',
].join('\n');

/** Builds the bundle to `outfile` (absolute, or relative to the package directory). */
export async function buildAction(outfile = BUNDLE_PATH) {
  await build({
    absWorkingDir: packageDir,
    entryPoints: ['src/index.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Workspace packages resolve to their TypeScript sources, as in tests.
    conditions: ['@mailprobe/source'],
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    legalComments: 'eof',
    charset: 'utf8',
    sourcemap: false,
    minify: false,
    logLevel: 'warning',
  });
  // The bundle is ESM: a package.json beside it keeps it so when dist/ is copied without this package's own.
  const folder = path.dirname(path.resolve(packageDir, outfile));
  await writeFile(path.join(folder, 'package.json'), '{ "type": "module" }\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildAction(process.argv[2]);
}
