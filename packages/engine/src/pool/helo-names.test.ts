import { type FakeDns, startFakeDns } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsClient, type DnsClient } from '../dns/dns-client.js';
import { type EngineWarning, HeloNames, isFullyQualified, systemHeloName } from './helo-names.js';

describe('systemHeloName (Postfix’s myhostname rule)', () => {
  it.each([
    ['mail.example.com', 'mail.example.com'],
    ['Mail.Example.COM.', 'mail.example.com'],
    ['vm', 'vm.localdomain'],
    ['', 'localhost.localdomain'],
    ['bad_name', 'localhost.localdomain'],
    ['host.123', 'localhost.localdomain'],
  ])('%j → %s', (host, expected) => {
    expect(systemHeloName(host)).toBe(expected);
  });

  it('is fully qualified only with two labels or more and a non-numeric last one', () => {
    expect(isFullyQualified('vm')).toBe(false);
    expect(isFullyQualified('192.0.2.1')).toBe(false);
    expect(isFullyQualified('probe.example.com')).toBe(true);
  });
});

describe('HeloNames against a real DNS server on loopback', () => {
  let fakeDns: FakeDns;
  let dns: DnsClient;

  beforeAll(async () => {
    fakeDns = await startFakeDns({
      zones: {
        '127.0.3.1': { ptr: 'confirmed.probe.test' },
        'confirmed.probe.test': { a: ['127.0.3.1'] },
        '127.0.3.2': { ptr: 'unconfirmed.probe.test' },
        'unconfirmed.probe.test': { a: ['192.0.2.99'] },
        '127.0.3.3': { ptr: 'bare' },
        'named.probe.test': { a: ['127.0.3.4'] },
      },
    });
    dns = createDnsClient({ servers: [fakeDns.server], timeoutMs: 500, retries: 0, cacheSize: 100 });
  });
  afterAll(async () => {
    await fakeDns.close();
  });

  it('for the address the OS chose: the forward-confirmed PTR, else the system name', async () => {
    const names = new HeloNames({
      configured: {},
      defaultName: undefined,
      dns,
      systemName: 'vm.localdomain',
    });
    expect(names.fallback).toEqual({ name: 'vm.localdomain', source: 'default' });
    expect(await names.forLocalAddress('127.0.3.1')).toEqual({ name: 'confirmed.probe.test', source: 'ptr' });
    expect(await names.forLocalAddress('127.0.3.2')).toEqual({ name: 'vm.localdomain', source: 'default' });
    expect(await names.forLocalAddress('127.0.3.3')).toEqual({ name: 'vm.localdomain', source: 'default' });
  });

  it('looks the PTR of a local address up once', async () => {
    const names = new HeloNames({
      configured: {},
      defaultName: undefined,
      dns,
      systemName: 'vm.localdomain',
    });
    const before = fakeDns.queries.filter((query) => query.type === 'PTR').length;
    await Promise.all([names.forLocalAddress('127.0.3.5'), names.forLocalAddress('127.0.3.5')]);
    await names.forLocalAddress('127.0.3.5');
    expect(fakeDns.queries.filter((query) => query.type === 'PTR').length - before).toBe(1);
  });

  it('an explicit default name wins over the PTR for the address the OS chose', async () => {
    const names = new HeloNames({ configured: {}, defaultName: 'named.probe.test', dns });
    expect(await names.forLocalAddress('127.0.3.1')).toEqual({ name: 'named.probe.test', source: 'default' });
  });

  it('for a configured source: its name, else its forward-confirmed PTR, else the default', async () => {
    const names = new HeloNames({
      configured: { '127.0.3.9': 'nine.probe.test' },
      defaultName: undefined,
      dns,
      systemName: 'vm.localdomain',
    });
    expect(await names.choose('127.0.3.9')).toEqual({ name: 'nine.probe.test', source: 'config' });
    expect(await names.choose('127.0.3.1')).toEqual({ name: 'confirmed.probe.test', source: 'ptr' });
    expect(await names.choose('127.0.3.2')).toEqual({ name: 'vm.localdomain', source: 'default' });
  });

  it('warns once per name when the name in use is not fully qualified or not forward-confirmed', async () => {
    const warnings: EngineWarning[] = [];
    const bare = new HeloNames({
      configured: {},
      defaultName: 'vm',
      dns,
      onWarning: (w) => warnings.push(w),
    });
    await bare.forLocalAddress('127.0.3.1');
    await bare.forLocalAddress('127.0.3.2');
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'helo_name_not_fqdn',
        heloName: 'vm',
        setting: 'defaultHeloName',
        environment: 'MAILPROBE_HELO_NAME',
      }),
    ]);
    expect(warnings[0]?.message).toMatch(/MAILPROBE_HELO_NAME/);

    const unconfirmed = new HeloNames({
      configured: { '127.0.3.2': 'unconfirmed.probe.test' },
      defaultName: undefined,
      dns,
      systemName: 'vm.localdomain',
      onWarning: (w) => warnings.push(w),
    });
    await unconfirmed.forLocalAddress('127.0.3.2');
    await unconfirmed.choose('127.0.3.2');
    await unconfirmed.forLocalAddress('127.0.3.1');
    await expect.poll(() => warnings.length).toBe(3);
    expect(warnings.slice(1).sort((a, b) => a.heloName.localeCompare(b.heloName))).toEqual([
      expect.objectContaining({
        code: 'helo_name_not_forward_confirmed',
        heloName: 'unconfirmed.probe.test',
        setting: 'heloNames',
        environment: 'MAILPROBE_HELO_NAMES',
      }),
      expect.objectContaining({
        code: 'helo_name_not_forward_confirmed',
        heloName: 'vm.localdomain',
        setting: 'defaultHeloName',
      }),
    ]);
    // The forward-confirmed PTR name raised nothing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(warnings).toHaveLength(3);
  });
});
