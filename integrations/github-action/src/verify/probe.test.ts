import { ProberApiError, type VerificationResult } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { createProbeVerifier, endpointError, verdictFromResult } from './probe.js';

const result: VerificationResult = {
  address: 'ghost@acme.io',
  normalized: 'ghost@acme.io',
  status: 'INVALID',
  reason: 'mailbox_not_found',
  domain: 'acme.io',
  flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
  suggestion: null,
  mx: ['mx.acme.io'],
  smtp: {
    host: 'mx.acme.io',
    ip: '192.0.2.1',
    port: 25,
    sourceAddress: null,
    heloName: 'probe.example.net',
    tls: false,
    replyCode: 550,
    enhancedCode: '5.1.1',
    replyText: 'User unknown',
  },
  timings: { dnsMs: 1, connectMs: 1, smtpMs: 1, queuedMs: 0, totalMs: 3 },
  checkedAt: '2025-01-01T00:00:00.000Z',
  cached: false,
};

describe('verdictFromResult', () => {
  it('keeps status, reason and suggestion, and quotes the deciding reply', () => {
    expect(verdictFromResult('ghost@acme.io', result)).toEqual({
      address: 'ghost@acme.io',
      status: 'INVALID',
      reason: 'mailbox_not_found',
      suggestion: null,
      detail: 'The mail server said the mailbox does not exist (e.g. 550 5.1.1).',
      evidence: '550 5.1.1 User unknown',
    });
    expect(verdictFromResult('x', { ...result, smtp: null }).evidence).toBeNull();
  });
});

describe('endpointError', () => {
  const url = 'https://probe.acme.io';
  it.each([
    [
      new ProberApiError({ code: 'unauthorized', status: 401, message: 'unknown key' }),
      'bad_api_key',
      /rejected the api-key \(401 unauthorized/,
    ],
    [
      new ProberApiError({ code: 'forbidden', status: 403, message: 'revoked' }),
      'bad_api_key',
      /rejected the api-key/,
    ],
    [
      new ProberApiError({ code: 'network_error', status: 0, message: 'ECONNREFUSED' }),
      'endpoint_unreachable',
      /Could not reach/,
    ],
    [
      new ProberApiError({ code: 'timeout', status: 0, message: 'no answer' }),
      'endpoint_unreachable',
      /Could not reach/,
    ],
    [
      new ProberApiError({ code: 'quota_exceeded', status: 429, message: 'quota used' }),
      'endpoint_error',
      /answered 429 quota_exceeded/,
    ],
    [new Error('boom'), 'endpoint_error', /failed: Error: boom/],
  ])('%s → %s', (error, code, message) => {
    const mapped = endpointError(error, url);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(message);
  });
});

describe('createProbeVerifier', () => {
  it('fails its check with endpoint_unreachable when nothing listens', async () => {
    const verifier = createProbeVerifier({ apiUrl: 'http://127.0.0.1:9', apiKey: 'mp_test' });
    await expect(verifier.check()).rejects.toMatchObject({ code: 'endpoint_unreachable' });
  });
});
