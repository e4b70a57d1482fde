import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addEngineFlags, type EngineFlagValues } from './engine-flags.js';
import { engineOptionsFrom } from './engine-options.js';

function parse(argv: string[]): EngineFlagValues {
  const command = addEngineFlags(new Command('test')).exitOverride();
  command.parse(argv, { from: 'user' });
  return command.opts<EngineFlagValues>();
}

describe('engine flags: --max-rejections-per-session', () => {
  it('passes the flag to the engine, and the flag wins over the environment', () => {
    const flags = parse(['--max-rejections-per-session', '5']);
    expect(engineOptionsFrom(flags, { MAILPROBE_MAX_REJECTIONS_PER_SESSION: '3' })).toMatchObject({
      maxRejectionsPerSession: 5,
    });
  });

  it('reads MAILPROBE_MAX_REJECTIONS_PER_SESSION without the flag', () => {
    expect(engineOptionsFrom(parse([]), { MAILPROBE_MAX_REJECTIONS_PER_SESSION: '3' })).toMatchObject({
      maxRejectionsPerSession: 3,
    });
  });

  it('refuses a value that is not a positive whole number', () => {
    expect(() => parse(['--max-rejections-per-session', '0'])).toThrow(/positive whole number/);
  });
});
