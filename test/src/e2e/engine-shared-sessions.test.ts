import { describe, expect, it } from 'vitest';
import type { FakeDomain, FakeSmtpOptions } from '../index.js';
import { engineOnFakeInternet, mailboxes } from './engine-on-fake-internet.js';
import { type EngineWarning, systemHeloName } from './engine-under-test.js';

const TIMEOUTS = { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 5000 };
const SERVER = 'shared.hosting.test';
const DOMAINS = ['alpha.test', 'bravo.test', 'charlie.test', 'delta.test'];

const rcpts = (commands: readonly string[]) => commands.filter((command) => command.startsWith('RCPT TO:'));
const probes = (commands: readonly string[]) =>
  rcpts(commands).filter((command) => command.includes('mailprobe-'));

/** Domains whose MX names differ but all resolve to one server; two of each domain's three addresses exist. */
function sharedHosting(domains: readonly string[], smtp: FakeSmtpOptions = {}): Record<string, FakeDomain> {
  const options: FakeSmtpOptions = { ...smtp, mailboxes: domains.flatMap((domain) => mailboxes(domain, 2)) };
  return Object.fromEntries(
    domains.map((domain, index) => [
      domain,
      { mx: [{ host: `mx.${domain}`, server: SERVER, ...(index === 0 ? { smtp: options } : {}) }] },
    ]),
  );
}

