import { glob } from 'tinyglobby';
import { ActionError } from './errors.js';

/** Never scanned, whatever the globs say. */
export const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

const PAIRS: Array<[string, string]> = [
  ['{', '}'],
  ['[', ']'],
  ['(', ')'],
];

/** Why a glob is unusable, or null when it is fine. */
export function globProblem(pattern: string): string | null {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (body === '') return 'it is empty';
  if (body.startsWith('/') || /^[A-Za-z]:[\\/]/.test(body))
    return 'it is absolute; globs are relative to the workspace';
  if (body.split(/[\\/]/).includes('..')) return 'it leaves the workspace ("..")';
  for (const [open, close] of PAIRS) {
    let depth = 0;
    for (let index = 0; index < body.length; index += 1) {
      const char = body[index];
      if (char === '\\') index += 1;
      else if (char === open) depth += 1;
      else if (char === close) depth -= 1;
      if (depth < 0) break;
    }
    if (depth !== 0) return `its "${open}" and "${close}" are unbalanced`;
  }
  return null;
}

/** The workspace-relative paths (sorted, `/`-separated) that the globs match; `!glob` excludes. */
export async function findFiles(patterns: readonly string[], workspace: string): Promise<string[]> {
  for (const pattern of patterns) {
    const problem = globProblem(pattern);
    if (problem) throw new ActionError('bad_glob', `Bad glob "${pattern}" in "files": ${problem}.`);
  }
  const include = patterns.filter((pattern) => !pattern.startsWith('!'));
  const exclude = patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => pattern.slice(1));
  if (include.length === 0) {
    throw new ActionError(
      'bad_glob',
      'Input "files" has only exclusions ("!glob"); add at least one glob to include.',
    );
  }
  const files = await glob(include, {
    cwd: workspace,
    ignore: [...ALWAYS_IGNORED, ...exclude],
    onlyFiles: true,
    dot: true,
    expandDirectories: false,
  });
  if (files.length === 0) {
    throw new ActionError(
      'no_files_matched',
      `No files matched ${include.map((pattern) => `"${pattern}"`).join(', ')} in ${workspace}. ` +
        'Check the "files" globs (relative to the repository root) and that the repository is checked out.',
    );
  }
  return files.map((file) => file.replaceAll('\\', '/')).sort();
}
