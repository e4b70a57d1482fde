// Plain JavaScript on purpose: it runs before anything is built or transpiled.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The workspace packages the CLI's dist/ runs, each with the output whose build time stands for its dist/. */
export const BUILT_PACKAGES = [
  { name: 'core', output: 'dist/index.js' },
  { name: 'engine', output: 'dist/index.js' },
  { name: 'prober', output: 'dist/index.js' },
  { name: 'cli', output: 'dist/bin.js' },
];

function mtimeMs(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest modification time of the shipped sources under `dir` (tests and fixtures do not count). */
function newestSourceMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__') newest = Math.max(newest, newestSourceMs(file));
    } else if (!entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, mtimeMs(file) ?? 0);
    }
  }
  return newest;
}

/**
 * Why the built CLI cannot be run as it is, or null when every package's dist/ is newer than its src/ and
 * package.json. A checkout, a merge or an edit touches the sources, so a stale build is never run by mistake.
 */
export function staleBuildReason(packagesDir) {
  for (const { name, output } of BUILT_PACKAGES) {
    const root = path.join(packagesDir, name);
    const builtAt = mtimeMs(path.join(root, output));
    if (builtAt === null) return `packages/${name}/${output} is missing`;
    const sourcesAt = Math.max(
      newestSourceMs(path.join(root, 'src')),
      mtimeMs(path.join(root, 'package.json')) ?? 0,
    );
    if (sourcesAt > builtAt) return `packages/${name}/dist is older than its sources`;
  }
  return null;
}
