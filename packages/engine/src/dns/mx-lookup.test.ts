import { type FakeDns, startFakeDns } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsClient } from './dns-client.js';
import { lookupMx } from './mx-lookup.js';

describe('lookupMx against a real DNS server on loopback', () => {
  let dns: FakeDns;

  beforeAll(async () => {
    dns = await startFakeDns({
      zones: {
        'mail.test': {
          mx: [
            { exchange: 'mx2.mail.test', priority: 20 },
            { exchange: 'mx1.mail.test', priority: 10 },
            { exchange: 'ghost.mail.test', priority: 5 },
            { exchange: 'mx6.mail.test', priority: 30 },
          ],
        },
        'mx1.mail.test': { a: ['192.0.2.1', '192.0.2.2'] },
        'mx2.mail.test': { a: ['192.0.2.3'], aaaa: ['2001:db8::3'] },
        'mx6.mail.test': { aaaa: ['2001:db8::6'] },
        'equal.test': {
          mx: [
            { exchange: 'a.equal.test', priority: 10 },
            { exchange: 'b.equal.test', priority: 10 },
          ],
        },
        'a.equal.test': { a: ['192.0.2.10'] },
        'b.equal.test': { a: ['192.0.2.11'] },
        'web-only.test': { a: ['192.0.2.20'] },
        'null.test': { nullMx: true },
        'gone.test': { nxdomain: true },
        'broken.test': { servfail: true },
        'slow.test': { mx: [{ exchange: 'mx1.mail.test', priority: 10 }], delayMs: 2000 },
        'dangling.test': { mx: [{ exchange: 'nowhere.test', priority: 10 }] },
        'short.test': { mx: [{ exchange: 'mx1.mail.test', priority: 10 }], ttl: 1 },
      },
    });
  });
  afterAll(() => dns.close());

  const client = (overrides: { timeoutMs?: number; retries?: number } = {}) =>
    createDnsClient({ servers: [dns.server], timeoutMs: 500, retries: 1, cacheSize: 100, ...overrides });

  it('sorts exchanges by preference, skips ones that do not resolve, resolves A and AAAA', async () => {
    const outcome = await lookupMx(client(), 'mail.test', { implicitMx: false });
    expect(outcome).toEqual({
      kind: 'mx',
      implicit: false,
      hosts: [
        {
          host: 'mx1.mail.test',
          preference: 10,
          addresses: [
            { ip: '192.0.2.1', family: 4 },
            { ip: '192.0.2.2', family: 4 },
          ],
        },
        {
          host: 'mx2.mail.test',
          preference: 20,
          addresses: [
            { ip: '192.0.2.3', family: 4 },
            { ip: '2001:db8::3', family: 6 },
          ],
        },
        { host: 'mx6.mail.test', preference: 30, addresses: [{ ip: '2001:db8::6', family: 6 }] },
      ],
    });
  });

  it('orders exchanges of equal preference by the random source', async () => {
    const order = async (draws: number[]) => {
      const outcome = await lookupMx(client(), 'equal.test', {
        implicitMx: false,
        random: () => draws.shift() ?? 0,
      });
      return outcome.kind === 'mx' ? outcome.hosts.map((host) => host.host) : [];
    };
    expect(await order([0.1, 0.9])).toEqual(['a.equal.test', 'b.equal.test']);
    expect(await order([0.9, 0.1])).toEqual(['b.equal.test', 'a.equal.test']);
  });

  it('tells NXDOMAIN, no MX, null MX, SERVFAIL, timeout and dangling MX apart', async () => {
    const dnsClient = client();
    expect(await lookupMx(dnsClient, 'gone.test', { implicitMx: false })).toEqual({
      kind: 'domain_not_found',
    });
    expect(await lookupMx(dnsClient, 'web-only.test', { implicitMx: false })).toEqual({ kind: 'no_mx' });
    expect(await lookupMx(dnsClient, 'null.test', { implicitMx: true })).toEqual({ kind: 'null_mx' });
    expect((await lookupMx(dnsClient, 'broken.test', { implicitMx: false })).kind).toBe('dns_error');
    expect((await lookupMx(client({ timeoutMs: 100 }), 'slow.test', { implicitMx: false })).kind).toBe(
      'dns_error',
    );
    expect(await lookupMx(dnsClient, 'dangling.test', { implicitMx: false })).toEqual({
      kind: 'mx_unresolvable',
      exchanges: ['nowhere.test'],
    });
  });

  it('falls back to A/AAAA only with implicitMx (RFC 5321 §5.1)', async () => {
    expect(await lookupMx(client(), 'web-only.test', { implicitMx: true })).toEqual({
      kind: 'mx',
      implicit: true,
      hosts: [{ host: 'web-only.test', preference: 0, addresses: [{ ip: '192.0.2.20', family: 4 }] }],
    });
  });

  it('caches answers for their TTL and retries a timed-out query', async () => {
    const dnsClient = client();
    const asked = () =>
      dns.queries.filter((query) => query.name === 'short.test' && query.type === 'MX').length;
    const before = asked();
    await dnsClient.query('short.test', 'MX');
    await dnsClient.query('short.test', 'MX');
    expect(asked() - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await dnsClient.query('short.test', 'MX');
    expect(asked() - before).toBe(2);

    const slowBefore = dns.queries.filter((query) => query.name === 'slow.test').length;
    await expect(client({ timeoutMs: 100, retries: 2 }).query('slow.test', 'MX')).rejects.toMatchObject({
      code: 'dns_timeout',
    });
    expect(dns.queries.filter((query) => query.name === 'slow.test').length - slowBefore).toBe(3);
  });
});
