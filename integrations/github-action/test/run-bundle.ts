import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed bundle, as action.yml runs it. */
export const BUNDLE = fileURLToPath(new URL('../dist/index.js', import.meta.url));
/** The fixtures repository the runs scan. */
export const FIXTURE_WORKSPACE = fileURLToPath(new URL('../src/__fixtures__/workspace', import.meta.url));

export interface ParsedAnnotation {
  level: 'error' | 'warning' | 'notice';
  file?: string;
  line?: number;
  col?: number;
  title?: string;
  message: string;
}

export interface BundleRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  annotations: ParsedAnnotation[];
  outputs: Record<string, string>;
  summary: string;
  temp: string;
}

/** The environment variable a runner sets for an input: INPUT_ + upper case, spaces → `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Runs `node dist/index.js` as a runner does, with a fresh GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP. */
export async function runBundle(
  inputs: Record<string, string>,
  options: { workspace?: string; node?: string } = {},
): Promise<BundleRun> {
  const temp = await mkdtemp(join(tmpdir(), 'mailprobe-action-run-'));
  const outputFile = join(temp, 'github_output');
  const summaryFile = join(temp, 'step_summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const workspace = options.workspace ?? FIXTURE_WORKSPACE;
  // Built from scratch, so a CI runner's own GITHUB_* variables never leak into the run.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: temp,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;

  const child = spawn(options.node ?? process.execPath, [BUNDLE], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return {
    exitCode,
    stdout,
    stderr,
    annotations: parseAnnotations(stdout),
    outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    temp,
  };
}

const unescapeData = (text: string) =>
  text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
const unescapeProperty = (text: string) => unescapeData(text).replaceAll('%3A', ':').replaceAll('%2C', ',');

/** The workflow commands `::error file=…,line=…,col=…::message` printed on stdout. */
export function parseAnnotations(stdout: string): ParsedAnnotation[] {
  const annotations: ParsedAnnotation[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const annotation: ParsedAnnotation = {
      level: match[1] as ParsedAnnotation['level'],
      message: unescapeData(match[3] ?? ''),
    };
    for (const property of (match[2] ?? '').split(',').filter(Boolean)) {
      const [key = '', value = ''] = property.split('=');
      const text = unescapeProperty(value);
      if (key === 'line' || key === 'col') annotation[key] = Number(text);
      else if (key === 'file' || key === 'title') annotation[key] = text;
    }
    annotations.push(annotation);
  }
  return annotations;
}

/** The `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}
