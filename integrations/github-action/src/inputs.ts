import { ActionError } from './errors.js';

export const MODES = ['probe', 'offline'] as const;
export type Mode = (typeof MODES)[number];
export const FAIL_ON = ['invalid', 'unknown', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Defaults for every optional input (also stated in action.yml and the README). */
export const INPUT_DEFAULTS = {
  failOn: 'invalid' as FailOn,
  ignoreReserved: true,
  expectKey: 'expected',
  maxAddresses: 1000,
} as const;

/** The action's configuration, read and validated from the step's `with:` inputs. */
export interface ActionInputs {
  files: string[];
  mode: Mode;
  apiUrl: string | null;
  apiKey: string | null;
  failOn: FailOn;
  ignore: string[];
  ignoreReserved: boolean;
  expectKey: string;
  maxAddresses: number;
  dnsServers: string[];
  reportPath: string | null;
  /** Where to write the SARIF log; null when `sarif` is off. */
  sarifPath: string | null;
}

/** Reads one raw input by its action.yml name; '' when not given. */
export type InputReader = (name: string) => string;

/** Splits a list input written one per line and/or comma separated. */
export function splitList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[], fallback: T): T {
  const value = raw.trim().toLowerCase();
  if (value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ActionError(
    'invalid_input',
    `Input "${name}" must be one of ${allowed.join(', ')}; got "${raw}".`,
  );
}

function booleanInput(name: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim().toLowerCase();
  if (value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ActionError('invalid_input', `Input "${name}" must be true or false; got "${raw}".`);
}

function positiveInteger(name: string, raw: string, fallback: number): number {
  const value = raw.trim();
  if (value === '') return fallback;
  if (!/^[1-9][0-9]*$/.test(value)) {
    throw new ActionError('invalid_input', `Input "${name}" must be a positive whole number; got "${raw}".`);
  }
  return Number(value);
}

function urlInput(name: string, raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ActionError('invalid_input', `Input "${name}" is not a URL: "${value}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ActionError('invalid_input', `Input "${name}" must be an http(s) URL; got "${value}".`);
  }
  return value.replace(/\/+$/, '');
}

/** File name of the SARIF log when `sarif: true` and no `sarif-path` is given. */
export const DEFAULT_SARIF_NAME = 'mailprobe.sarif';

// `sarif-path` alone turns SARIF on; `sarif: false` with a path is a contradiction worth refusing.
function sarifPathInput(read: InputReader): string | null {
  const path = read('sarif-path').trim();
  const raw = read('sarif');
  if (raw.trim() === '') return path || null;
  const enabled = booleanInput('sarif', raw, false);
  if (!enabled && path) {
    throw new ActionError(
      'invalid_input',
      'Input "sarif-path" is set but "sarif" is false; drop one of them.',
    );
  }
  return enabled ? path || DEFAULT_SARIF_NAME : null;
}

/** Reads and validates every input; throws ActionError (`invalid_input`) with a message naming the input. */
export function readInputs(read: InputReader): ActionInputs {
  const files = splitList(read('files'));
  if (files.length === 0) {
    throw new ActionError(
      'invalid_input',
      'Input "files" is required: give one or more globs, e.g. "fixtures/**/*.json".',
    );
  }
  const apiKey = read('api-key').trim() || null;
  const apiUrl = urlInput('api-url', read('api-url'));
  const mode = oneOf('mode', read('mode'), MODES, apiKey ? 'probe' : 'offline');
  if (mode === 'probe' && !apiKey) {
    throw new ActionError(
      'invalid_input',
      'Mode "probe" needs "api-key" (store it as a secret), or set mode: offline.',
    );
  }
  if (mode === 'probe' && !apiUrl) {
    throw new ActionError(
      'invalid_input',
      'Mode "probe" needs "api-url", the base URL of your Mailprobe endpoint.',
    );
  }
  const expectKey = read('expect-key').trim() || INPUT_DEFAULTS.expectKey;
  return {
    files,
    mode,
    apiUrl,
    apiKey,
    failOn: oneOf('fail-on', read('fail-on'), FAIL_ON, INPUT_DEFAULTS.failOn),
    ignore: splitList(read('ignore')),
    ignoreReserved: booleanInput('ignore-reserved', read('ignore-reserved'), INPUT_DEFAULTS.ignoreReserved),
    expectKey,
    maxAddresses: positiveInteger('max-addresses', read('max-addresses'), INPUT_DEFAULTS.maxAddresses),
    dnsServers: splitList(read('dns-servers')),
    reportPath: read('report-path').trim() || null,
    sarifPath: sarifPathInput(read),
  };
}