describe('engine end to end: domains sharing one MX address', () => {
  const { start } = engineOnFakeInternet(TIMEOUTS);

  it('verifies them in shared sessions: one transaction per domain, RSET between, one probe per domain', async () => {
    const { internet, engine } = await start(sharedHosting(DOMAINS, { replyDelayMs: 10 }), {
      maxSessionsPerMx: 1,
      maxRejectionsPerSession: 20,
    });
    const addresses = DOMAINS.flatMap((domain) => mailboxes(domain, 3));
    const results = await engine.verifyMany(addresses);
    expect(results.map((result) => result.reason)).toEqual(
      DOMAINS.flatMap(() => ['accepted', 'accepted', 'mailbox_not_found']),
    );
    // Each result names its own domain's MX host, though they shared a connection.
    expect(results.map((result) => result.smtp?.host)).toEqual(
      DOMAINS.flatMap((domain) => Array(3).fill(`mx.${domain}`)),
    );
    const server = internet.smtp[`mx.${DOMAINS[0]}`];
    expect(server).toBe(internet.smtp[`mx.${DOMAINS[3]}`]);
    const sessions = server?.sessions ?? [];
    // Four domains × (1 unknown + 1 probe) = 8 refusals, well under the cap: one session serves all.
    expect(sessions).toHaveLength(1);
    expect(server?.peakConcurrency).toBe(1);
    const commands = sessions[0]?.commands ?? [];
    expect(commands.filter((command) => command === 'RSET')).toHaveLength(DOMAINS.length - 1);
    expect(commands.filter((command) => command.startsWith('MAIL FROM:'))).toHaveLength(DOMAINS.length);
    for (const domain of DOMAINS) {
      expect(probes(commands).filter((command) => command.endsWith(`@${domain}>`))).toHaveLength(1);
    }
    // Between two RSETs, every RCPT is at one domain.
    const transactions = commands
      .join('\n')
      .split('RSET')
      .map((part) => new Set(rcpts(part.split('\n')).map((command) => command.replace(/^.*@|>$/g, ''))));
    for (const domains of transactions) expect(domains.size).toBe(1);
    expect(sessions[0]).toMatchObject({ quitReceived: true, dataReceived: false });
  });

  it('takes the second session while work waits for the address, holds maxSessionsPerMx, one refusal cap per session', async () => {
    const many = Array.from({ length: 12 }, (_, index) => `d${index}.shared.test`);
    const { internet, engine } = await start(sharedHosting(many, { replyDelayMs: 10 }));
    const addresses = many.flatMap((domain) => mailboxes(domain, 3));
    const results = await engine.verifyMany(addresses);
    expect(results.map((result) => result.reason)).toEqual(
      many.flatMap(() => ['accepted', 'accepted', 'mailbox_not_found']),
    );
    const server = internet.smtp[`mx.${many[0]}`];
    const sessions = server?.sessions ?? [];
    // More work waits than one session takes: the address gets its second session (the default limit), no third.
    expect(server?.peakConcurrency).toBe(2);
    // 12 domains × 2 refusals at ≤ 9 refusals per session: at least 3 sessions, far fewer than one per domain.
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    expect(sessions.length).toBeLessThan(many.length / 2);
    const known = new Set(
      many.flatMap((domain) => mailboxes(domain, 2)).map((address) => `RCPT TO:<${address}>`),
    );
    for (const session of sessions) {
      expect(rcpts(session.commands).filter((command) => !known.has(command)).length).toBeLessThanOrEqual(9);
    }
    for (const domain of many) {
      const asked = sessions
        .flatMap((session) => probes(session.commands))
        .filter((c) => c.endsWith(`@${domain}>`));
      expect(asked).toHaveLength(1);
    }
  });

  it('packs the remainders sessions leave at their refusal cap into full sessions: no half-empty tail', async () => {
    // Four domains of 20 addresses, 10 of them unknown: 4 × (10 + 1 probe) = 44 refusals, so 5 sessions of at
    // most 9 refusals each are enough; each domain's remainder rides first in a session that then fills up.
    const domains = DOMAINS.map((domain) => `packed-${domain}`);
    const smtp: FakeSmtpOptions = {
      replyDelayMs: 5,
      mailboxes: domains.flatMap((domain) => mailboxes(domain, 10)),
    };
    const { internet, engine } = await start(
      Object.fromEntries(
        domains.map((domain, index) => [
          domain,
          { mx: [{ host: `mx.${domain}`, server: SERVER, ...(index === 0 ? { smtp } : {}) }] },
        ]),
      ),
    );
    const results = await engine.verifyMany(domains.flatMap((domain) => mailboxes(domain, 20)));
    expect(results.map((result) => result.reason)).toEqual(
      domains.flatMap(() => [...Array(10).fill('accepted'), ...Array(10).fill('mailbox_not_found')]),
    );
    const sessions = internet.smtp[`mx.${domains[0]}`]?.sessions ?? [];
    expect(sessions).toHaveLength(Math.ceil((domains.length * 11) / 9));
  });

  it('answers every address right or UNKNOWN when the server cuts sessions below the engine’s refusal cap', async () => {
    // The server cuts a session at its 4th refusal (421 too many errors): remainders of cut sessions and of capped
    // ones mix in the queue. Every address still gets an answer, never a wrong one: right, or UNKNOWN when its
    // re-asks ran out.
    const domains = DOMAINS.map((domain) => `cut-${domain}`);
    const smtp: FakeSmtpOptions = {
      replyDelayMs: 5,
      maxRejectedRecipients: 3,
      mailboxes: domains.flatMap((domain) => mailboxes(domain, 10)),
    };
    const { engine } = await start(
      Object.fromEntries(
        domains.map((domain, index) => [
          domain,
          { mx: [{ host: `mx.${domain}`, server: SERVER, ...(index === 0 ? { smtp } : {}) }] },
        ]),
      ),
    );
    const results = await engine.verifyMany(domains.flatMap((domain) => mailboxes(domain, 20)));
    const expected = domains.flatMap(() => [...Array(10).fill('VALID'), ...Array(10).fill('INVALID')]);
    results.forEach((result, index) => {
      expect([expected[index], 'UNKNOWN']).toContain(result.status);
    });
  });

  it('never runs more than maxSessionsPerMx sessions at one address, even for callers that cannot share', async () => {
    const { internet, engine } = await start(sharedHosting(DOMAINS, { replyDelayMs: 30 }), {
      maxSessionsPerMx: 1,
    });
    // Each call has its own signal, so its sessions are its own: only the per-address limit keeps them apart.
    const results = await Promise.all(
      DOMAINS.map((domain) => engine.verify(`user0@${domain}`, { signal: new AbortController().signal })),
    );
    expect(results.map((result) => result.reason)).toEqual(Array(DOMAINS.length).fill('accepted'));
    const server = internet.smtp[`mx.${DOMAINS[0]}`];
    expect(server?.sessions).toHaveLength(DOMAINS.length);
    expect(server?.peakConcurrency).toBe(1);
  });
  it('shares sessions between calls with the same signal, as between calls without one', async () => {
    const { internet, engine } = await start(sharedHosting(DOMAINS, { replyDelayMs: 30 }), {
      maxSessionsPerMx: 1,
      maxRejectionsPerSession: 20,
    });
    // A job worker's chunks: separate calls, one signal (the worker's), started together.
    const { signal } = new AbortController();
    const results = await Promise.all(
      DOMAINS.map((domain) => engine.verifyMany(mailboxes(domain, 3), { signal })),
    );
    expect(results.flat().map((result) => result.reason)).toEqual(
      DOMAINS.flatMap(() => ['accepted', 'accepted', 'mailbox_not_found']),
    );
    const server = internet.smtp[`mx.${DOMAINS[0]}`];
    expect(server?.sessions).toHaveLength(1);
    expect(server?.peakConcurrency).toBe(1);
  });
});

