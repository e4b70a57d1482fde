import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importedPackages,
  isShippedSource,
  type Manifest,
  REPO_ROOT,
  readManifest,
  sourceFiles,
  typedPackage,
  type WorkspacePackage,
  workspacePackages,
} from './workspace.js';

/** The command names a dependency installs (`bin`), read from its installed manifest. */
function binNames(fromDir: string, dependency: string): string[] {
  const manifest = readManifest(join(fromDir, 'node_modules', dependency));
  if (typeof manifest.bin === 'string') return [dependency.split('/').pop() ?? dependency];
  return Object.keys(manifest.bin ?? {});
}

/** True when `text` runs `command` as a word of its own (`tsc -p …`, `&& changeset publish`, `'zapier'`). */
function runsCommand(text: string, command: string): boolean {
  const escaped = command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s'"&|;(])${escaped}([\\s'"&|;)]|$)`, 'm').test(text);
}

interface Usage {
  imports: Set<string>;
  /** Script lines and source text a command can be run from. */
  commandText: string;
}

function usageOf(files: string[], manifest: Manifest): Usage {
  const imports = new Set<string>();
  let commandText = Object.values(manifest.scripts ?? {}).join('\n');
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const name of importedPackages(text)) imports.add(name);
    commandText += `\n${text}`;
  }
  return { imports, commandText };
}

/** Why `dependency` is declared, or undefined when nothing uses it. */
function devDependencyUse(
  dir: string,
  dependency: string,
  usage: Usage,
  declared: string[],
): string | undefined {
  if (usage.imports.has(dependency)) return 'imported';
  if (dependency.startsWith('@types/') && usage.imports.has(typedPackage(dependency))) return 'types';
  const command = binNames(dir, dependency).find((name) => runsCommand(usage.commandText, name));
  if (command) return `runs ${command}`;
  // A peer dependency the package manager does not install by itself (ajv for ajv-draft-04).
  const host = declared.find(
    (other) =>
      other !== dependency && readManifest(join(dir, 'node_modules', other)).peerDependencies?.[dependency],
  );
  return host ? `peer of ${host}` : undefined;
}

const packages = workspacePackages();
const declaredOf = (manifest: Manifest) => [
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.devDependencies ?? {}),
];

describe('every declared dependency is used', () => {
  it.each(packages.map((pkg) => [pkg.path, pkg] as const))(
    '%s: each dependency is imported by shipped code, each devDependency by a test, script or tool run',
    (_path, pkg: WorkspacePackage) => {
      const files = sourceFiles(pkg.dir);
      const shipped = usageOf(
        files.filter((file) => isShippedSource(pkg, file)),
        { name: pkg.manifest.name, version: pkg.manifest.version },
      );
      const everything = usageOf(files, pkg.manifest);
      const unused = [
        ...Object.keys(pkg.manifest.dependencies ?? {})
          .filter((dependency) => !shipped.imports.has(dependency))
          .map((dependency) => `dependencies.${dependency}`),
        ...Object.keys(pkg.manifest.devDependencies ?? {})
          .filter(
            (dependency) =>
              devDependencyUse(pkg.dir, dependency, everything, declaredOf(pkg.manifest)) === undefined,
          )
          .map((dependency) => `devDependencies.${dependency}`),
      ];
      expect(unused).toEqual([]);
    },
  );

  it.each(
    packages
      .filter((pkg) => !pkg.manifest.private || pkg.path.startsWith('integrations/'))
      .map((pkg) => [pkg.path, pkg] as const),
  )('%s: shipped code imports only its own dependencies', (_path, pkg: WorkspacePackage) => {
    const allowed = new Set([
      pkg.manifest.name,
      'node',
      ...builtinModules,
      ...Object.keys(pkg.manifest.dependencies ?? {}),
      ...Object.keys(pkg.manifest.peerDependencies ?? {}),
      // `import type` from a types-only package: erased by the build.
      ...declaredOf(pkg.manifest)
        .filter((name) => name.startsWith('@types/'))
        .map(typedPackage),
    ]);
    const undeclared = sourceFiles(pkg.dir)
      .filter((file) => isShippedSource(pkg, file))
      .flatMap((file) =>
        [...importedPackages(readFileSync(file, 'utf8'))]
          .filter((name) => !allowed.has(name))
          .map((name) => `${relative(pkg.dir, file)} imports ${name}`),
      );
    // A devDependency here would be missing from a user's install; a test server here would ship to users.
    expect(undeclared).toEqual([]);
  });

  it('the root: each devDependency is imported or run somewhere in the workspace', () => {
    const root = readManifest(REPO_ROOT);
    const rootFiles = ['vitest.config.ts'].map((file) => join(REPO_ROOT, file));
    const files = [...rootFiles, ...packages.flatMap((pkg) => sourceFiles(pkg.dir))];
    const usage = usageOf(files, root);
    usage.commandText += [
      readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8'),
      ...packages.map((pkg) => Object.values(pkg.manifest.scripts ?? {}).join('\n')),
    ].join('\n');
    // tsconfig's `types` loads @types packages without an import.
    const tsconfig = readFileSync(join(REPO_ROOT, 'tsconfig.base.json'), 'utf8');
    const unused = Object.keys(root.devDependencies ?? {}).filter(
      (dependency) =>
        devDependencyUse(REPO_ROOT, dependency, usage, declaredOf(root)) === undefined &&
        !(dependency.startsWith('@types/') && tsconfig.includes(`"${typedPackage(dependency)}"`)),
    );
    expect(unused).toEqual([]);
  });

  it('finds imports of every form, and only bare package names', () => {
    const text = [
      "import { a } from '@scope/pkg/sub';",
      "import 'side-effect';",
      "export * from './local.js';",
      "const lazy = await import('lazy-pkg');",
      "const old = require('cjs-pkg/lib/x.js');",
      "const schema = require.resolve('data-pkg/schema.json');",
      "import { readFile } from 'node:fs/promises';",
      '/// <reference types="vitest/globals" />',
    ].join('\n');
    expect([...importedPackages(text)].sort()).toEqual(
      ['@scope/pkg', 'cjs-pkg', 'data-pkg', 'lazy-pkg', 'node', 'side-effect', 'vitest'].sort(),
    );
    expect(typedPackage('@types/babel__core')).toBe('@babel/core');
    expect(runsCommand('turbo run build && changeset publish', 'changeset')).toBe(true);
    expect(runsCommand('node scripts/changesets.mjs', 'changeset')).toBe(false);
  });
});
