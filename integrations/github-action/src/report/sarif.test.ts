import { describe, expect, it } from 'vitest';
import { sarifSchemaErrors } from '../../test/sarif-schema.js';
import type { AddressEntry } from '../collect.js';
import type { Verdict } from '../verify/verdict.js';
import { buildReport } from './report.js';
import { buildSarif, SARIF_RULES } from './sarif.js';

const entry = (
  address: string,
  ...locations: Array<[string, number, number, string | null]>
): AddressEntry => ({
  address,
  locations: locations.map(([file, line, column, expected]) => ({ address, file, line, column, expected })),
});
const verdict = (address: string, status: Verdict['status'], reason: Verdict['reason']): Verdict => ({
  address,
  status,
  reason,
  suggestion: address.endsWith('gmial.com') ? address.replace('gmial', 'gmail') : null,
  detail: `${status} ${reason}`,
  evidence: status === 'INVALID' ? '550 5.1.1 User unknown' : null,
});

const checked = [
  entry('ok@acme.dev', ['fixtures/users.json', 2, 12, null]),
  entry('ghost@acme.dev', ['fixtures/users.json', 3, 12, null], ['fixtures/seed data.csv', 4, 1, 'invalid']),
  entry('full@acme.dev', ['fixtures/users.yaml', 6, 13, null]),
  entry('ann@gmial.com', ['fixtures/users.ts', 9, 20, 'valid']),
];
const verdicts = [
  verdict('ok@acme.dev', 'VALID', 'accepted'),
  verdict('ghost@acme.dev', 'INVALID', 'mailbox_not_found'),
  verdict('full@acme.dev', 'UNKNOWN', 'mailbox_full'),
  verdict('ann@gmial.com', 'INVALID', 'domain_not_found'),
];
const report = buildReport({
  mode: 'probe',
  failOn: 'invalid',
  files: ['fixtures/users.json', 'fixtures/seed data.csv', 'fixtures/users.yaml', 'fixtures/users.ts'],
  checked,
  verdicts,
  ignored: [],
  notes: [],
});

describe('buildSarif', () => {
  const log = buildSarif(report);
  const results = log.runs[0]?.results ?? [];

  it('is valid SARIF 2.1.0 by the published schema', async () => {
    expect(log.version).toBe('2.1.0');
    expect(await sarifSchemaErrors(log)).toEqual([]);
  });

  it('the schema check itself rejects a broken log', async () => {
    const broken = { ...log, version: '2.0.0', runs: [{ results: [{ message: {} }] }] };
    expect((await sarifSchemaErrors(broken)).length).toBeGreaterThan(0);
  });

  it('has one result per location that did not pass, at its exact place, with its rule and level', () => {
    expect(
      results.map((result) => {
        const physical = result.locations?.[0]?.physicalLocation;
        return `${result.level} ${result.ruleId} ${physical?.artifactLocation?.uri}:${physical?.region?.startLine}:${physical?.region?.startColumn}-${physical?.region?.endColumn}`;
      }),
    ).toEqual([
      `error ${SARIF_RULES.invalid.id} fixtures/users.json:3:12-26`,
      `warning ${SARIF_RULES.unknown.id} fixtures/users.yaml:6:13-26`,
      `error ${SARIF_RULES.expectation.id} fixtures/users.ts:9:20-33`,
    ]);
    expect(
      results.every(
        (result) => result.locations?.[0]?.physicalLocation?.artifactLocation?.uriBaseId === '%SRCROOT%',
      ),
    ).toBe(true);
  });

  it('says what was found, with the evidence and the suggestion', () => {
    expect(results[0]?.message.text).toBe(
      'ghost@acme.dev: invalid address: INVALID (mailbox_not_found). INVALID mailbox_not_found Evidence: 550 5.1.1 User unknown.',
    );
    expect(results[2]?.message.text).toContain('Did you mean ann@gmail.com?');
    expect(results[2]?.properties).toMatchObject({ address: 'ann@gmial.com', expected: 'valid' });
  });

  it('declares every rule it uses and fingerprints findings by file, address and rule, not line', () => {
    const rules = log.runs[0]?.tool.driver.rules?.map((rule) => rule.id);
    expect(rules).toEqual(Object.values(SARIF_RULES).map((rule) => rule.id));
    const moved = buildSarif(
      buildReport({
        ...{ mode: 'probe', failOn: 'invalid', files: [], ignored: [], notes: [] },
        checked: [entry('ghost@acme.dev', ['fixtures/users.json', 30, 1, null])],
        verdicts: [verdicts[1] as Verdict],
      }),
    );
    expect(moved.runs[0]?.results?.[0]?.partialFingerprints).toEqual(results[0]?.partialFingerprints);
    expect(new Set(results.map((result) => JSON.stringify(result.partialFingerprints))).size).toBe(3);
  });

  it('percent-encodes file paths as URI references', () => {
    const failing = buildSarif(
      buildReport({
        mode: 'probe',
        failOn: 'none',
        files: [],
        ignored: [],
        notes: [],
        checked: [entry('ghost@acme.dev', ['fixtures/seed data #2.csv', 4, 1, null])],
        verdicts: [verdicts[1] as Verdict],
      }),
    );
    const result = failing.runs[0]?.results?.[0];
    expect(result?.level).toBe('warning');
    expect(result?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(
      'fixtures/seed%20data%20%232.csv',
    );
  });

  it('an empty report is a valid log with no results', async () => {
    const empty = buildSarif(
      buildReport({
        mode: 'offline',
        failOn: 'invalid',
        files: [],
        checked: [],
        verdicts: [],
        ignored: [],
        notes: [],
      }),
    );
    expect(empty.runs[0]?.results ?? []).toEqual([]);
    expect(await sarifSchemaErrors(empty)).toEqual([]);
  });
});
