import { afterEach, describe, expect, it } from 'vitest';
import { type SocksServer, startDanteRefusingPort, startMicrosocks } from '../index.js';
import { engineOnFakeInternet, mailboxes } from './engine-on-fake-internet.js';
import { createEngine, type Engine } from './engine-under-test.js';

const TIMEOUTS = { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 5000 };
const PROXY_TIMEOUTS = { connectMs: 500, greetingMs: 500, replyMs: 1000 };
const AUTH = { user: 'prober', password: 's3cr3t-Pa55' };

const DOMAINS = {
  'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: mailboxes('ok.test', 2) } }] },
  'catchall.test': { mx: [{ host: 'mx.catchall.test', smtp: { catchAll: true } }] },
};
const ADDRESSES = ['user0@ok.test', 'user1@ok.test', 'nobody@ok.test', 'any@catchall.test'];

describe('engine end to end: SOCKS5 egress through microsocks and dante', () => {
  const { start, startEngine } = engineOnFakeInternet(TIMEOUTS);
  const servers: SocksServer[] = [];
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const microsocks = async (egressAddress: string, auth?: typeof AUTH) => {
    const server = await startMicrosocks({ egressAddress, ...(auth ? { auth } : {}) });
    servers.push(server);
    return server;
  };
  const sessionsOf = (internet: Awaited<ReturnType<typeof start>>['internet'], hosts: string[]) =>
    hosts.flatMap((host) => internet.smtp[host]?.sessions ?? []);

  it.each([
    ['without authentication', undefined],
    ['with RFC 1929 username and password', AUTH],
  ])(
    'gives through a proxy %s the verdicts a direct session gives, from the proxy egress',
    async (_, auth) => {
      const proxy = await microsocks('127.0.4.1', auth);
      const { internet, engine: direct } = await start(DOMAINS);
      const directResults = await direct.verifyMany(ADDRESSES);
      const hosts = ['mx.ok.test', 'mx.catchall.test'];
      const directSessions = hosts.map((host) => internet.smtp[host]?.sessions.length ?? 0);
      const engine = createEngine({
        ...internet.engineOptions,
        timeouts: TIMEOUTS,
        proxies: [{ name: 'p1', url: proxy.url, heloName: 'egress1.probe.test' }],
        proxyTimeouts: PROXY_TIMEOUTS,
      });
      engines.push(engine);
      const results = await engine.verifyMany(ADDRESSES);
      expect(results.map((result) => result.reason)).toEqual([
        'accepted',
        'accepted',
        'mailbox_not_found',
        'catch_all',
      ]);
      expect(results.map((result) => [result.status, result.reason])).toEqual(
        directResults.map((result) => [result.status, result.reason]),
      );
      const proxied = hosts.flatMap((host, index) =>
        (internet.smtp[host]?.sessions ?? []).slice(directSessions[index]),
      );
      expect(proxied.length).toBeGreaterThan(0);
      for (const session of proxied) {
        expect(session.clientAddress).toBe('127.0.4.1');
        expect(session.helo).toBe('egress1.probe.test');
      }
      for (const result of results) {
        expect(result.smtp?.proxy).toEqual({ name: 'p1', failure: null, replyCode: null });
        expect(result.smtp?.sourceAddress).toBeNull();
      }
      expect(JSON.stringify(results)).not.toContain(AUTH.password);
    },
  );

  it('routes each provider to its egress: google → p1, default → p2, and names the provider', async () => {
    const google = await microsocks('127.0.4.11');
    const other = await microsocks('127.0.4.12');
    const { internet, engine } = await start(
      {
        'workspace.test': {
          mx: [{ host: 'aspmx.l.google.com', smtp: { mailboxes: ['ann@workspace.test'] } }],
        },
        'tenant.test': {
          mx: [{ host: 'tenant-test.mail.protection.outlook.com', smtp: { catchAll: true } }],
        },
        'ok.test': DOMAINS['ok.test'],
      },
      {
        proxies: [
          { name: 'p1', url: google.url },
          { name: 'p2', url: other.url },
        ],
        egressRoutes: { google: 'p1', default: 'p2' },
        proxyTimeouts: PROXY_TIMEOUTS,
      },
    );
    const results = await engine.verifyMany(['ann@workspace.test', 'bob@tenant.test', 'user0@ok.test']);
    expect(results.map((result) => [result.reason, result.provider, result.smtp?.proxy?.name])).toEqual([
      ['accepted', 'google', 'p1'],
      ['catch_all', 'microsoft365', 'p2'],
      ['accepted', 'other', 'p2'],
    ]);
    expect(new Set(sessionsOf(internet, ['aspmx.l.google.com']).map((s) => s.clientAddress))).toEqual(
      new Set(['127.0.4.11']),
    );
    expect(
      new Set(
        sessionsOf(internet, ['tenant-test.mail.protection.outlook.com', 'mx.ok.test']).map(
          (session) => session.clientAddress,
        ),
      ),
    ).toEqual(new Set(['127.0.4.12']));
  });

  it('benches a proxy egress an MX refused as blocked for that MX only, like a source address', async () => {
    const proxy = await microsocks('127.0.4.71');
    const { internet, engine } = await start(
      {
        'strict.test': {
          mx: [
            {
              host: 'mx.strict.test',
              smtp: { mailboxes: ['ann@strict.test'], allowedClients: ['127.0.4.72/32'] },
            },
          ],
        },
        'ok.test': DOMAINS['ok.test'],
      },
      { proxies: [{ name: 'p1', url: proxy.url }], proxyTimeouts: PROXY_TIMEOUTS },
    );
    const [refused] = await engine.verifyMany(['ann@strict.test']);
    expect(refused).toMatchObject({ status: 'UNKNOWN', reason: 'blocked' });
    const strictSessions = internet.smtp['mx.strict.test']?.sessions.length;
    expect(strictSessions).toBeGreaterThan(0);
    const [again, elsewhere] = await engine.verifyMany(['ann@strict.test', 'user0@ok.test']);
    expect(again?.status).toBe('UNKNOWN');
    expect(internet.smtp['mx.strict.test']?.sessions.length).toBe(strictSessions);
    expect(elsewhere).toMatchObject({ status: 'VALID', smtp: { proxy: { name: 'p1' } } });
  });

  it('negotiates STARTTLS through the tunnel', async () => {
    const proxy = await microsocks('127.0.4.21');
    const { internet, engine } = await start(
      {
        'tls.test': { mx: [{ host: 'mx.tls.test', smtp: { starttls: true, mailboxes: ['ann@tls.test'] } }] },
      },
      { proxies: [{ name: 'p1', url: proxy.url }], proxyTimeouts: PROXY_TIMEOUTS },
    );
    const [result] = await engine.verifyMany(['ann@tls.test']);
    expect(result?.reason).toBe('accepted');
    expect(result?.smtp?.tls).toBe(true);
    const [session] = sessionsOf(internet, ['mx.tls.test']);
    expect(session).toMatchObject({ tls: true, clientAddress: '127.0.4.21' });
  });

  it('a wrong password is UNKNOWN connection_failed naming the proxy, benches it, and is never shown', async () => {
    const proxy = await microsocks('127.0.4.31', AUTH);
    const wrongUrl = proxy.url.replace(encodeURIComponent(AUTH.password), 'wrong-Pa55');
    const { internet, engine } = await start(DOMAINS, {
      proxies: [{ name: 'p-auth', url: wrongUrl }],
      proxyTimeouts: PROXY_TIMEOUTS,
    });
    const results = await engine.verifyMany(['user0@ok.test', 'nobody@ok.test']);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'connection_failed' });
      expect(result.smtp?.proxy?.name).toBe('p-auth');
      expect(['proxy_auth_refused', 'proxy_benched']).toContain(result.smtp?.proxy?.failure);
    }
    expect(results.some((result) => result.smtp?.proxy?.failure === 'proxy_auth_refused')).toBe(true);
    expect(sessionsOf(internet, ['mx.ok.test'])).toEqual([]);
    const [status] = engine.proxyStatus();
    expect(status).toMatchObject({
      name: 'p-auth',
      benched: true,
      lastFailure: { code: 'proxy_auth_refused', replyCode: null },
    });
    expect(status?.url).toBe(`socks5://${AUTH.user}:***@127.0.0.1:${proxy.port}`);
    const shown = JSON.stringify([results, engine.proxyStatus(), engine.options]);
    expect(shown).not.toContain('wrong-Pa55');
  });

  it('a proxy whose rules refuse the SMTP port gives UNKNOWN with RFC 1928 reply 2 (dante)', async () => {
    const { internet, engine: probe } = await start(DOMAINS);
    await probe.close();
    const dante = await startDanteRefusingPort({
      egressAddress: '127.0.4.41',
      refusedPort: internet.engineOptions.ports?.[0] ?? 25,
    });
    servers.push(dante);
    const engine = startEngine({
      ...internet.engineOptions,
      timeouts: TIMEOUTS,
      proxies: [{ name: 'dante', url: dante.url }],
      proxyTimeouts: PROXY_TIMEOUTS,
    });
    const [result] = await engine.verifyMany(['user0@ok.test']);
    expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'connection_failed' });
    expect(result?.smtp?.proxy).toEqual({ name: 'dante', failure: 'proxy_connect_refused', replyCode: 2 });
    expect(engine.proxyStatus()[0]).toMatchObject({ benched: true, lastFailure: { replyCode: 2 } });
    expect(sessionsOf(internet, ['mx.ok.test'])).toEqual([]);
  });

  it('a proxy that stalls the handshake is cut by its named timer: UNKNOWN, benched, then tried again', async () => {
    const proxy = await microsocks('127.0.4.51');
    proxy.pause();
    const benchMs = 1500;
    const { engine } = await start(DOMAINS, {
      proxies: [{ name: 'stuck', url: proxy.url }],
      proxyTimeouts: { connectMs: 300, greetingMs: 300, replyMs: 300 },
      proxyBenchMs: benchMs,
    });
    const started = performance.now();
    const [stalled] = await engine.verifyMany(['user0@ok.test']);
    const elapsedMs = performance.now() - started;
    expect(stalled).toMatchObject({ status: 'UNKNOWN', reason: 'connection_failed' });
    expect(stalled?.smtp?.proxy).toMatchObject({ name: 'stuck', failure: 'proxy_timeout' });
    // Bounded by the proxy phase timers, not the 5 s session deadline.
    expect(elapsedMs).toBeLessThan(TIMEOUTS.totalMs);
    expect(engine.proxyStatus()[0]?.benched).toBe(true);
    const [whileBenched] = await engine.verifyMany(['user1@ok.test']);
    expect(whileBenched?.smtp?.proxy?.failure).toBe('proxy_benched');
    proxy.resume();
    await new Promise((resolve) => setTimeout(resolve, benchMs + 100));
    const [afterBench] = await engine.verifyMany(['user1@ok.test']);
    expect(afterBench).toMatchObject({ status: 'VALID', reason: 'accepted' });
    expect(engine.proxyStatus()[0]?.benched).toBe(false);
  });

  it('a proxy killed mid-session gives UNKNOWN, never INVALID', async () => {
    const proxy = await microsocks('127.0.4.61');
    const { internet, engine } = await start(
      {
        'slow.test': {
          mx: [{ host: 'mx.slow.test', smtp: { mailboxes: ['ann@slow.test'], replyDelayMs: 400 } }],
        },
      },
      { proxies: [{ name: 'p1', url: proxy.url }], proxyTimeouts: PROXY_TIMEOUTS },
    );
    const pending = engine.verifyMany(['ann@slow.test', 'nobody@slow.test']);
    const deadline = Date.now() + 3000;
    while ((internet.smtp['mx.slow.test']?.sessions.length ?? 0) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    proxy.kill();
    const results = await pending;
    for (const result of results) expect(result.status).toBe('UNKNOWN');
    expect(internet.smtp['mx.slow.test']?.sessions[0]?.clientAddress).toBe('127.0.4.61');
  });
});
