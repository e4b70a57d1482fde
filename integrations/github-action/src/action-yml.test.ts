import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInputs } from './inputs.js';

interface ActionMetadata {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const metadata = parse(await readFile(new URL('../action.yml', import.meta.url), 'utf8')) as ActionMetadata;

describe('action.yml', () => {
  it('runs the committed bundle on node24', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(metadata.branding.icon).toBeTruthy();
  });

  it('declares exactly the inputs the code reads, with the code defaults', () => {
    const read: string[] = [];
    const defaults = readInputs((name) => {
      read.push(name);
      return name === 'files' ? 'x' : '';
    });
    expect(Object.keys(metadata.inputs).sort()).toEqual([...new Set(read)].sort());
    expect(metadata.inputs['fail-on']?.default).toBe(defaults.failOn);
    expect(metadata.inputs['expect-key']?.default).toBe(defaults.expectKey);
    expect(metadata.inputs['max-addresses']?.default).toBe(String(defaults.maxAddresses));
    expect(metadata.inputs['ignore-reserved']?.default).toBe(String(defaults.ignoreReserved));
    expect(metadata.inputs.sarif?.default).toBe(String(defaults.sarifPath !== null));
  });

  it('declares the outputs the action sets', () => {
    expect(Object.keys(metadata.outputs)).toEqual([
      'total',
      'valid',
      'invalid',
      'unknown',
      'failed',
      'sarif',
      'report',
    ]);
  });
});
