// Tags a release of the GitHub Action, as the release workflow runs it after changesets has versioned and
// published: `github-action@vX.Y.Z` (immutable, made once), and the moving tags users pin — `vX` and `vX.Y` —
// force-moved to the same commit. Users write `uses: OWNER/REPO/integrations/github-action@v1`.
//   node integrations/github-action/scripts/tag-release.mjs [--push] [--dry-run]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** The tags for one released version: the immutable release tag first, then the moving major and minor tags. */
export function tagsFor(version) {
  const match = SEMVER.exec(version);
  if (!match) throw new Error(`Not a release version (X.Y.Z): "${version}"`);
  const [, major, minor] = match;
  return { release: `github-action@v${version}`, moving: [`v${major}`, `v${major}.${minor}`] };
}

function packageVersion() {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
}

/** Creates the tags in the repository at `cwd` unless the release tag exists; returns the git commands run. */
export function tagRelease({ cwd, push = false, dryRun = false, version = packageVersion() }) {
  const { release, moving } = tagsFor(version);
  const git = (...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  const commands = [];
  const run = (...args) => {
    commands.push(`git ${args.join(' ')}`);
    if (!dryRun) git(...args);
  };
  if (git('tag', '--list', release) !== '') return { release, created: false, commands };
  run('tag', '-a', release, '-m', `Mailprobe GitHub Action ${release.slice('github-action@'.length)}`);
  for (const tag of moving) run('tag', '-f', '-a', tag, '-m', `Mailprobe GitHub Action ${release}`);
  if (push) {
    run('push', 'origin', `refs/tags/${release}`);
    run('push', '--force', 'origin', ...moving.map((tag) => `refs/tags/${tag}`));
  }
  return { release, created: true, commands };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = tagRelease({
    cwd: process.cwd(),
    push: process.argv.includes('--push'),
    dryRun: process.argv.includes('--dry-run'),
  });
  console.log(result.created ? result.commands.join('\n') : `${result.release} exists; nothing to tag.`);
}
