import { createServer } from 'node:net';
import {
  type FakeDns,
  type FakeSmtpServer,
  type SocksServer,
  startDanteRefusingPort,
  startFakeDns,
  startFakeSmtp,
  startMicrosocks,
} from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from './doctor-report.js';
import { runDoctor } from './run-doctor.js';

const AUTH = { user: 'prober', password: 'doctor-s3cret' };
let dns: FakeDns;
let mx: FakeSmtpServer;
let open: SocksServer;
let withAuth: SocksServer;
let dante: SocksServer;
let deadPort: number;

beforeAll(async () => {
  mx = await startFakeSmtp({ hostname: 'mx.sender.test' });
  dns = await startFakeDns({
    zones: {
      'sender.test': { mx: [{ exchange: 'mx.sender.test', priority: 10 }], txt: ['v=spf1 -all'] },
      'mx.sender.test': { a: [mx.host] },
    },
  });
  [open, withAuth, dante] = await Promise.all([
    startMicrosocks({ egressAddress: '127.0.5.1' }),
    startMicrosocks({ egressAddress: '127.0.5.2', auth: AUTH }),
    startDanteRefusingPort({ egressAddress: '127.0.5.3', refusedPort: mx.port }),
  ]);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  deadPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await Promise.all([open?.close(), withAuth?.close(), dante?.close(), dns?.close(), mx?.close()]);
});

function statuses(report: DoctorReport, name: string): Record<string, string> {
  const proxy = report.proxies.find((entry) => entry.name === name);
  return Object.fromEntries(proxy?.checks.map((check) => [check.id, check.status]) ?? []);
}

describe('runDoctor: SOCKS5 egresses', () => {
  it('checks each proxy: reachable, authentication accepted, CONNECT to port 25 greets 220, and says what failed', async () => {
    const report = await runDoctor({
      engine: {
        dnsServers: [dns.server],
        allowPrivateTargets: true,
        ports: [mx.port],
        fallbackPorts: [],
        mailFrom: 'verify@sender.test',
        timeouts: { connectMs: 3000, greetingMs: 3000 },
        proxies: [
          { name: 'open', url: open.url },
          { name: 'auth', url: withAuth.url },
          { name: 'wrong', url: withAuth.url.replace(AUTH.password, 'not-it') },
          { name: 'dante', url: dante.url },
          { name: 'dead', url: `socks5://127.0.0.1:${deadPort}` },
        ],
        egressRoutes: { default: 'open' },
      },
      dnsblZones: [],
    });
    expect(statuses(report, 'open')).toEqual({
      proxy_reachable: 'pass',
      proxy_auth: 'pass',
      proxy_smtp: 'pass',
    });
    expect(statuses(report, 'auth')).toEqual({
      proxy_reachable: 'pass',
      proxy_auth: 'pass',
      proxy_smtp: 'pass',
    });
    expect(statuses(report, 'wrong')).toEqual({
      proxy_reachable: 'pass',
      proxy_auth: 'fail',
      proxy_smtp: 'skip',
    });
    expect(statuses(report, 'dante')).toEqual({
      proxy_reachable: 'pass',
      proxy_auth: 'pass',
      proxy_smtp: 'fail',
    });
    expect(statuses(report, 'dead')).toEqual({
      proxy_reachable: 'fail',
      proxy_auth: 'skip',
      proxy_smtp: 'skip',
    });
    const detail = (name: string, id: string) =>
      report.proxies.find((entry) => entry.name === name)?.checks.find((check) => check.id === id)?.detail;
    expect(detail('wrong', 'proxy_auth')).toMatch(/check the user and password/);
    expect(detail('dante', 'proxy_smtp')).toMatch(/reply 2.*allow outbound port 25/);
    expect(detail('dead', 'proxy_reachable')).toMatch(/ECONNREFUSED/);
    // Every session goes through a proxy: this host's own port 25 is not a concern.
    expect(report.sources[0]?.checks.find((check) => check.id === 'outbound_smtp')?.status).toBe('skip');
    expect(report.ok).toBe(false);
    const egresses = new Set(mx.sessions.map((session) => session.clientAddress));
    expect(egresses).toEqual(new Set(['127.0.5.1', '127.0.5.2']));
    expect(JSON.stringify(report)).not.toContain(AUTH.password);
  });
});
