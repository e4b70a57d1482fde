import { describe, expect, it } from 'vitest';
import type { FakeDomain } from '../index.js';
import { unusedPort } from '../net/loopback.js';
import { engineOnFakeInternet, mailboxes } from './engine-on-fake-internet.js';
import { createEngine } from './engine-under-test.js';

const TIMEOUTS = { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 3000 };

const rcpts = (commands: readonly string[]) => commands.filter((command) => command.startsWith('RCPT TO:'));

describe('engine end to end: sessions, fallbacks and DNS outcomes', () => {
  const { start, startInternet, startEngine } = engineOnFakeInternet(TIMEOUTS);

  it('asks 20 addresses at one domain with one catch-all probe, first, and ≤ 8 refusals per session', async () => {
    const { internet, engine } = await start({
      'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: mailboxes('ok.test', 10) } }] },
    });
    const addresses = mailboxes('ok.test', 20);
    const results = await engine.verifyMany(addresses);
    expect(results.map((result) => result.reason)).toEqual([
      ...Array(10).fill('accepted'),
      ...Array(10).fill('mailbox_not_found'),
    ]);
    const sessions = internet.smtp['mx.ok.test']?.sessions ?? [];
    // 11 refusals (10 unknown + the probe) exceed the default cap of 9: the rest go to a second session.
    expect(sessions).toHaveLength(2);
    const asked = sessions.map((session) => rcpts(session.commands));
    expect(asked.flat()).toHaveLength(21);
    expect(asked[0]?.[0]).toMatch(/^RCPT TO:<mailprobe-[0-9a-f]{12}@ok\.test>$/);
    const known = new Set(mailboxes('ok.test', 10).map((address) => `RCPT TO:<${address}>`));
    for (const commands of asked) {
      expect(commands.filter((command) => !known.has(command)).length).toBeLessThanOrEqual(9);
    }
    for (const session of sessions)
      expect(session).toMatchObject({ quitReceived: true, dataReceived: false });
  });

  it('keeps 20 addresses in one session when maxRejectionsPerSession allows their refusals', async () => {
    const { internet, engine } = await start(
      { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: mailboxes('ok.test', 10) } }] } },
      { maxRejectionsPerSession: 11 },
    );
    const results = await engine.verifyMany(mailboxes('ok.test', 20));
    expect(results.filter((result) => result.reason === 'accepted')).toHaveLength(10);
    const sessions = internet.smtp['mx.ok.test']?.sessions ?? [];
    expect(sessions).toHaveLength(1);
    expect(rcpts(sessions[0]?.commands ?? [])).toHaveLength(21);
  });

  it('asks the recipients cut off by "421 too many errors" again in a fresh session', async () => {
    const { internet, engine } = await start({
      'cut.test': {
        mx: [{ host: 'mx.cut.test', smtp: { mailboxes: ['known@cut.test'], maxRejectedRecipients: 3 } }],
      },
    });
    const unknown = Array.from({ length: 7 }, (_, index) => `gone${index}@cut.test`);
    const results = await engine.verifyMany(['known@cut.test', ...unknown]);
    expect(results[0]).toMatchObject({ status: 'VALID', reason: 'accepted', smtp: { replyCode: 250 } });
    for (const result of results.slice(1)) {
      expect(result).toMatchObject({
        status: 'INVALID',
        reason: 'mailbox_not_found',
        smtp: { replyCode: 550, enhancedCode: '5.1.1' },
      });
    }
    expect((internet.smtp['mx.cut.test']?.sessions ?? []).length).toBeGreaterThan(1);
  });

  it('one RCPT at a time: an accepted mailbox whose catch-all probe was cut is asked again with the probe', async () => {
    const { internet, engine } = await start({
      'cut.test': {
        mx: [
          {
            host: 'mx.cut.test',
            smtp: { mailboxes: ['known@cut.test'], pipelining: false, maxRejectedRecipients: 1 },
          },
        ],
      },
    });
    // Session 1: gone 550 (the one refusal allowed), known 250, then the probe → 421 too many errors.
    const [gone, known] = await engine.verifyMany(['gone@cut.test', 'known@cut.test']);
    expect(gone).toMatchObject({ status: 'INVALID', reason: 'mailbox_not_found', smtp: { replyCode: 550 } });
    expect(known).toMatchObject({ status: 'VALID', reason: 'accepted', smtp: { replyCode: 250 } });
    const sessions = internet.smtp['mx.cut.test']?.sessions ?? [];
    expect(sessions).toHaveLength(2);
    expect(rcpts(sessions[1]?.commands ?? [])).toEqual([
      'RCPT TO:<known@cut.test>',
      expect.stringMatching(/^RCPT TO:<mailprobe-[0-9a-f]{12}@cut\.test>$/),
    ]);
  });

  it('re-asks a cut-off recipient in at most two more sessions, then answers UNKNOWN with the 421', async () => {
    const { internet, engine } = await start({
      'cut.test': { mx: [{ host: 'mx.cut.test', smtp: { maxRejectedRecipients: 1 } }] },
    });
    // Each session takes one refusal (the probe, then one recipient) and cuts the next RCPT.
    const results = await engine.verifyMany(['u0@cut.test', 'u1@cut.test', 'u2@cut.test', 'u3@cut.test']);
    expect(results.slice(0, 2).map((result) => result.reason)).toEqual([
      'mailbox_not_found',
      'mailbox_not_found',
    ]);
    for (const result of results.slice(2)) {
      expect(result).toMatchObject({
        status: 'UNKNOWN',
        reason: 'temporary_failure',
        smtp: { replyCode: 421, replyText: expect.stringContaining('Error: too many errors') },
      });
    }
    expect(internet.smtp['mx.cut.test']?.sessions).toHaveLength(3);
  });

  it('keeps one session when the server limits recipients per transaction (RSET, new MAIL)', async () => {
    const { internet, engine } = await start({
      'ok.test': {
        mx: [
          {
            host: 'mx.ok.test',
            smtp: { mailboxes: mailboxes('ok.test', 20), maxRecipientsPerTransaction: 5 },
          },
        ],
      },
    });
    const results = await engine.verifyMany(mailboxes('ok.test', 20));
    expect(results.every((result) => result.reason === 'accepted')).toBe(true);
    const sessions = internet.smtp['mx.ok.test']?.sessions ?? [];
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.commands.filter((command) => command === 'RSET').length).toBeGreaterThan(0);
  });

  it('catch-all: flags every accepted address of the domain and remembers the verdict', async () => {
    const { internet, engine } = await start({
      'catchall.test': { mx: [{ host: 'mx.catchall.test', smtp: { catchAll: true } }] },
    });
    const first = await engine.verifyMany(['a@catchall.test', 'b@catchall.test']);
    for (const result of first) {
      expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'catch_all', flags: { catchAll: true } });
    }
    const second = await engine.verify('c@catchall.test');
    expect(second).toMatchObject({ reason: 'catch_all', flags: { catchAll: true } });
    const sessions = internet.smtp['mx.catchall.test']?.sessions ?? [];
    expect(sessions.map((session) => rcpts(session.commands).length)).toEqual([3, 1]);
  });

  it('returns results in input order, verifies duplicates once and reports each as it completes', async () => {
    const { internet, engine } = await start({
      'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['a@ok.test'] } }] },
    });
    const seen: number[] = [];
    const inputs = ['b@ok.test', 'a@ok.test', 'b@OK.test', 'nonsense', 'b@ok.test'];
    const results = await engine.verifyMany(inputs, { onResult: (index) => seen.push(index) });
    expect(results.map((result) => [result.address, result.reason])).toEqual([
      ['b@ok.test', 'mailbox_not_found'],
      ['a@ok.test', 'accepted'],
      ['b@OK.test', 'mailbox_not_found'],
      ['nonsense', 'invalid_syntax'],
      ['b@ok.test', 'mailbox_not_found'],
    ]);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    const asked = rcpts(internet.smtp['mx.ok.test']?.sessions.flatMap((session) => session.commands) ?? []);
    expect(asked.filter((command) => command === 'RCPT TO:<b@ok.test>')).toHaveLength(1);
  });

  it('fills every field of a result', async () => {
    const { internet, engine } = await start({
      'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['info@ok.test'], starttls: true } }] },
    });
    const result = await engine.verify('info@ok.test');
    expect(result).toMatchObject({
      address: 'info@ok.test',
      normalized: 'info@ok.test',
      status: 'VALID',
      reason: 'accepted',
      domain: 'ok.test',
      flags: { roleAccount: true, disposable: false, freeProvider: false, catchAll: false },
      suggestion: null,
      mx: ['mx.ok.test'],
      smtp: {
        host: 'mx.ok.test',
        ip: internet.smtp['mx.ok.test']?.host,
        port: internet.port,
        sourceAddress: null,
        heloName: 'probe.mailprobe.test',
        tls: true,
        replyCode: 250,
      },
      retryAfterSeconds: null,
      cached: false,
    });
    expect(internet.smtp['mx.ok.test']?.sessions[0]?.tls).toBe(true);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.smtpMs);
    expect(Date.parse(result.checkedAt)).not.toBeNaN();
  });

  it('falls back to port 587 (fallbackPorts) when port 25 (ports) is unreachable', async () => {
    const internet = await startInternet({
      domains: { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['a@ok.test'] } }] } },
    });
    const host = internet.smtp['mx.ok.test']?.host ?? '';
    const engine = startEngine({
      ...internet.engineOptions,
      ports: [await unusedPort(host)],
      fallbackPorts: [internet.port],
      timeouts: TIMEOUTS,
    });
    const result = await engine.verify('a@ok.test');
    expect(result).toMatchObject({ reason: 'accepted', smtp: { port: internet.port } });
  });

  it('tries the next MX when the first cannot be reached', async () => {
    const { internet, engine } = await start({
      'ok.test': {
        mx: [
          { host: 'mx1.ok.test', smtp: false },
          { host: 'mx2.ok.test', smtp: { mailboxes: ['a@ok.test'] } },
        ],
      },
    });
    const result = await engine.verify('a@ok.test');
    expect(result).toMatchObject({
      reason: 'accepted',
      mx: ['mx1.ok.test', 'mx2.ok.test'],
      smtp: { host: 'mx2.ok.test' },
    });
    expect(internet.smtp['mx2.ok.test']?.sessions).toHaveLength(1);
  });

  it('answers connection_failed after maxMxAttempts unreachable MX addresses', async () => {
    const { engine } = await start(
      {
        'dead.test': {
          mx: [
            { host: 'mx1.dead.test', smtp: false },
            { host: 'mx2.dead.test', smtp: false },
            { host: 'mx3.dead.test', smtp: { mailboxes: ['a@dead.test'] } },
          ],
        },
      },
      { maxMxAttempts: 2 },
    );
    expect(await engine.verify('a@dead.test')).toMatchObject({
      reason: 'connection_failed',
      smtp: { host: 'mx2.dead.test' },
    });
  });

  it.each([
    ['never greets (tarpit)', 'never-greet'],
    ['drips one byte a second', 'drip'],
  ] as const)('gives up on a server that %s within the session deadline', async (_, behaviour) => {
    const { engine } = await start(
      { 'slow.test': { mx: [{ host: 'mx.slow.test', smtp: { behaviour } }] } },
      { timeouts: { connectMs: 500, greetingMs: 800, commandMs: 800, totalMs: 1500 } },
    );
    const result = await engine.verify('a@slow.test');
    expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'timeout' });
    expect(result.timings.smtpMs + result.timings.connectMs).toBeLessThan(1500 + 500);
  });

  it.each([
    ['SERVFAIL', { servfail: true }],
    ['a timeout', { delayMs: 1000, mx: [{ host: 'mx.slow-dns.test' }] }],
  ] as const)('answers dns_error on %s', async (_, zone) => {
    const { engine } = await start(
      { 'broken.test': zone as FakeDomain },
      { dnsTimeoutMs: 200, dnsRetries: 1 },
    );
    expect(await engine.verify('a@broken.test')).toMatchObject({
      status: 'UNKNOWN',
      reason: 'dns_error',
      smtp: null,
    });
  });

  it('refuses loopback MX addresses without allowPrivateTargets (unroutable_mx, no connection)', async () => {
    const { internet, engine } = await start(
      { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['a@ok.test'] } }] } },
      { allowPrivateTargets: false },
    );
    expect(await engine.verify('a@ok.test')).toMatchObject({
      reason: 'unroutable_mx',
      mx: ['mx.ok.test'],
      smtp: null,
    });
    expect(internet.smtp['mx.ok.test']?.sessions).toHaveLength(0);
  });

  it('delivers to the A record of a domain without MX only with implicitMx', async () => {
    const internet = await startInternet({
      domains: {
        'helper.test': { mx: [{ host: 'mail.helper.test', smtp: { mailboxes: ['a@implicit.test'] } }] },
      },
    });
    internet.dns.setZone('implicit.test', { a: [internet.smtp['mail.helper.test']?.host ?? ''] });
    const options = { ...internet.engineOptions, timeouts: TIMEOUTS };
    const strict = createEngine(options);
    const engine = startEngine({ ...options, implicitMx: true });
    try {
      expect(await strict.verify('a@implicit.test')).toMatchObject({
        status: 'INVALID',
        reason: 'no_mx',
        smtp: null,
      });
      expect(internet.smtp['mail.helper.test']?.sessions).toHaveLength(0);
      expect(await engine.verify('a@implicit.test')).toMatchObject({
        reason: 'accepted',
        mx: ['implicit.test'],
      });
    } finally {
      await strict.close();
    }
  });

  it('gives greylisted results a retry hint', async () => {
    const { engine } = await start({
      'grey.test': {
        mx: [{ host: 'mx.grey.test', smtp: { mailboxes: ['a@grey.test'], greylistMs: 60_000 } }],
      },
    });
    const result = await engine.verify('a@grey.test');
    expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'greylisted', smtp: { replyCode: 451 } });
    expect(result.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('answers UNKNOWN, not INVALID, for a UTF-8 local part at a server without SMTPUTF8', async () => {
    const { internet, engine } = await start({
      'plain.test': {
        mx: [{ host: 'mx.plain.test', smtp: { smtputf8: false, mailboxes: ['josé@plain.test'] } }],
      },
      'utf8.test': { mx: [{ host: 'mx.utf8.test', smtp: { mailboxes: ['josé@utf8.test'] } }] },
    });
    const [plain, utf8] = await engine.verifyMany(['josé@plain.test', 'josé@utf8.test']);
    expect(plain).toMatchObject({ status: 'UNKNOWN' });
    expect(utf8).toMatchObject({ status: 'VALID', reason: 'accepted' });
    expect(
      rcpts(internet.smtp['mx.plain.test']?.sessions.flatMap((session) => session.commands) ?? []),
    ).not.toContain('RCPT TO:<josé@plain.test>');
  });

  it('speaks HELO to a server that refuses EHLO', async () => {
    const { internet, engine } = await start({
      'old.test': { mx: [{ host: 'mx.old.test', smtp: { heloOnly: true, mailboxes: ['a@old.test'] } }] },
    });
    expect(await engine.verify('a@old.test')).toMatchObject({ reason: 'accepted' });
    expect(internet.smtp['mx.old.test']?.sessions[0]?.commands).toContain('HELO probe.mailprobe.test');
  });

  it('stops when the caller aborts, and refuses work once closed', async () => {
    const { engine } = await start({
      'slow.test': { mx: [{ host: 'mx.slow.test', smtp: { behaviour: 'never-greet' } }] },
    });
    await expect(engine.verify('a@slow.test', { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await engine.close();
    await expect(engine.verify('a@slow.test')).rejects.toMatchObject({ code: 'engine_closed' });
  });
});
