import { type ParsedAddress, parseAddress } from '@mailprobe/core';
import { type FakeSmtpServer, startFakeSmtp } from '@mailprobe/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createDnsClient } from './dns/dns-client.js';
import { EgressRouter } from './egress/egress-router.js';
import { resolveEngineOptions } from './options.js';
import { HeloNames } from './pool/helo-names.js';
import { createMemoryMxLimiter } from './pool/mx-limiter.js';
import { Semaphore } from './pool/semaphore.js';
import { SourcePool } from './pool/source-pool.js';
import { type SessionRequest, SharedSessions } from './shared-sessions.js';

const servers: FakeSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function parsed(address: string): ParsedAddress {
  const result = parseAddress(address);
  if (!result.ok) throw new Error(`bad test address ${address}`);
  return result.address;
}

const addresses = (domain: string, count: number) =>
  Array.from({ length: count }, (_, index) => parsed(`user${index}@${domain}`));

describe('SharedSessions', () => {
  it('answers the request that led a session even when the session ended before its group was asked', async () => {
    // The server drops the connection at the first RCPT: the session's first group (a small remainder, asked
    // before the leader's own domain) is cut, and the leader's group is never reached.
    const server = await startFakeSmtp({ behaviour: 'drop-at-rcpt' });
    servers.push(server);
    const options = resolveEngineOptions({
      allowPrivateTargets: true,
      ports: [server.port],
      fallbackPorts: [],
      maxSessionsPerMx: 1,
      defaultHeloName: 'probe.mailprobe.test',
      timeouts: { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 3000 },
    });
    const limiter = createMemoryMxLimiter({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
    const sessions = new SharedSessions({
      options,
      pool: new SourcePool([], options.blockedCooldownMs),
      heloNames: new HeloNames({
        configured: {},
        defaultName: 'probe.mailprobe.test',
        dns: createDnsClient({ servers: ['127.0.0.1'], timeoutMs: 100, retries: 0, cacheSize: 0 }),
      }),
      limiter,
      sessions: new Semaphore(10),
      egress: new EgressRouter(options.proxies, options.egressRoutes, {
        timeouts: options.proxyTimeouts,
        benchMs: options.proxyBenchMs,
      }),
    });
    const target = { host: server.hostname, ip: server.host, family: 4 as const };
    const request = (domain: string, recipients: ParsedAddress[], signal: AbortSignal): SessionRequest => ({
      domain,
      target,
      recipients,
      catchAllProbe: undefined,
      refusedSources: undefined,
      signal,
    });
    // The first call holds the only slot; the other two (another signal, so they cannot join it) wait behind it,
    // the big one first: it leads the next session, which asks the small one's group first.
    const shared = new AbortController().signal;
    const first = sessions.run(
      request('first.test', addresses('first.test', 2), new AbortController().signal),
    );
    const big = sessions.run(request('big.test', addresses('big.test', 20), shared));
    const small = sessions.run(request('small.test', addresses('small.test', 2), shared));
    const [, bigResult, smallResult] = await Promise.all([first, big, small]);
    for (const [result, count] of [
      [bigResult, 20],
      [smallResult, 2],
    ] as const) {
      expect(result.kind).toBe('session');
      if (result.kind !== 'session') continue;
      expect(result.outcome.recipients).toHaveLength(count);
      for (const recipient of result.outcome.recipients) expect(recipient.reply).toBeNull();
    }
    // Both waited for the same session: the server saw two connections in all, one for `first` and one shared.
    expect(server.sessions).toHaveLength(2);
    const [, sharedSession] = server.sessions;
    expect(sharedSession?.commands.find((command) => command.startsWith('RCPT TO:'))).toBe(
      'RCPT TO:<user0@small.test>',
    );
    await limiter.close?.();
  });
});
