import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const VALIDATOR = require.resolve('@action-validator/cli/cli.mjs');
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const WORKFLOWS = join(REPOSITORY, '.github', 'workflows');
const ACTION = fileURLToPath(new URL('../action.yml', import.meta.url));

/** Runs action-validator (GitHub's workflow and action schemas) on one file. */
async function validate(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [VALIDATOR, file]);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const workflowFiles = (await readdir(WORKFLOWS)).filter((name) => /\.ya?ml$/.test(name)).sort();

describe('the repository workflows and the action metadata', () => {
  const temporary: string[] = [];
  afterAll(async () => {
    for (const directory of temporary) await rm(directory, { recursive: true, force: true });
  });

  it('has a CI and a release workflow', () => {
    expect(workflowFiles).toEqual(['ci.yml', 'release.yml']);
  });

  it.each(workflowFiles)('.github/workflows/%s passes action-validator', async (name) => {
    const result = await validate(join(WORKFLOWS, name));
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('action.yml passes action-validator', async () => {
    // action-validator 0.6's schema predates GitHub's node24 runtime (its enum stops at node20), so the check
    // runs on a copy that says node20; action-yml.test.ts pins the real `using: node24`.
    const text = await readFile(ACTION, 'utf8');
    expect(text).toContain('using: node24');
    const directory = await mkdtemp(join(tmpdir(), 'mailprobe-action-yml-'));
    temporary.push(directory);
    const copy = join(directory, 'action.yml');
    await writeFile(copy, text.replace('using: node24', 'using: node20'));
    const result = await validate(copy);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('the validator rejects a broken workflow (so a pass above means something)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mailprobe-workflow-'));
    temporary.push(directory);
    const broken = join(directory, 'broken.yml');
    await writeFile(broken, 'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n');
    expect((await validate(broken)).ok).toBe(false);
  });

  it('CI runs .ci/run on Node 20, 22 and 24; release runs changesets and tags the action', async () => {
    const ci = parse(await readFile(join(WORKFLOWS, 'ci.yml'), 'utf8'));
    expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    expect(ci.jobs.test.steps.at(-1).run).toBe('bash .ci/run');
    const release = parse(await readFile(join(WORKFLOWS, 'release.yml'), 'utf8'));
    const steps = release.jobs.release.steps as Array<{ uses?: string; run?: string }>;
    expect(steps.some((step) => step.uses?.startsWith('changesets/action@'))).toBe(true);
    expect(steps.some((step) => step.run?.includes('scripts/tag-release.mjs --push'))).toBe(true);
  });
});
