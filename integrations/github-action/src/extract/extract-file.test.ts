import { describe, expect, it } from 'vitest';
import { extractFile, formatOf } from './extract-file.js';

const extract = (file: string, text: string) =>
  extractFile(text, { file, expectKey: 'expected' }).occurrences.map(
    ({ address, line, column, expected }) => ({
      address,
      at: `${line}:${column}`,
      expected,
    }),
  );

describe('formatOf', () => {
  it.each([
    ['fixtures/users.json', 'json'],
    ['a/b.YML', 'yaml'],
    ['x.csv', 'csv'],
    ['x.tsv', 'tsv'],
    ['.env', 'env'],
    ['config/.env.test', 'env'],
    ['prod.env', 'env'],
    ['seed.mts', 'script'],
    ['App.jsx', 'script'],
    ['emails.txt', 'text'],
    ['Makefile', 'text'],
  ])('%s is %s', (file, format) => {
    expect(formatOf(file)).toBe(format);
  });
});

describe('JSON', () => {
  it('finds addresses at the exact position, with sibling expectations', () => {
    const text = [
      '{',
      '  "users": [',
      '    { "email": "ana@acme.io", "expected": "valid" },',
      '    { "expected": "invalid", "email": "ghost@acme.io" },',
      '    { "email": "bob@acme.io", "note": "cc carol@acme.io" }',
      '  ],',
      '  "admins": ["root@acme.io"]',
      '}',
    ].join('\n');
    expect(extract('users.json', text)).toEqual([
      { address: 'ana@acme.io', at: '3:17', expected: 'valid' },
      { address: 'ghost@acme.io', at: '4:40', expected: 'invalid' },
      { address: 'bob@acme.io', at: '5:17', expected: null },
      { address: 'carol@acme.io', at: '5:43', expected: null },
      { address: 'root@acme.io', at: '7:15', expected: null },
    ]);
  });

  it('falls back to text for broken JSON and says so', () => {
    const extraction = extractFile('{ "email": "ana@acme.io", ', { file: 'bad.json', expectKey: 'expected' });
    expect(extraction.fallback).toMatch(/could not parse as JSON/);
    expect(extraction.occurrences.map((occurrence) => occurrence.address)).toEqual(['ana@acme.io']);
  });

  it('uses the configured expect key', () => {
    const occurrences = extractFile('[{"mail": "a@x.io", "should_be": "unknown"}]', {
      file: 'x.json',
      expectKey: 'should_be',
    }).occurrences;
    expect(occurrences.map((occurrence) => occurrence.expected)).toEqual(['unknown']);
  });
});

describe('YAML', () => {
  it('handles plain, quoted and multi-document YAML', () => {
    const text = [
      'users:',
      '  - email: ana@acme.io',
      '    expected: valid',
      "  - email: 'bob@acme.io'",
      '---',
      'contact: "Write to carol@acme.io"',
    ].join('\n');
    expect(extract('users.yaml', text)).toEqual([
      { address: 'ana@acme.io', at: '2:12', expected: 'valid' },
      { address: 'bob@acme.io', at: '4:13', expected: null },
      { address: 'carol@acme.io', at: '6:20', expected: null },
    ]);
  });
});

describe('CSV', () => {
  it('uses the header for keys and the expect column, with multi-line records', () => {
    const text = [
      'name,email,expected',
      'Ana,ana@acme.io,valid',
      '"Bob',
      'Jr",bob@acme.io,invalid',
      'Carol,"carol@acme.io",',
    ].join('\n');
    expect(extract('users.csv', text)).toEqual([
      { address: 'ana@acme.io', at: '2:5', expected: 'valid' },
      { address: 'bob@acme.io', at: '4:5', expected: 'invalid' },
      { address: 'carol@acme.io', at: '5:8', expected: null },
    ]);
  });

  it('reads header-less files and TSV', () => {
    expect(extract('list.csv', 'ana@acme.io\nbob@acme.io\n')).toEqual([
      { address: 'ana@acme.io', at: '1:1', expected: null },
      { address: 'bob@acme.io', at: '2:1', expected: null },
    ]);
    expect(extract('list.tsv', 'id\temail\n1\tana@acme.io\n')).toEqual([
      { address: 'ana@acme.io', at: '2:3', expected: null },
    ]);
  });
});

describe('.env', () => {
  it('reads assignments, quotes, export and lists; skips comments', () => {
    const text = [
      '# ops@acme.io is a comment',
      'ADMIN_EMAIL=ana@acme.io',
      'export SUPPORT_EMAIL="help@acme.io" # inline',
      "NOTIFY_EMAILS='a@acme.io,b@acme.io'",
      'BROKEN_EMAIL=not-an-address',
      'PORT=25',
    ].join('\n');
    expect(extract('.env', text)).toEqual([
      { address: 'ana@acme.io', at: '2:13', expected: null },
      { address: 'help@acme.io', at: '3:23', expected: null },
      { address: 'a@acme.io', at: '4:16', expected: null },
      { address: 'b@acme.io', at: '4:26', expected: null },
      { address: 'not-an-address', at: '5:14', expected: null },
    ]);
  });
});

describe('TS/JS', () => {
  it('finds addresses in string literals, with object expectations, skipping comments and regexes', () => {
    const text = [
      '// owner@acme.io wrote this',
      'const pattern = /["\']x@y\\.io/;',
      'export const users = [',
      "  { email: 'ana@acme.io', expected: 'valid' },",
      '  { name: "Bob", email: "bob@acme.io", expected: "invalid" },',
      '  { email: `carol@acme.io`, nested: { expected: "valid" } },',
      '];',
      '/* block dave@acme.io */',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text containing a template literal
      'send(`hi ${name}, reply to eve@acme.io`);',
    ].join('\n');
    expect(extract('users.ts', text)).toEqual([
      { address: 'ana@acme.io', at: '4:13', expected: 'valid' },
      { address: 'bob@acme.io', at: '5:26', expected: 'invalid' },
      { address: 'carol@acme.io', at: '6:13', expected: null },
      { address: 'eve@acme.io', at: '9:28', expected: null },
    ]);
  });
});

describe('plain text', () => {
  it('finds every address with line and column', () => {
    expect(extract('notes.txt', 'first: ana@acme.io\n\n  bob@acme.io, bob@acme.io')).toEqual([
      { address: 'ana@acme.io', at: '1:8', expected: null },
      { address: 'bob@acme.io', at: '3:3', expected: null },
      { address: 'bob@acme.io', at: '3:16', expected: null },
    ]);
  });
});
