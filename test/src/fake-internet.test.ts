import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeNetworkError } from './errors.js';
import { type FakeInternet, startFakeInternet } from './fake-internet.js';
import { RawSmtpClient } from './testing/raw-smtp-client.js';

let internet: FakeInternet | undefined;
const clients: RawSmtpClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await internet?.close();
  internet = undefined;
});

function resolverFor(fake: FakeInternet): Resolver {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers(fake.engineOptions.dnsServers);
  return resolver;
}

async function greetingOf(host: string, port: number): Promise<string> {
  const client = await RawSmtpClient.connect(host, port);
  clients.push(client);
  const reply = await client.readReply();
  return `${reply.code} ${reply.lines.join('|')}`;
}

describe('startFakeInternet', () => {
  it('serves every MX of every domain on one port, each on its own address, reachable through DNS', async () => {
    internet = await startFakeInternet({
      domains: {
        'example.test': {
          mx: [
            { host: 'mx1.example.test', smtp: { mailboxes: ['alice@example.test'] } },
            { host: 'mx2.example.test', priority: 50 },
          ],
        },
        'Other.test': { mx: [{ host: 'MX.other.test', smtp: { catchAll: true } }] },
        'shared.test': { mx: [{ host: 'mx1.example.test' }] },
      },
    });
    const names = Object.keys(internet.smtp).sort();
    expect(names).toEqual(['mx.other.test', 'mx1.example.test', 'mx2.example.test']);
    const hosts = Object.values(internet.smtp).map((server) => server.host);
    expect(new Set(hosts).size).toBe(3);
    for (const server of Object.values(internet.smtp)) expect(server.port).toBe(internet.port);
    expect(internet.engineOptions).toEqual({
      dnsServers: [internet.dns.server],
      allowPrivateTargets: true,
      ports: [internet.port],
      fallbackPorts: [],
    });

    const resolver = resolverFor(internet);
    const mx = await resolver.resolveMx('example.test');
    expect(mx.sort((a, b) => a.priority - b.priority)).toEqual([
      { exchange: 'mx1.example.test', priority: 10 },
      { exchange: 'mx2.example.test', priority: 50 },
    ]);
    expect(await resolver.resolveMx('shared.test')).toEqual([{ exchange: 'mx1.example.test', priority: 10 }]);
    const [address] = await resolver.resolve4('mx.other.test');
    expect(address).toBe(internet.smtp['mx.other.test']?.host);
    expect(await greetingOf(address ?? '', internet.port)).toBe('220 mx.other.test ESMTP Mailprobe fake MX');
  });

  it('makes an MX with smtp: false resolve to an address where nothing listens', async () => {
    internet = await startFakeInternet({
      domains: { 'dead.test': { mx: [{ host: 'mx.dead.test', smtp: false }] } },
    });
    expect(internet.smtp).toEqual({});
    const [address] = await resolverFor(internet).resolve4('mx.dead.test');
    expect(address).toMatch(/^127\.1\./);
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      connect({ host: address ?? '', port: internet?.port ?? 0 }).once('error', resolve);
    });
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('gives an MX an AAAA record when its server listens on ::1', async () => {
    internet = await startFakeInternet({
      domains: {
        'six.test': { mx: [{ host: 'mx6.six.test', smtp: { host: '::1' } }] },
        'four.test': { mx: [{ host: 'mx4.four.test' }] },
      },
    });
    const resolver = resolverFor(internet);
    expect(await resolver.resolve6('mx6.six.test')).toEqual(['::1']);
    await expect(resolver.resolve4('mx6.six.test')).rejects.toMatchObject({ code: 'ENODATA' });
    expect(internet.smtp['mx4.four.test']?.port).toBe(internet.port);
    expect(await greetingOf('::1', internet.port)).toMatch(/^220 mx6\.six\.test /);
  });

  it('serves domain records as given: null MX, no MX, NXDOMAIN, and extra zones overriding generated ones', async () => {
    internet = await startFakeInternet({
      domains: {
        'null.test': { nullMx: true },
        'web-only.test': { a: ['127.1.9.9'] },
        'gone.test': { nxdomain: true },
        'ghost-mx.test': { mx: [{ host: 'ghost.ghost-mx.test' }] },
      },
      extraZones: { 'ghost.ghost-mx.test': { nxdomain: true }, '127.0.2.1': { ptr: 'probe1.sender.test' } },
    });
    const resolver = resolverFor(internet);
    expect(await resolver.resolveMx('null.test')).toEqual([{ exchange: '', priority: 0 }]);
    await expect(resolver.resolveMx('web-only.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolveMx('gone.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('ghost.ghost-mx.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(await resolver.reverse('127.0.2.1')).toEqual(['probe1.sender.test']);
    internet.dns.setZone('late.test', { mx: [{ exchange: 'ghost.ghost-mx.test', priority: 5 }] });
    expect(await resolver.resolveMx('late.test')).toHaveLength(1);
  });

  it('refuses one MX host given two different option sets', async () => {
    const error = await startFakeInternet({
      domains: {
        'a.test': { mx: [{ host: 'mx.shared.test', smtp: { catchAll: true } }] },
        'b.test': { mx: [{ host: 'mx.shared.test', smtp: { catchAll: false } }] },
      },
    }).catch((caught: unknown) => caught);
    expect(FakeNetworkError.isInstance(error) && error.code).toBe('conflicting_mx_options');
  });

  it('closes every server it started', async () => {
    const fake = await startFakeInternet({ domains: { 'x.test': { mx: [{ host: 'mx.x.test' }] } } });
    const server = fake.smtp['mx.x.test'];
    const client = await RawSmtpClient.connect(server?.host ?? '', fake.port);
    await client.readReply();
    await fake.close();
    await client.waitForClose();
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      connect({ host: server?.host ?? '', port: fake.port }).once('error', resolve);
    });
    expect(error.code).toBe('ECONNREFUSED');
  });
});
