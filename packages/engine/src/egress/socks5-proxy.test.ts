import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EngineOptionsError } from '../errors.js';
import { resolveEngineOptions } from '../options.js';
import { engineOptionsFromEnv } from '../options-env.js';
import { parseProxy, parseProxyFlag, parseRoutesFlag } from './socks5-proxy.js';

const SECRET = 'pa:ss@w0rd';
const URL_WITH_SECRET = `socks5://user:${encodeURIComponent(SECRET)}@proxy.example.net:1080`;

describe('parseProxy', () => {
  it('reads host, port and RFC 1929 credentials, and shows the password nowhere', () => {
    const proxy = parseProxy({ name: 'p1', url: URL_WITH_SECRET, heloName: 'egress.example.net' }, 0);
    expect(proxy).toMatchObject({ name: 'p1', host: 'proxy.example.net', port: 1080, username: 'user' });
    expect(proxy.credentials()).toEqual({ userId: 'user', password: SECRET });
    for (const shown of [
      JSON.stringify(proxy),
      inspect(proxy),
      String(proxy),
      JSON.stringify({ ...proxy }),
    ]) {
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(encodeURIComponent(SECRET));
    }
    expect(proxy.redactedUrl).toBe('socks5://user:***@proxy.example.net:1080');
  });

  it('takes IPv6 proxies and proxies without credentials', () => {
    const proxy = parseProxy({ name: 'v6', url: 'socks5://[::1]:9050' }, 0);
    expect(proxy).toMatchObject({ host: '::1', port: 9050, username: undefined });
    expect(proxy.credentials()).toBeUndefined();
    expect(proxy.redactedUrl).toBe('socks5://[::1]:9050');
  });

  it.each([
    ['http://proxy:8080', /only socks5/],
    ['socks5://proxy', /with a port/],
    ['not a url', /expected socks5/],
  ])('refuses %s, never echoing the URL', (url, message) => {
    expect(() => parseProxy({ name: 'p', url }, 0)).toThrow(message);
  });

  it('refuses a bad name, and the name direct', () => {
    expect(() => parseProxy({ name: 'direct', url: 'socks5://h:1' }, 0)).toThrow(EngineOptionsError);
    expect(() => parseProxy({ name: 'a b', url: 'socks5://h:1' }, 0)).toThrow(EngineOptionsError);
  });
});

describe('proxy options', () => {
  it('routes everything through a lone proxy, and checks routes against providers and proxy names', () => {
    const lone = resolveEngineOptions({ proxies: [{ name: 'p1', url: 'socks5://h:1080' }] });
    expect(lone.egressRoutes).toEqual({ default: 'p1' });
    const routed = resolveEngineOptions({
      proxies: [
        { name: 'p1', url: 'socks5://h:1080' },
        { name: 'p2', url: 'socks5://h:1081' },
      ],
      egressRoutes: { google: 'p1', microsoft365: 'p2', default: 'direct' },
    });
    expect(routed.egressRoutes).toEqual({ google: 'p1', microsoft365: 'p2', default: 'direct' });
    expect(() =>
      resolveEngineOptions({
        proxies: [{ name: 'p1', url: 'socks5://h:1' }],
        egressRoutes: { gmail: 'p1' } as never,
      }),
    ).toThrow(/unknown provider/);
    expect(() =>
      resolveEngineOptions({
        proxies: [{ name: 'p1', url: 'socks5://h:1' }],
        egressRoutes: { google: 'p9' },
      }),
    ).toThrow(/no proxy named "p9"/);
  });

  it('caps each proxy phase at the session deadline', () => {
    const options = resolveEngineOptions({ timeouts: { totalMs: 3000 }, proxyTimeouts: { replyMs: 20_000 } });
    expect(options.proxyTimeouts).toEqual({ connectMs: 3000, greetingMs: 3000, replyMs: 3000 });
  });

  it('reads MAILPROBE_PROXIES, MAILPROBE_PROXY_HELO_NAMES and MAILPROBE_EGRESS_ROUTES', () => {
    const input = engineOptionsFromEnv({
      MAILPROBE_PROXIES: `p1=${URL_WITH_SECRET}, p2=socks5://10.0.0.2:1080`,
      MAILPROBE_PROXY_HELO_NAMES: 'p1=egress1.example.net',
      MAILPROBE_EGRESS_ROUTES: 'google=p1,default=p2',
      MAILPROBE_PROXY_BENCH_MS: '30000',
    });
    expect(input).toMatchObject({
      proxies: [
        { name: 'p1', url: URL_WITH_SECRET, heloName: 'egress1.example.net' },
        { name: 'p2', url: 'socks5://10.0.0.2:1080' },
      ],
      egressRoutes: { google: 'p1', default: 'p2' },
      proxyBenchMs: 30_000,
    });
    expect(JSON.stringify(resolveEngineOptions(input))).not.toContain(encodeURIComponent(SECRET));
  });

  it('parses flags: name=url, a bare url, provider=proxy pairs', () => {
    expect(parseProxyFlag('eu=socks5://h:1')).toEqual({ name: 'eu', url: 'socks5://h:1' });
    expect(parseProxyFlag('socks5://u:p=x@h:1')).toEqual({ name: 'proxy', url: 'socks5://u:p=x@h:1' });
    expect(parseRoutesFlag('--route', 'google=eu, default=direct')).toEqual({
      google: 'eu',
      default: 'direct',
    });
    expect(() => parseRoutesFlag('--route', 'google')).toThrow(/provider=proxy/);
  });
});
