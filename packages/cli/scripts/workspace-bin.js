#!/usr/bin/env node
// `pnpm mailprobe` inside this repository. It runs the built CLI (packages/cli/dist, fast start) when every
// package it needs is built and newer than its sources, and otherwise the sources through tsx, exactly as the
// tests do. So it works right after `pnpm install` (whose `prepare` builds the CLI), after a failed or skipped
// build (`--ignore-scripts`), and after editing a source file: it never runs code older than the sources.
// Plain JavaScript on purpose: it must run before anything is built or transpiled.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { staleBuildReason } from './dist-freshness.js';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
const stale = staleBuildReason(packagesDir);

if (stale === null) {
  await import('../dist/bin.js');
} else {
  if (process.stderr.isTTY) {
    process.stderr.write(
      `mailprobe: running from source, slower to start (${stale}; \`pnpm build\` fixes it)\n`,
    );
  }
  const child = spawn(
    process.execPath,
    [
      '--conditions=@mailprobe/source',
      '--import',
      'tsx',
      fileURLToPath(new URL('../src/bin.ts', import.meta.url)),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  // A terminal's Ctrl-C reaches the child too, which stops itself; other signals are passed on.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    // A shell reports a child killed by a signal as 128 + its number.
    process.exitCode = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1);
  });
}
