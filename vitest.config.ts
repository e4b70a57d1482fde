import { defineConfig } from 'vitest/config';

// Every package is tested from source: the custom export condition points each
// workspace package at its src/index.ts, so `pnpm test` needs no prior build.
const project = (name: string, root: string, extra: Record<string, unknown> = {}) => ({
  extends: true as const,
  test: { name, root, include: ['src/**/*.test.ts'], ...extra },
});

export default defineConfig({
  resolve: { conditions: ['@mailprobe/source'] },
  ssr: { resolve: { conditions: ['@mailprobe/source'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      project('core', 'packages/core'),
      project('engine', 'packages/engine'),
      project('prober', 'packages/prober'),
      project('cli', 'packages/cli'),
      project('console', 'packages/console'),
      project('zapier', 'integrations/zapier'),
      project('hubspot', 'integrations/hubspot', { include: ['src/**/*.test.ts', 'test/**/*.test.ts'] }),
      project('github-action', 'integrations/github-action'),
      project('e2e', 'test'),
    ],
  },
});
