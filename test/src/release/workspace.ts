import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The folders that hold workspace packages, as pnpm-workspace.yaml lists them. */
const WORKSPACE_PARENTS = ['packages', 'integrations'];
const WORKSPACE_SINGLES = ['test'];

/** Set MAILPROBE_RELEASE_TESTS=1 (or run `pnpm test:release`) for the slow build-publish-install tests. */
export const RELEASE_TESTS = process.env.MAILPROBE_RELEASE_TESTS === '1';

/** The four packages published to npm, in the order their dependencies demand. */
export const PUBLISHED_IN_ORDER = [
  '@mailprobe/core',
  '@mailprobe/engine',
  '@mailprobe/prober',
  '@mailprobe/cli',
];

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string } | string;
  repository?: { type?: string; url?: string; directory?: string } | string;
  engines?: Record<string, string>;
  files?: string[];
  bin?: Record<string, string> | string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface WorkspacePackage {
  /** Absolute folder. */
  dir: string;
  /** Folder relative to the repository root, with forward slashes (`packages/core`). */
  path: string;
  manifest: Manifest;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Every workspace package (not the root), sorted by path. */
export function workspacePackages(): WorkspacePackage[] {
  const dirs = [
    ...WORKSPACE_PARENTS.flatMap((parent) =>
      readdirSync(join(REPO_ROOT, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(REPO_ROOT, parent, entry.name)),
    ),
    ...WORKSPACE_SINGLES.map((single) => join(REPO_ROOT, single)),
  ];
  return dirs
    .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false })?.isFile())
    .map((dir) => ({ dir, path: relative(REPO_ROOT, dir).split(sep).join('/'), manifest: readManifest(dir) }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;
const NEVER_SCANNED = new Set(['node_modules', 'dist', 'build', '.turbo', 'coverage']);

/** Source files under `dir` (recursively), skipping installed and generated folders. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (NEVER_SCANNED.has(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE_FILE.test(entry.name)) files.push(path);
    }
  };
  walk(dir);
  return files;
}

/** Folders the package's build leaves out (plain paths in tsconfig.build.json's `exclude`, not globs). */
function excludedFromBuild(pkg: WorkspacePackage): string[] {
  const config = join(pkg.dir, 'tsconfig.build.json');
  if (!statSync(config, { throwIfNoEntry: false })?.isFile()) return [];
  const { exclude = [] } = JSON.parse(readFileSync(config, 'utf8')) as { exclude?: string[] };
  return exclude.filter((entry) => !entry.includes('*')).map((entry) => `${entry.replace(/\/$/, '')}/`);
}

/** A file that ships: under `src/`, not a test, not a fixture, not left out of the build. */
export function isShippedSource(pkg: WorkspacePackage, file: string): boolean {
  const path = relative(pkg.dir, file).split(sep).join('/');
  if (!path.startsWith('src/') || /\.test\.[cm]?[jt]s$/.test(path) || path.includes('/__fixtures__/'))
    return false;
  return !excludedFromBuild(pkg).some((folder) => path.startsWith(folder));
}

// Static imports and re-exports (a multi-line one ends with `} from '…'`), side-effect imports, dynamic
// import(), require(), require.resolve() and triple-slash type references.
const SPECIFIER_PATTERNS = [
  /^\s*(?:import|export|\})[^'"\n]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\.resolve\(\s*['"]([^'"]+)['"]/g,
  /^\/\/\/\s*<reference\s+types=['"]([^'"]+)['"]/gm,
];
const PACKAGE_SPECIFIER = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/.*)?$/i;

/** The package each bare import in `text` names (`@scope/name` or `name`); `node:` built-ins as `node`. */
export function importedPackages(text: string): Set<string> {
  const names = new Set<string>();
  for (const pattern of SPECIFIER_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('node:')) {
        names.add('node');
        continue;
      }
      if (!PACKAGE_SPECIFIER.test(specifier)) continue;
      const parts = specifier.split('/');
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier));
    }
  }
  return names;
}

/** The package a `@types/…` package describes: `@types/node` → `node`, `@types/babel__core` → `@babel/core`. */
export function typedPackage(typesPackage: string): string {
  const name = typesPackage.slice('@types/'.length);
  return name.includes('__') ? `@${name.replace('__', '/')}` : name;
}
