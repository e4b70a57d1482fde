import { createServer } from 'node:net';
import { type FakeDns, type FakeSmtpServer, startFakeDns, startFakeSmtp } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsClient } from '../dns/dns-client.js';
import { checkDnsbl, dnsblQueryName } from './dnsbl.js';
import type { DoctorCheckId, DoctorReport } from './doctor-report.js';
import { runDoctor } from './run-doctor.js';

// Every check against the fake DNS (and a fake MX on loopback): zones that authorise, list and refuse.
// Source addresses are loopback ones (all of 127/8 is assigned to `lo`), 192.0.2.55 is not assigned here.
const ZONES = ['zen.bl.test', 'spamcop.bl.test', 'refusing.bl.test'];

let dns: FakeDns;
let mx: FakeSmtpServer;
let refusingMx: FakeSmtpServer;

beforeAll(async () => {
  mx = await startFakeSmtp({ hostname: 'mx.sender.test' });
  refusingMx = await startFakeSmtp({ port: mx.port, behaviour: 'greeting-554' });
  dns = await startFakeDns({
    zones: {
      // A well-kept source: PTR, forward-confirmed, authorised by SPF, on no list.
      '127.0.0.1': { ptr: 'probe1.sender.test' },
      'probe1.sender.test': { a: ['127.0.0.1'] },
      // PTR that does not resolve back; listed on one blocklist, refused by another.
      '127.0.0.2': { ptr: 'probe2.sender.test' },
      'probe2.sender.test': { a: ['127.9.9.9'] },
      [dnsblQueryName('127.0.0.2', 'zen.bl.test')]: {
        a: ['127.0.0.4'],
        txt: ['https://bl.test/lookup?ip=127.0.0.2'],
      },
      [dnsblQueryName('127.0.0.2', 'spamcop.bl.test')]: { a: ['127.255.255.254'] },
      // No PTR at all.
      'sender.test': {
        mx: [{ exchange: 'mx.sender.test', priority: 10 }],
        txt: ['google-site-verification=abc', 'v=spf1 ip4:127.0.0.0/30 -all'],
      },
      'mx.sender.test': { a: [mx.host] },
      'refuse.test': { a: [refusingMx.host] },
      '_dmarc.sender.test': { txt: ['v=DMARC1; p=reject; rua=mailto:d@sender.test'] },
      'soft.test': {
        mx: [{ exchange: 'mx.sender.test', priority: 10 }],
        txt: ['v=spf1 ip4:10.0.0.0/8 ~all'],
      },
      '_dmarc.soft.test': { txt: ['v=DMARC1; p=none'] },
      'bare.test': { mx: [{ exchange: 'mx.sender.test', priority: 10 }] },
      [dnsblQueryName('127.0.0.1', 'refusing.bl.test')]: { refused: true },
      [dnsblQueryName('127.0.0.2', 'refusing.bl.test')]: { refused: true },
      [dnsblQueryName('127.0.0.3', 'refusing.bl.test')]: { refused: true },
    },
  });
});

afterAll(async () => {
  await dns?.close();
  await mx?.close();
  await refusingMx?.close();
});

function engine(overrides: Record<string, unknown> = {}) {
  return {
    dnsServers: [dns.server],
    // Generous: a busy test machine must not turn a slow loopback answer into a failed check.
    dnsTimeoutMs: 3000,
    dnsRetries: 2,
    allowPrivateTargets: true,
    ports: [mx.port],
    fallbackPorts: [],
    timeouts: { connectMs: 5000, greetingMs: 5000 },
    mailFrom: 'verify@sender.test',
    ...overrides,
  };
}

function check(report: DoctorReport, address: string | null, id: DoctorCheckId) {
  const source = report.sources.find((entry) => entry.address === address);
  const found = source?.checks.find((entry) => entry.id === id);
  if (!found) throw new Error(`no ${id} check for ${address}`);
  return found;
}

