// Builds the self-contained Zapier app folder (build/app): src bundled with @mailprobe/core into one CommonJS
// index.js, and a package.json that depends only on zapier-platform-core. `zapier validate` / `zapier push` run there.
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The app folder, relative to the package directory. */
export const APP_DIR = 'build/app';
/** The one runtime dependency of the built app; Zapier requires an exact version. */
export const PLATFORM_PACKAGE = 'zapier-platform-core';
/** Written by `zapier register` / `zapier link`; names the Zapier app that `zapier push` uploads to. */
const LINK_FILE = '.zapierapprc';

const coreSourceDir = path.resolve(packageDir, '../../packages/core/src') + path.sep;

/**
 * Core's modules only define things, so unused ones (the disposable/free-provider domain lists behind
 * `addressFlags`, which the app never calls) can be left out; esbuild cannot know that without being told.
 */
const coreIsPure = {
  name: 'core-is-pure',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'core-is-pure') return undefined;
      if (!args.importer.startsWith(coreSourceDir) && args.path !== '@mailprobe/core') return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'core-is-pure',
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return resolved.path.startsWith(coreSourceDir) ? { ...resolved, sideEffects: false } : resolved;
    });
  },
};

const BANNER =
  '// Built by integrations/zapier/scripts/build.mjs from src/ — do not edit; run `pnpm --filter @mailprobe/zapier build`.';
// Zapier's loader requires index.js and uses module.exports as the app (it does not look at `.default`).
const FOOTER = 'module.exports = module.exports.default;';

async function exists(file) {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function readJson(file) {
  return JSON.parse(await readFile(file, 'utf8'));
}

/** Builds the app folder at `outDir` (absolute, or relative to the package directory); returns its absolute path. */
export async function buildApp(outDir = APP_DIR) {
  const appDir = path.resolve(packageDir, outDir);
  const linkFile = path.join(appDir, LINK_FILE);
  const keptLink = (await exists(linkFile)) ? await readFile(linkFile) : null;
  await rm(appDir, { recursive: true, force: true });
  await mkdir(appDir, { recursive: true });

  await build({
    absWorkingDir: packageDir,
    entryPoints: ['src/index.ts'],
    outfile: path.join(appDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Workspace packages resolve to their TypeScript sources, as in tests: @mailprobe/core is bundled in.
    conditions: ['@mailprobe/source'],
    external: [PLATFORM_PACKAGE],
    banner: { js: BANNER },
    footer: { js: FOOTER },
    legalComments: 'eof',
    charset: 'utf8',
    sourcemap: false,
    minify: false,
    logLevel: 'warning',
    plugins: [coreIsPure],
  });

  const source = await readJson(path.join(packageDir, 'package.json'));
  const platformVersion = source.dependencies[PLATFORM_PACKAGE];
  const manifest = {
    name: 'mailprobe-zapier',
    version: source.version,
    description: 'Mailprobe for Zapier: verify email addresses without sending mail.',
    private: true,
    license: source.license,
    main: 'index.js',
    engines: { node: '>=20' },
    dependencies: { [PLATFORM_PACKAGE]: platformVersion },
  };
  await writeFile(path.join(appDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  // A link committed next to this package wins; otherwise keep the one `zapier register` left in the folder.
  const committedLink = path.join(packageDir, LINK_FILE);
  if (await exists(committedLink)) await copyFile(committedLink, linkFile);
  else if (keptLink) await writeFile(linkFile, keptLink);
  return appDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const appDir = await buildApp(process.argv[2]);
  console.log(`built ${path.relative(process.cwd(), appDir) || '.'}`);
}
