import { describe, expect, it } from 'vitest';
import { ActionError } from './errors.js';
import { readInputs, splitList } from './inputs.js';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readInputs', () => {
  it('applies documented defaults and picks offline mode without a key', () => {
    expect(readInputs(reader({ files: 'fixtures/**/*.json' }))).toEqual({
      files: ['fixtures/**/*.json'],
      mode: 'offline',
      apiUrl: null,
      apiKey: null,
      failOn: 'invalid',
      ignore: [],
      ignoreReserved: true,
      expectKey: 'expected',
      maxAddresses: 1000,
      dnsServers: [],
      reportPath: null,
      sarifPath: null,
    });
  });

  it.each([
    [{ sarif: 'true' }, 'mailprobe.sarif'],
    [{ sarif: 'TRUE', 'sarif-path': 'out/x.sarif' }, 'out/x.sarif'],
    [{ 'sarif-path': 'out/x.sarif' }, 'out/x.sarif'],
    [{ sarif: 'false' }, null],
  ])('reads SARIF inputs %j', (values, sarifPath) => {
    expect(readInputs(reader({ files: 'x', ...values })).sarifPath).toBe(sarifPath);
  });

  it('picks probe mode when a key is given and reads every input', () => {
    const inputs = readInputs(
      reader({
        files: 'a/*.json\nb/*.yml, c/*.csv\n',
        'api-url': 'https://probe.acme.io/',
        'api-key': 'mp_secret',
        'fail-on': 'UNKNOWN',
        ignore: 'acme.io\n*.internal',
        'ignore-reserved': 'false',
        'expect-key': 'should_be',
        'max-addresses': '50',
        'dns-servers': '127.0.0.1:5300',
        'report-path': 'out/report.json',
      }),
    );
    expect(inputs).toMatchObject({
      files: ['a/*.json', 'b/*.yml', 'c/*.csv'],
      mode: 'probe',
      apiUrl: 'https://probe.acme.io',
      failOn: 'unknown',
      ignore: ['acme.io', '*.internal'],
      ignoreReserved: false,
      expectKey: 'should_be',
      maxAddresses: 50,
      dnsServers: ['127.0.0.1:5300'],
      reportPath: 'out/report.json',
    });
  });

  it.each([
    [{}, /"files" is required/],
    [{ files: 'x', mode: 'probe' }, /needs "api-key"/],
    [{ files: 'x', 'api-key': 'k' }, /needs "api-url"/],
    [{ files: 'x', 'api-key': 'k', 'api-url': 'ftp://x' }, /http\(s\) URL/],
    [{ files: 'x', 'api-url': 'not a url' }, /not a URL/],
    [{ files: 'x', mode: 'fast' }, /"mode" must be one of probe, offline/],
    [{ files: 'x', 'fail-on': 'warning' }, /"fail-on" must be one of invalid, unknown, none/],
    [{ files: 'x', 'max-addresses': '0' }, /positive whole number/],
    [{ files: 'x', 'max-addresses': '1e3' }, /positive whole number/],
    [{ files: 'x', 'ignore-reserved': 'yes' }, /true or false/],
    [{ files: 'x', sarif: 'maybe' }, /"sarif" must be true or false/],
    [{ files: 'x', sarif: 'false', 'sarif-path': 'a.sarif' }, /"sarif-path" is set but "sarif" is false/],
  ])('rejects %j with a message naming the input', (values, message) => {
    let caught: unknown;
    try {
      readInputs(reader(values as Record<string, string>));
    } catch (error) {
      caught = error;
    }
    expect(ActionError.isInstance(caught)).toBe(true);
    expect((caught as ActionError).code).toBe('invalid_input');
    expect((caught as ActionError).message).toMatch(message);
  });
});

describe('splitList', () => {
  it('splits on newlines and commas, dropping blanks', () => {
    expect(splitList(' a ,\n\n b,c ,')).toEqual(['a', 'b', 'c']);
  });
});
