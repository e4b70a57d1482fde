import { type FakeSmtpOptions, type FakeSmtpServer, startFakeSmtp } from '@mailprobe/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { runSmtpSession } from './session.js';
import { createTlsSessionStore } from './tls-sessions.js';
import type { ProbeAddress, SessionFailure, SmtpSessionOptions } from './types.js';

// The same client against the shared test kit's independently written SMTP server (the fake internet's).
const servers: FakeSmtpServer[] = [];
afterEach(async () => {
  for (const server of servers) {
    for (const session of server.sessions) expect(session.dataReceived).toBe(false);
  }
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: FakeSmtpOptions): Promise<FakeSmtpServer> {
  const server = await startFakeSmtp(options);
  servers.push(server);
  return server;
}

const address = (normalized: string): ProbeAddress => ({ normalized, needsSmtpUtf8: false });

function optionsFor(server: FakeSmtpServer, overrides: Partial<SmtpSessionOptions> = {}): SmtpSessionOptions {
  return {
    host: server.hostname,
    ip: server.host,
    port: server.port,
    family: 4,
    heloName: 'probe.mailprobe.test',
    mailFrom: 'probe@mailprobe.test',
    recipients: [],
    timeouts: { connectMs: 1000, greetingMs: 500, commandMs: 500, totalMs: 4000 },
    ...overrides,
  };
}

describe('runSmtpSession against the test kit’s fake SMTP server', () => {
  it('probes through STARTTLS and pipelining across transaction limits', async () => {
    const server = await start({
      starttls: true,
      mailboxes: ['alice@example.test', 'bob@example.test'],
      disabled: ['gone@example.test'],
      full: ['stuffed@example.test'],
      maxRecipientsPerTransaction: 1,
    });
    const outcome = await runSmtpSession(
      optionsFor(server, {
        recipients: ['alice', 'nobody', 'gone', 'stuffed', 'bob'].map((local) =>
          address(`${local}@example.test`),
        ),
        catchAllProbe: address('k3j4h5@example.test'),
      }),
    );
    expect(outcome).toMatchObject({ failure: null, tls: true, pipelining: true });
    const reasons = outcome.recipients.map((recipient) =>
      recipient.reply ? classifyReply('rcpt', recipient.reply).reason : recipient.skipped,
    );
    expect(reasons).toEqual([
      'accepted',
      'mailbox_not_found',
      'mailbox_disabled',
      'mailbox_full',
      'accepted',
    ]);
    expect(outcome.catchAll && classifyReply('rcpt', outcome.catchAll).reason).toBe('mailbox_not_found');
    const [session] = server.sessions;
    expect(session?.tls).toBe(true);
    // One accepted RCPT per transaction at this server (refusals do not count): after the probe's 550 and
    // alice's 250 every RCPT is refused as "too many" and asked again, two per transaction, after an RSET.
    expect(session?.commands.filter((command) => command === 'RSET')).toHaveLength(2);
    expect(session?.quitReceived).toBe(true);
  });

  it('resumes the TLS session of the previous STARTTLS to the same server', async () => {
    const server = await start({ starttls: true, mailboxes: ['alice@example.test'] });
    const sessions = createTlsSessionStore();
    const tlsNotes = async () => {
      const outcome = await runSmtpSession(
        optionsFor(server, {
          recipients: [address('alice@example.test')],
          tls: { rejectUnauthorized: false, sessions },
        }),
      );
      expect(outcome).toMatchObject({ failure: null, tls: true });
      expect(outcome.recipients[0]?.reply?.code).toBe(250);
      return outcome.transcript.filter((line) => line.startsWith('*: TLS established'));
    };
    expect(await tlsNotes()).toEqual([expect.not.stringContaining('resumed')]);
    expect(await tlsNotes()).toEqual([expect.stringContaining(', resumed)')]);
    expect(server.sessions.map((session) => session.tls)).toEqual([true, true]);
  });

  it('falls back to HELO at a HELO-only server', async () => {
    const server = await start({ heloOnly: true, mailboxes: ['a@example.test'] });
    const outcome = await runSmtpSession(optionsFor(server, { recipients: [address('a@example.test')] }));
    expect(outcome.failure).toBeNull();
    expect(outcome.recipients[0]?.reply?.code).toBe(250);
  });

  it('hears greylisting as greylisted', async () => {
    const server = await start({ greylistMs: 60_000, mailboxes: ['a@example.test'] });
    const outcome = await runSmtpSession(optionsFor(server, { recipients: [address('a@example.test')] }));
    const reply = outcome.recipients[0]?.reply;
    expect(reply && classifyReply('rcpt', reply).reason).toBe('greylisted');
  });

  it.each<[FakeSmtpOptions['behaviour'], Partial<SessionFailure>]>([
    ['never-greet', { stage: 'greeting', kind: 'timeout' }],
    ['greeting-554', { stage: 'greeting', kind: 'reply' }],
    ['drop-at-rcpt', { stage: 'rcpt', kind: 'connection' }],
    ['drip', { kind: 'timeout' }],
    ['garbage', { kind: 'protocol' }],
    ['huge-line', { kind: 'protocol' }],
    ['endless-multiline', { kind: 'protocol' }],
  ])('ends a %s server as %o', async (behaviour, failure) => {
    const server = await start({ behaviour, mailboxes: ['a@example.test'] });
    const outcome = await runSmtpSession(optionsFor(server, { recipients: [address('a@example.test')] }));
    expect(outcome.failure).toMatchObject(failure);
    expect(outcome.recipients[0]?.skipped).toBe('session_ended');
  });
});

describe('runSmtpSession: several domains in one session (nextGroup)', () => {
  it('asks each group in its own transaction, RSET between, each with its own catch-all probe', async () => {
    const server = await start({ mailboxes: ['a@one.test', 'b@two.test'] });
    const more = [
      { recipients: [address('b@two.test'), address('x@two.test')], catchAllProbe: address('p2@two.test') },
      { recipients: [address('c@three.test')] },
    ];
    const outcome = await runSmtpSession(
      optionsFor(server, {
        recipients: [address('a@one.test')],
        catchAllProbe: address('p1@one.test'),
        nextGroup: () => more.shift(),
      }),
    );
    expect(outcome.failure).toBeNull();
    expect(outcome.groups.map((group) => group.recipients.map((recipient) => recipient.reply?.code))).toEqual(
      [[250], [250, 550], [550]],
    );
    expect(outcome.groups.map((group) => group.catchAll?.code ?? null)).toEqual([550, 550, null]);
    expect(outcome.recipients).toBe(outcome.groups[0]?.recipients);
    const commands = server.sessions[0]?.commands ?? [];
    expect(commands.filter((command) => command === 'RSET')).toHaveLength(2);
    // Each transaction: RSET (but the first), MAIL, the group's probe first, then its recipients.
    expect(commands.slice(commands.indexOf('RSET'))).toEqual([
      'RSET',
      'MAIL FROM:<probe@mailprobe.test>',
      'RCPT TO:<p2@two.test>',
      'RCPT TO:<b@two.test>',
      'RCPT TO:<x@two.test>',
      'RSET',
      'MAIL FROM:<probe@mailprobe.test>',
      'RCPT TO:<c@three.test>',
      'QUIT',
    ]);
  });

  it('keeps one refusal cap for the whole session and takes no new group when it is nearly spent', async () => {
    const server = await start({ mailboxes: [] });
    let asked = 0;
    const outcome = await runSmtpSession(
      optionsFor(server, {
        recipients: [address('x1@one.test'), address('x2@one.test')],
        maxRejections: 4,
        nextGroup: () => {
          asked += 1;
          return { recipients: [address('y1@two.test'), address('y2@two.test'), address('y3@two.test')] };
        },
      }),
    );
    // Two refusals in the first group leave room for a second; its third recipient waits for a fresh session.
    expect(asked).toBe(1);
    expect(
      outcome.groups[1]?.recipients.map((recipient) => recipient.reply?.code ?? recipient.skipped),
    ).toEqual([550, 550, 'rejection_limit']);
  });

  it('pins a failure on the group being asked, not on the groups already answered', async () => {
    const server = await start({ mailboxes: ['a@one.test'], maxRejectedRecipients: 1 });
    const outcome = await runSmtpSession(
      optionsFor(server, {
        recipients: [address('a@one.test')],
        nextGroup: () => ({ recipients: [address('x@two.test'), address('y@two.test')] }),
      }),
    );
    expect(outcome.groups[0]?.failure).toBeNull();
    expect(outcome.groups[1]?.failure).toMatchObject({ stage: 'rcpt', kind: 'reply', reply: { code: 421 } });
  });
});

describe('runSmtpSession: identity from the local address', () => {
  it('greets and sends with the names `identify` gives for the connection’s local address', async () => {
    const server = await start({ mailboxes: ['a@one.test'] });
    const seen: string[] = [];
    const outcome = await runSmtpSession(
      optionsFor(server, {
        recipients: [address('a@one.test')],
        identify: async (localAddress) => {
          seen.push(localAddress);
          return { heloName: 'ptr.mailprobe.test', mailFrom: 'verify@ptr.mailprobe.test' };
        },
      }),
    );
    expect(seen).toEqual([server.sessions[0]?.clientAddress]);
    expect(outcome).toMatchObject({
      heloName: 'ptr.mailprobe.test',
      mailFrom: 'verify@ptr.mailprobe.test',
      localAddress: server.sessions[0]?.clientAddress,
    });
    expect(server.sessions[0]?.helo).toBe('ptr.mailprobe.test');
    expect(server.sessions[0]?.commands).toContain('MAIL FROM:<verify@ptr.mailprobe.test>');
  });

  it('keeps the given names when `identify` fails', async () => {
    const server = await start({ mailboxes: ['a@one.test'] });
    const outcome = await runSmtpSession(
      optionsFor(server, {
        recipients: [address('a@one.test')],
        identify: () => Promise.reject(new Error('no DNS')),
      }),
    );
    expect(outcome.heloName).toBe('probe.mailprobe.test');
    expect(outcome.recipients[0]?.reply?.code).toBe(250);
  });
});