describe('engine end to end: the HELO name when nothing is configured', () => {
  const { start } = engineOnFakeInternet(TIMEOUTS);
  const domains = { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['a@ok.test'] } }] } };

  it('greets with the forward-confirmed PTR name of the local address, and sends from it', async () => {
    const warnings: EngineWarning[] = [];
    const { internet, engine } = await start(
      domains,
      { defaultHeloName: undefined, onWarning: (warning) => warnings.push(warning) },
      { '127.0.0.1': { ptr: 'prober.mailprobe.test' }, 'prober.mailprobe.test': { a: ['127.0.0.1'] } },
    );
    const result = await engine.verify('a@ok.test');
    const session = internet.smtp['mx.ok.test']?.sessions[0];
    // Loopback connections leave from 127.0.0.1, whose PTR the zone above names.
    expect(session?.clientAddress).toBe('127.0.0.1');
    expect(session?.helo).toBe('prober.mailprobe.test');
    expect(session?.commands).toContain('MAIL FROM:<verify@prober.mailprobe.test>');
    expect(result).toMatchObject({ reason: 'accepted', smtp: { heloName: 'prober.mailprobe.test' } });
    expect(warnings).toEqual([]);
  });

  it('falls back to the system name when the PTR does not forward-confirm, and warns once', async () => {
    const warnings: EngineWarning[] = [];
    const { internet, engine } = await start(
      domains,
      { defaultHeloName: undefined, onWarning: (warning) => warnings.push(warning) },
      { '127.0.0.1': { ptr: 'elsewhere.mailprobe.test' }, 'elsewhere.mailprobe.test': { a: ['192.0.2.1'] } },
    );
    await engine.verify('a@ok.test');
    await engine.verify('a@ok.test');
    const expected = systemHeloName();
    expect(expected).toContain('.');
    expect(internet.smtp['mx.ok.test']?.sessions.map((session) => session.helo)).toContain(expected);
    await expect.poll(() => warnings.length).toBe(1);
    expect(warnings[0]).toMatchObject({
      code: 'helo_name_not_forward_confirmed',
      heloName: expected,
      setting: 'defaultHeloName',
      environment: 'MAILPROBE_HELO_NAME',
    });
  });

  it('warns once that a configured bare name is not fully qualified', async () => {
    const warnings: EngineWarning[] = [];
    const { engine } = await start(domains, {
      defaultHeloName: 'vm',
      onWarning: (warning) => warnings.push(warning),
    });
    await engine.verifyMany(['a@ok.test', 'b@ok.test']);
    await engine.verify('a@ok.test');
    expect(warnings.map((warning) => warning.code)).toEqual(['helo_name_not_fqdn']);
    expect(warnings[0]?.message).toContain('MAILPROBE_HELO_NAME');
  });
});