describe('runDoctor', () => {
  it('passes every check for a bound, forward-confirmed, SPF-authorised, unlisted address', async () => {
    const report = await runDoctor({
      engine: engine({ sourceAddresses: ['127.0.0.1'] }),
      dnsblZones: ZONES.slice(0, 2),
    });
    const statuses = Object.fromEntries(
      report.sources[0]?.checks.map((entry) => [entry.id, entry.status]) ?? [],
    );
    expect(statuses).toEqual({
      bind: 'pass',
      outbound_smtp: 'pass',
      ptr: 'pass',
      fcrdns: 'pass',
      helo: 'pass',
      mail_from_domain: 'pass',
      spf: 'pass',
      dmarc: 'pass',
      dnsbl: 'pass',
    });
    expect(report).toMatchObject({ ok: true, probeTarget: `mx.sender.test:${mx.port}` });
    expect(report.sources[0]).toMatchObject({ address: '127.0.0.1', listed: false, ok: true });
    // The probe really came from the source address, and only greeted and quit.
    const session = mx.sessions.at(-1);
    expect(session?.clientAddress).toBe('127.0.0.1');
    expect(session?.commands.every((command) => command.startsWith('QUIT'))).toBe(true);
  });

  it('fails FCrDNS, HELO and the blocklist for a listed address, and says which list refused', async () => {
    const report = await runDoctor({
      engine: engine({ sourceAddresses: ['127.0.0.2'] }),
      dnsblZones: ZONES,
    });
    expect(report.ok).toBe(false);
    expect(check(report, '127.0.0.2', 'ptr').status).toBe('pass');
    expect(check(report, '127.0.0.2', 'fcrdns')).toMatchObject({ status: 'fail' });
    expect(check(report, '127.0.0.2', 'fcrdns').detail).toContain('does not resolve back');
    expect(check(report, '127.0.0.2', 'helo').status).toBe('fail');
    expect(check(report, '127.0.0.2', 'spf').status).toBe('pass');
    const dnsbl = check(report, '127.0.0.2', 'dnsbl');
    expect(dnsbl.status).toBe('fail');
    expect(dnsbl.detail).toContain('zen.bl.test (127.0.0.4: https://bl.test/lookup?ip=127.0.0.2)');
    const source = report.sources[0];
    expect(source?.listed).toBe(true);
    expect(source?.dnsbl).toEqual([
      {
        zone: 'zen.bl.test',
        state: 'listed',
        codes: ['127.0.0.4'],
        reason: 'https://bl.test/lookup?ip=127.0.0.2',
      },
      {
        zone: 'spamcop.bl.test',
        state: 'refused',
        codes: ['127.255.255.254'],
        reason: 'the list answered with a refusal code, not a listing',
      },
      { zone: 'refusing.bl.test', state: 'refused', codes: [], reason: 'the list refused the query' },
    ]);
  });

  it('warns, rather than saying "not listed", when a blocklist refuses the resolver', async () => {
    const report = await runDoctor({
      engine: engine({ sourceAddresses: ['127.0.0.1'] }),
      dnsblZones: ['zen.bl.test', 'refusing.bl.test'],
      skipOutbound: true,
    });
    const dnsbl = check(report, '127.0.0.1', 'dnsbl');
    expect(dnsbl.status).toBe('warn');
    expect(dnsbl.detail).toContain('refusing.bl.test: refused');
    expect(report.ok).toBe(true);
    expect(report.sources[0]?.listed).toBe(false);
  });

  it('fails PTR for an address without one, and bind for an address not assigned to this host', async () => {
    const report = await runDoctor({
      engine: engine({
        sourceAddresses: ['127.0.0.3', '192.0.2.55'],
        heloNames: { '127.0.0.3': 'probe3.sender.test' },
      }),
      dnsblZones: [],
      skipOutbound: true,
    });
    expect(check(report, '127.0.0.3', 'ptr')).toMatchObject({ status: 'fail' });
    expect(check(report, '127.0.0.3', 'fcrdns').status).toBe('fail');
    expect(check(report, '127.0.0.3', 'helo').detail).toContain('probe3.sender.test (config)');
    expect(check(report, '127.0.0.3', 'bind').status).toBe('pass');
    expect(check(report, '192.0.2.55', 'bind')).toMatchObject({ status: 'fail' });
    expect(check(report, '192.0.2.55', 'bind').detail).toContain('not assigned');
    // SPF names the address it would have to authorise.
    expect(check(report, '192.0.2.55', 'spf')).toMatchObject({ status: 'fail' });
    expect(check(report, '192.0.2.55', 'spf').detail).toContain('SPF fail for 192.0.2.55');
    expect(report.sources.some((source) => source.checks.some((entry) => entry.id === 'dnsbl'))).toBe(false);
  });

  it('fails SPF that does not authorise the address, warns on DMARC p=none, fails a missing DMARC', async () => {
    const soft = await runDoctor({
      engine: engine({ sourceAddresses: ['127.0.0.1'], mailFrom: 'verify@soft.test' }),
      dnsblZones: [],
      skipOutbound: true,
    });
    expect(check(soft, '127.0.0.1', 'spf')).toMatchObject({ status: 'fail' });
    expect(check(soft, '127.0.0.1', 'spf').detail).toContain('softfail');
    expect(check(soft, '127.0.0.1', 'dmarc')).toMatchObject({ status: 'warn' });
    expect(check(soft, '127.0.0.1', 'dmarc').detail).toContain('p=reject is recommended');

    const bare = await runDoctor({
      engine: engine({ sourceAddresses: ['127.0.0.1'], mailFrom: 'verify@bare.test' }),
      dnsblZones: [],
      skipOutbound: true,
    });
    expect(check(bare, '127.0.0.1', 'spf')).toMatchObject({ status: 'fail' });
    expect(check(bare, '127.0.0.1', 'spf').detail).toContain('SPF none');
    expect(check(bare, '127.0.0.1', 'dmarc')).toMatchObject({ status: 'fail' });
    expect(check(bare, '127.0.0.1', 'dmarc').detail).toContain('p=reject');
  });

  it('fails a MAIL FROM domain that does not exist', async () => {
    const report = await runDoctor({
      engine: engine({ sourceAddresses: ['127.0.0.1'], mailFrom: 'verify@gone.test' }),
      dnsblZones: [],
    });
    expect(check(report, '127.0.0.1', 'mail_from_domain')).toMatchObject({ status: 'fail' });
    expect(check(report, '127.0.0.1', 'mail_from_domain').detail).toContain('does not exist');
    // No MX to test port 25 against: the operator is told to name a probe host.
    expect(check(report, '127.0.0.1', 'outbound_smtp').detail).toContain('--probe-host');
    expect(report.ok).toBe(false);
  });

  it('fails outbound SMTP when nothing answers on port 25, or the MX refuses the address at the greeting', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nothing = await runDoctor({
      engine: engine({ sourceAddresses: ['127.0.0.1'] }),
      probeHost: `127.0.0.1:${port}`,
      dnsblZones: [],
    });
    expect(check(nothing, '127.0.0.1', 'outbound_smtp')).toMatchObject({ status: 'fail' });
    expect(check(nothing, '127.0.0.1', 'outbound_smtp').detail).toContain('ECONNREFUSED');

    const refused = await runDoctor({
      engine: engine({ sourceAddresses: ['127.0.0.1'] }),
      probeHost: 'refuse.test',
      dnsblZones: [],
    });
    expect(check(refused, '127.0.0.1', 'outbound_smtp')).toMatchObject({ status: 'fail' });
    expect(check(refused, '127.0.0.1', 'outbound_smtp').detail).toMatch(/refuses from 127\.0\.0\.1: 554/);
  });

  it('warns that an OS-chosen source cannot be checked when no source address is configured', async () => {
    const report = await runDoctor({ engine: engine(), dnsblZones: ZONES });
    expect(report.sources).toHaveLength(1);
    expect(report.sources[0]?.address).toBeNull();
    expect(check(report, null, 'bind').status).toBe('warn');
    expect(check(report, null, 'outbound_smtp').status).toBe('pass');
    expect(report.ok).toBe(true);
  });
});

describe('checkDnsbl', () => {
  it('reads NXDOMAIN as clear and reverses IPv6 addresses by nibble', async () => {
    const client = createDnsClient({ servers: [dns.server], timeoutMs: 3000, retries: 2, cacheSize: 0 });
    expect(await checkDnsbl(client, '127.0.0.1', 'zen.bl.test')).toEqual({
      zone: 'zen.bl.test',
      state: 'clear',
      codes: [],
      reason: null,
    });
    expect(dnsblQueryName('2001:db8::1', 'zen.bl.test')).toBe(
      `1.0.0.0.${'0.0.0.0.'.repeat(5)}8.b.d.0.1.0.0.2.zen.bl.test`,
    );
  });
});
