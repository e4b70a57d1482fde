import { type FakeDns, startFakeDns } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineVerifier } from './offline.js';

describe('createOfflineVerifier against a real DNS server on loopback', () => {
  let dns: FakeDns;
  beforeAll(async () => {
    dns = await startFakeDns({
      zones: {
        'acme-mail.dev': {
          mx: [
            { exchange: 'mx2.acme-mail.dev', priority: 20 },
            { exchange: 'mx1.acme-mail.dev', priority: 10 },
          ],
        },
        'gone.dev': { nxdomain: true },
        'no-mx.dev': { a: ['192.0.2.10'] },
        'null-mx.dev': { nullMx: true },
        'broken.dev': { servfail: true },
        'gmial.com': { nxdomain: true },
        'xn--bcher-kva.dev': { mx: [{ exchange: 'mx.xn--bcher-kva.dev', priority: 10 }] },
      },
    });
  });
  afterAll(() => dns?.close());

  it('judges syntax and MX, in input order, looking each domain up once', async () => {
    const verifier = createOfflineVerifier({ dnsServers: [dns.server] });
    await verifier.check();
    const verdicts = await verifier.verify([
      'ana@acme-mail.dev',
      'bob@ACME-mail.dev',
      'john..doe@acme-mail.dev',
      'x@gone.dev',
      'x@no-mx.dev',
      'x@null-mx.dev',
      'x@broken.dev',
      'jürgen@bücher.dev',
      'ana.lopez@gmial.com',
    ]);
    expect(verdicts.map((verdict) => [verdict.address, verdict.status, verdict.reason])).toEqual([
      ['ana@acme-mail.dev', 'VALID', null],
      ['bob@ACME-mail.dev', 'VALID', null],
      ['john..doe@acme-mail.dev', 'INVALID', 'invalid_syntax'],
      ['x@gone.dev', 'INVALID', 'domain_not_found'],
      ['x@no-mx.dev', 'INVALID', 'no_mx'],
      ['x@null-mx.dev', 'INVALID', 'null_mx'],
      ['x@broken.dev', 'UNKNOWN', 'dns_error'],
      ['jürgen@bücher.dev', 'VALID', null],
      ['ana.lopez@gmial.com', 'INVALID', 'domain_not_found'],
    ]);
    expect(verdicts[8]?.suggestion).toBe('ana.lopez@gmail.com');
    expect(verdicts[0]?.evidence).toBe('MX mx1.acme-mail.dev, mx2.acme-mail.dev');
    expect(verdicts[0]?.detail).toMatch(/mailbox was not probed/);
    const mxQueries = dns.queries.filter((query) => query.type === 'MX' && query.name === 'acme-mail.dev');
    expect(mxQueries).toHaveLength(1);
  });
});
