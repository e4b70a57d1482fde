import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
/** The built console ships inside the prober package, which serves it at /console and /. */
// MAILPROBE_CONSOLE_OUT builds elsewhere (the freshness test compares such a build with the committed one).
export const OUT_DIR = process.env.MAILPROBE_CONSOLE_OUT ?? join(here, '../prober/console');
const coreSource = join(here, '../core/src');
const require = createRequire(import.meta.url);
const REDOC_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

/** Redoc renders /docs; its standalone bundle is copied next to the console so nothing loads from a CDN. */
function copyRedoc(): Plugin {
  return {
    name: 'mailprobe-copy-redoc',
    apply: 'build',
    async writeBundle() {
      const bundles = dirname(require.resolve('redoc/bundles/redoc.standalone.js'));
      await mkdir(join(OUT_DIR, 'docs'), { recursive: true });
      // The only third-party request Redoc makes is its footer logo from a CDN: point it at an empty image.
      const source = await readFile(join(bundles, 'redoc.standalone.js'), 'utf8');
      if (!source.includes(REDOC_LOGO))
        throw new Error(`redoc.standalone.js no longer contains ${REDOC_LOGO}`);
      await writeFile(join(OUT_DIR, 'docs', 'redoc.standalone.js'), source.replaceAll(REDOC_LOGO, 'data:,'));
      await copyFile(
        join(bundles, 'redoc.standalone.js.LICENSE.txt'),
        join(OUT_DIR, 'docs', 'redoc.standalone.js.LICENSE.txt'),
      );
    },
  };
}

export default defineConfig({
  root: join(here, 'src'),
  base: '/console/',
  plugins: [preact(), copyRedoc()],
  resolve: { conditions: ['@mailprobe/source'] },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    sourcemap: false,
    // One small bundle, no inline scripts or styles: the prober's Content-Security-Policy forbids both.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { console: join(here, 'src/index.html'), docs: join(here, 'src/docs.html') },
      // Core's modules only define things; the domain lists behind addressFlags stay out of the bundle.
      treeshake: { moduleSideEffects: (id) => !id.startsWith(coreSource) },
    },
  },
});
