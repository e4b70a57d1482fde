import { Resolver } from 'node:dns/promises';
import { Packet, TCPClient, UDPClient } from 'dns2';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDns, startFakeDns } from './fake-dns.js';

const zones = {
  'example.test': {
    mx: [
      { exchange: 'mx2.example.test', priority: 20 },
      { exchange: 'mx1.example.test', priority: 10 },
    ],
    ttl: 120,
  },
  'mx1.example.test': { a: ['127.1.0.1'], aaaa: ['::1'] },
  'null.test': { nullMx: true },
  'a-only.test': { a: ['127.1.0.9'] },
  'broken.test': { servfail: true },
  'refusing.test': { refused: true },
  'sender.test': { txt: ['v=spf1 ip4:127.0.2.0/24 -all', ['hello ', 'world']] },
  'long.test': { txt: [`v=spf1 ${'include:spf.long.test '.repeat(15)}-all`] },
  'gone.test': { nxdomain: true },
  'slow.test': { mx: [{ exchange: 'mx.slow.test', priority: 0 }], delayMs: 400 },
  '127.0.2.1': { ptr: 'probe1.sender.test' },
  '1.2.0.127.in-addr.arpa.': { ptr: 'overridden.sender.test' },
};

function resolverFor(dns: FakeDns, timeoutMs = 2000): Resolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([dns.server]);
  return resolver;
}

describe('startFakeDns', () => {
  let dns: FakeDns;
  afterEach(async () => {
    await dns?.close();
  });

  it('answers MX, A and AAAA to node:dns, case-insensitively', async () => {
    dns = await startFakeDns({ zones });
    const resolver = resolverFor(dns);
    const mx = await resolver.resolveMx('EXAMPLE.test');
    expect(mx.sort((a, b) => a.priority - b.priority)).toEqual([
      { exchange: 'mx1.example.test', priority: 10 },
      { exchange: 'mx2.example.test', priority: 20 },
    ]);
    expect(await resolver.resolve4('mx1.example.test')).toEqual(['127.1.0.1']);
    expect(await resolver.resolve6('Mx1.Example.Test.')).toEqual(['::1']);
    expect(dns.queries).toEqual([
      { name: 'example.test', type: 'MX' },
      { name: 'mx1.example.test', type: 'A' },
      { name: 'mx1.example.test', type: 'AAAA' },
    ]);
  });

  it('serves the TTLs from the zone', async () => {
    dns = await startFakeDns({ zones });
    const resolver = resolverFor(dns);
    expect(await resolver.resolve4('a-only.test', { ttl: true })).toEqual([
      { address: '127.1.0.9', ttl: 300 },
    ]);
    dns.setZone('ttl.test', { a: ['127.1.0.10'], ttl: 42 });
    expect(await resolver.resolve4('ttl.test', { ttl: true })).toEqual([{ address: '127.1.0.10', ttl: 42 }]);
  });

  it('answers a null MX as priority 0 with an empty exchange', async () => {
    dns = await startFakeDns({ zones });
    expect(await resolverFor(dns).resolveMx('null.test')).toEqual([{ exchange: '', priority: 0 }]);
  });

  it('tells NXDOMAIN, NODATA and SERVFAIL apart', async () => {
    dns = await startFakeDns({ zones });
    const resolver = resolverFor(dns);
    await expect(resolver.resolveMx('unknown.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolveMx('gone.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolveMx('a-only.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolve6('a-only.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolveMx('broken.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });

  it('answers TXT records, splitting long ones into 255-byte character-strings, and REFUSED', async () => {
    dns = await startFakeDns({ zones });
    const resolver = resolverFor(dns);
    expect(await resolver.resolveTxt('sender.test')).toEqual([
      ['v=spf1 ip4:127.0.2.0/24 -all'],
      ['hello ', 'world'],
    ]);
    const [long] = await resolver.resolveTxt('long.test');
    expect(long?.map((part) => part.length)).toEqual([255, 86]);
    expect(long?.join('')).toBe(`v=spf1 ${'include:spf.long.test '.repeat(15)}-all`);
    await expect(resolver.resolveTxt('refusing.test')).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  it('puts an SOA in the authority section of a NODATA answer', async () => {
    dns = await startFakeDns({ zones });
    const resolve = UDPClient({ dns: dns.host, port: dns.port });
    const parsed = await resolve('a-only.test', 'MX');
    expect(parsed.header.rcode).toBe(0);
    expect(parsed.answers).toEqual([]);
    expect(parsed.authorities).toMatchObject([{ type: Packet.TYPE.SOA, name: 'a-only.test' }]);
  });

  it('answers reverse lookups for zones keyed by IP or by reverse name', async () => {
    dns = await startFakeDns({ zones: { '127.0.2.1': { ptr: 'probe1.sender.test' } } });
    const resolver = resolverFor(dns);
    expect(await resolver.reverse('127.0.2.1')).toEqual(['probe1.sender.test']);
    dns.setZone('2.2.0.127.in-addr.arpa', { ptr: 'probe2.sender.test' });
    expect(await resolver.reverse('127.0.2.2')).toEqual(['probe2.sender.test']);
    dns.setZone('::1', { ptr: 'six.sender.test' });
    expect(await resolver.reverse('::1')).toEqual(['six.sender.test']);
    await expect(resolver.reverse('127.0.2.3')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('holds answers for delayMs, so a shorter client timeout sees ETIMEOUT', async () => {
    dns = await startFakeDns({ zones });
    await expect(resolverFor(dns, 100).resolveMx('slow.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(await resolverFor(dns, 2000).resolveMx('slow.test')).toEqual([
      { exchange: 'mx.slow.test', priority: 0 },
    ]);
  });

  it('answers over TCP on the same port', async () => {
    dns = await startFakeDns({ zones });
    const resolve = TCPClient({ dns: dns.host, port: dns.port });
    const response = await resolve('mx1.example.test', 'A');
    expect(response.answers).toMatchObject([{ address: '127.1.0.1' }]);
  });
});
