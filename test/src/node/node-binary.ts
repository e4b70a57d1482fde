import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const found = new Map<number, Promise<string>>();

/**
 * The path of a real `node` binary of the given major version, for running shipped code under the Node
 * versions users run it on (Actions: node24, Zapier: 22). The current process's own binary when it is that
 * major; otherwise npm's `node` package, fetched once from the npm registry by `npx` and cached by npm.
 */
export function nodeBinary(major: number): Promise<string> {
  if (Number(process.versions.node.split('.')[0]) === major) return Promise.resolve(process.execPath);
  let path = found.get(major);
  if (!path) {
    path = run('npx', ['-y', `node@${major}`, '-p', 'process.execPath'], {
      timeout: 180_000,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
    }).then(({ stdout }) => stdout.trim());
    found.set(major, path);
  }
  return path;
}
