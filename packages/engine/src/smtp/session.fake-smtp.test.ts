import { type FakeSmtpOptions, type FakeSmtpServer, startFakeSmtp } from '@mailprobe/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { runSmtpSession } from './session.js';
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
