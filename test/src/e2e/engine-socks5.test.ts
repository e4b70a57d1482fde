import { afterEach, describe, expect, it } from 'vitest';
import { type SocksServer, startDanteRefusingPort, startMicrosocks } from '../index.js';
import { engineOnFakeInternet, mailboxes } from './engine-on-fake-internet.js';

const TIMEOUTS = { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 5000 };
const PROXY_TIMEOUTS = { connectMs: 500, greetingMs: 500, replyMs: 1000 };
const SECRET = 's3cr3t-Pa55';

const DOMAINS = {
  'ok.test': {
    mx: [{ host: 'mx.ok.test', smtp: { mailboxes: mailboxes('ok.test', 2) } }],
  },
  'catchall.test': { mx: [{ host: 'mx.catchall.test', smtp: { catchAll: true } }] },
};
const ADDRESSES = ['user0@ok.test', 'user1@ok.test', 'nobody@ok.test', 'any@catchall.test'];

describe('engine end to end: SOCKS5 egress (microsocks, dante)', () => {
  const { start } = engineOnFakeInternet(TIMEOUTS);
  const servers: SocksServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const microsocks = async (egressAddress: string, auth?: { user: string; password: string }) => {
    const server = await startMicrosocks({ egressAddress, ...(auth ? { auth } : {}) });
    servers.push(server);
    return server;
  };

  it('gives through a proxy (no auth) the verdicts a direct session gives, from the proxy egress', async () => {
    const proxy = await microsocks('127.0.4.1');
    const direct = await start(DOMAINS);
    const directResults = await direct.engine.verifyMany(ADDRESSES);
    const { internet, engine } = await start(DOMAINS, {
      proxies: [{ name: 'p1', url: proxy.url, heloName: 'egress1.probe.test' }],
      proxyTimeouts: PROXY_TIMEOUTS,
    });
    const results = await engine.verifyMany(ADDRESSES);
    expect(results.map((result) => [result.status, result.reason])).toEqual(
      directResults.map((result) => [result.status, result.reason]),
    );
    expect(results.map((result) => result.reason)).toEqual([
      'accepted',
      'accepted',
      'mailbox_not_found',
      'catch_all',
    ]);
    const sessions = [
      ...(internet.smtp['mx.ok.test']?.sessions ?? []),
      ...(internet.smtp['mx.catchall.test']?.sessions ?? []),
    ];
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      expect(session.clientAddress).toBe('127.0.4.1');
      expect(session.helo).toBe('egress1.probe.test');
    }
    expect(results[0]?.smtp?.proxy).toEqual({ name: 'p1', failure: null, replyCode: null });
  });
});
