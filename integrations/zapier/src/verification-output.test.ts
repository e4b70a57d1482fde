import { REASON_DESCRIPTIONS, REASON_STATUS, REASONS, type VerificationResult } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { flattenVerification, summarize } from './verification-output.js';

const result: VerificationResult = {
  address: 'ann@gmial.com',
  normalized: 'ann@gmial.com',
  status: 'INVALID',
  reason: 'domain_not_found',
  domain: 'gmial.com',
  flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
  suggestion: 'ann@gmail.com',
  mx: [],
  smtp: null,
  timings: { dnsMs: 3, connectMs: 0, smtpMs: 0, queuedMs: 0, totalMs: 3 },
  checkedAt: '2025-01-01T10:00:00.000Z',
  cached: false,
};

describe('flattenVerification', () => {
  it('adds the suggestion to the summary and leaves the MX host empty when no MX was tried', () => {
    const flat = flattenVerification(result);
    expect(flat.summary).toBe(
      `Undeliverable: ${REASON_DESCRIPTIONS.domain_not_found} Did you mean ann@gmail.com?`,
    );
    expect(flat).toMatchObject({ suggestion: 'ann@gmail.com', mx_host: null, is_invalid: true });
  });

  it('takes the MX host from the SMTP evidence, else the first MX tried', () => {
    const smtp = {
      host: 'mx2.acme.test',
      ip: '127.1.0.2',
      port: 25,
      sourceAddress: null,
      heloName: 'probe.test',
      tls: false,
      replyCode: 250,
      enhancedCode: '2.1.5',
      replyText: 'OK',
    };
    expect(flattenVerification({ ...result, mx: ['mx1.acme.test', 'mx2.acme.test'], smtp }).mx_host).toBe(
      'mx2.acme.test',
    );
    expect(flattenVerification({ ...result, mx: ['mx1.acme.test'] }).mx_host).toBe('mx1.acme.test');
  });

  it('names the provider and says when it changes what the verdict means', () => {
    const gateway = flattenVerification({
      ...result,
      status: 'VALID',
      reason: 'accepted',
      suggestion: null,
      mx: ['mx0a-00176a03.pphosted.com'],
    });
    expect(gateway.provider).toBe('proofpoint');
    expect(gateway.summary).toMatch(/^Deliverable: .*bounce later/);
    expect(flattenVerification({ ...result, provider: 'google' }).provider).toBe('google');
  });

  it('has a summary for every reason of the vocabulary', () => {
    for (const reason of REASONS) {
      expect(summarize(REASON_STATUS[reason], reason, null)).toMatch(
        /^(Deliverable|Undeliverable|Could not be confirmed): ./,
      );
    }
  });
});
