import { syntaxErrorResult, type VerificationResult } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { decodeResult, encodeResult } from './compact-result.js';

const EVIDENCE: NonNullable<VerificationResult['smtp']> = {
  host: 'mx2.example.com',
  ip: '192.0.2.25',
  port: 25,
  sourceAddress: '198.51.100.7',
  heloName: 'probe.mailprobe.example',
  tls: true,
  replyCode: 550,
  enhancedCode: '5.1.1',
  replyText:
    '5.1.1 <Jane.Doe@example.com>: Recipient address rejected: User unknown in local recipient table',
};

function probed(overrides: Partial<VerificationResult> = {}): VerificationResult {
  return {
    address: 'Jane.Doe@Example.COM',
    normalized: 'Jane.Doe@example.com',
    status: 'INVALID',
    reason: 'mailbox_not_found',
    domain: 'example.com',
    flags: { roleAccount: false, disposable: false, freeProvider: true, catchAll: false },
    suggestion: null,
    mx: ['mx1.example.com', 'mx2.example.com'],
    smtp: EVIDENCE,
    timings: { dnsMs: 12, connectMs: 3, smtpMs: 140, queuedMs: 0, totalMs: 155 },
    checkedAt: '2026-12-06T21:00:00.123Z',
    cached: false,
    ...overrides,
  };
}

/** The field order of results the engine builds (and the API's schema). */
const FIELD_ORDER = [
  'address',
  'normalized',
  'status',
  'reason',
  'domain',
  'flags',
  'suggestion',
  'mx',
  'smtp',
  'syntaxError',
  'retryAfterSeconds',
  'provider',
  'timings',
  'checkedAt',
  'cached',
];
const inOrder = (result: VerificationResult) =>
  Object.fromEntries(
    FIELD_ORDER.filter((key) => key in result).map((key) => [key, result[key as keyof VerificationResult]]),
  );

function roundTrip(result: VerificationResult): VerificationResult {
  const { encoded, entries } = encodeResult(result);
  return decodeResult(encoded, result.address, new Map(entries));
}

describe('compact result encoding', () => {
  it('reads back every result exactly, field order included', () => {
    const cases: VerificationResult[] = [
      probed(),
      probed({
        status: 'VALID',
        reason: 'accepted',
        cached: true,
        smtp: { ...EVIDENCE, replyText: '2.1.5 Ok' },
      }),
      probed({ reason: 'greylisted', status: 'UNKNOWN', retryAfterSeconds: 300 }),
      probed({ retryAfterSeconds: null, syntaxError: null }),
      probed({ smtp: null, mx: [], domain: 'other.example', normalized: 'jane@example.com' }),
      probed({
        smtp: { ...EVIDENCE, host: 'not-an-mx.example', replyText: 'text with {@} and {=} in it' },
      }),
      probed({ smtp: { ...EVIDENCE, host: null, ip: null, port: null, replyText: null } }),
      probed({ checkedAt: '2026-12-06T21:00:00Z' }),
      probed({
        address: 'a@b.c',
        normalized: 'a@b.c',
        domain: 'b.c',
        smtp: { ...EVIDENCE, replyText: 'a@b.c a@b.c <a@b.c>' },
      }),
      syntaxErrorResult('no-at-sign', { code: 'missing_at', message: 'no @' }),
      syntaxErrorResult('', { code: 'empty', message: 'empty' }),
      // The provider: named by the answering host (derived, stored as nothing), named otherwise, or absent.
      probed({
        mx: ['aspmx.l.google.com'],
        smtp: { ...EVIDENCE, host: 'aspmx.l.google.com' },
        provider: 'google',
      }),
      probed({
        mx: ['aspmx.l.google.com'],
        smtp: { ...EVIDENCE, host: 'aspmx.l.google.com' },
        provider: 'other',
      }),
      probed({ reason: 'greylisted', status: 'UNKNOWN', retryAfterSeconds: 60, provider: 'other' }),
      // A session through a SOCKS5 egress keeps its proxy evidence; a refused CONNECT its reply code.
      probed({
        smtp: { ...EVIDENCE, proxy: { name: 'p1', failure: null, replyCode: null } },
        provider: 'other',
      }),
      probed({
        smtp: {
          ...EVIDENCE,
          replyText: null,
          proxy: { name: 'p2', failure: 'proxy_connect_refused', replyCode: 2 },
        },
        provider: 'other',
      }),
    ];
    for (const result of cases) {
      const back = roundTrip(result);
      expect(back).toEqual(result);
      expect(JSON.stringify(back)).toBe(JSON.stringify(inOrder(result)));
    }
  });

  it('encodes a result object once (the cache and the job item share it), and a copy on its own', () => {
    const result = probed();
    const first = encodeResult(result);
    expect(encodeResult(result)).toBe(first);
    // A copy for another input form of the address is another result: its reply is templated on its own address.
    const copy = { ...result, address: 'Bob@Example.com' };
    expect(encodeResult(copy)).not.toBe(first);
    expect(
      decodeResult(encodeResult(copy).encoded, copy.address, new Map(encodeResult(copy).entries)),
    ).toEqual(copy);
  });

  it('stores a typical probed result in a fifth of its JSON, sharing session and reply with other rows', () => {
    const result = probed({
      address: 'jane.doe@example.com',
      normalized: 'jane.doe@example.com',
      smtp: {
        ...EVIDENCE,
        replyText: '5.1.1 <jane.doe@example.com>: Recipient address rejected: User unknown',
      },
    });
    const { encoded, entries } = encodeResult(result);
    expect([encoded, ...entries.flat()].join('')).not.toContain('jane.doe');
    expect(encoded.length).toBeLessThan(JSON.stringify(result).length / 5);
    expect(decodeResult(encoded, result.address, new Map(entries))).toEqual(result);
    // Another address at the same server and with the same reply shares both dictionary entries.
    const other = encodeResult({
      ...result,
      address: 'john@example.com',
      normalized: 'john@example.com',
      smtp: { ...EVIDENCE, replyText: '5.1.1 <john@example.com>: Recipient address rejected: User unknown' },
    });
    expect(other.entries).toEqual(entries);
    expect(() => decodeResult(encoded, result.address, new Map())).toThrow(/missing/);
  });
});
