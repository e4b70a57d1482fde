import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSelfSignedCertificate,
  type ScriptedServer,
  type ScriptedServerOptions,
  type ScriptedSession,
  startScriptedServer,
} from './__fixtures__/scripted-server.js';
import { SmtpSessionOptionsError, UnsafeCommandError } from './errors.js';
import { runSmtpSession } from './session.js';
import type { ProbeAddress, SessionOutcome, SmtpSessionOptions } from './types.js';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  const stopping = servers.splice(0);
  // Whatever happened, no session may ever have carried DATA.
  for (const server of stopping) {
    for (const session of server.sessions) expect(session.dataReceived).toBe(false);
  }
  await Promise.all(stopping.map((server) => server.close()));
});

async function start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const server = await startScriptedServer(options);
  servers.push(server);
  return server;
}

const address = (normalized: string, needsSmtpUtf8 = false): ProbeAddress => ({ normalized, needsSmtpUtf8 });

const TIMEOUTS = { connectMs: 2000, greetingMs: 2000, commandMs: 2000, totalMs: 8000 };

function sessionOptions(
  server: ScriptedServer,
  overrides: Partial<SmtpSessionOptions> = {},
): SmtpSessionOptions {
  return {
    host: server.hostname,
    ip: server.host,
    port: server.port,
    family: 4,
    heloName: 'probe.mailprobe.test',
    mailFrom: 'probe@mailprobe.test',
    recipients: [],
    timeouts: TIMEOUTS,
    ...overrides,
  };
}

/** The server's only session, once the client has gone. */
async function onlySession(server: ScriptedServer): Promise<ScriptedSession> {
  expect(server.sessions).toHaveLength(1);
  const session = server.sessions[0] as ScriptedSession;
  await session.closed;
  return session;
}

const lines = (session: ScriptedSession): string[] => session.commands.map((command) => command.line);
const codes = (outcome: SessionOutcome): Array<number | string | undefined> =>
  outcome.recipients.map((recipient) => recipient.reply?.code ?? recipient.skipped);

describe('runSmtpSession: the dialogue', () => {
  it('asks the catch-all probe first, then every recipient, in one pipelined group, then QUIT — never DATA', async () => {
    const server = await start({ mailboxes: ['alice@example.test'] });
    const outcome = await runSmtpSession(
      sessionOptions(server, {
        recipients: [address('alice@example.test'), address('nobody@example.test')],
        catchAllProbe: address('x7q2z9@example.test'),
      }),
    );
    expect(outcome).toMatchObject({
      connected: true,
      tls: false,
      pipelining: true,
      smtputf8: true,
      failure: null,
    });
    expect(codes(outcome)).toEqual([250, 550]);
    expect(outcome.recipients[1]?.reply?.enhancedCode).toBe('5.1.1');
    expect(outcome.recipients[0]?.address.normalized).toBe('alice@example.test');
    expect(outcome.catchAll?.code).toBe(550);
    const session = await onlySession(server);
    expect(session.helo).toBe('probe.mailprobe.test');
    expect(lines(session)).toEqual([
      'EHLO probe.mailprobe.test',
      'MAIL FROM:<probe@mailprobe.test>',
      'RCPT TO:<x7q2z9@example.test>',
      'RCPT TO:<alice@example.test>',
      'RCPT TO:<nobody@example.test>',
      'QUIT',
    ]);
    // One group: the server had sent nothing since the EHLO reply when MAIL and every RCPT arrived.
    const group = session.commands.slice(1, 5).map((command) => command.repliesSentBefore);
    expect(new Set(group)).toEqual(new Set([2]));
    expect(session.quitReceived).toBe(true);
    expect(outcome.transcript).toContain('C: MAIL FROM:<probe@mailprobe.test>');
    expect(outcome.transcript).toContain('S: 221 2.0.0 Bye');
  });

  it('reads multi-line greetings and EHLO replies', async () => {
    const server = await start({
      greeting: '220-mx.example.test ESMTP\r\n220-No UCE\r\n220 ready',
      capabilities: [
        'SIZE 35882577',
        '8BITMIME',
        'ENHANCEDSTATUSCODES',
        'PIPELINING',
        'CHUNKING',
        'SMTPUTF8',
      ],
      mailboxes: ['a@example.test'],
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: [address('a@example.test')] }));
    expect(outcome.failure).toBeNull();
    expect(outcome.pipelining).toBe(true);
    expect(codes(outcome)).toEqual([250]);
  });

  it('without PIPELINING asks one RCPT per reply, and the catch-all only after an accept', async () => {
    const server = await start({ capabilities: ['8BITMIME'], mailboxes: ['a@example.test'] });
    const outcome = await runSmtpSession(
      sessionOptions(server, {
        recipients: [address('nobody@example.test'), address('a@example.test')],
        catchAllProbe: address('r4nd0m@example.test'),
      }),
    );
    expect(outcome.pipelining).toBe(false);
    expect(codes(outcome)).toEqual([550, 250]);
    expect(outcome.catchAll?.code).toBe(550);
    const session = await onlySession(server);
    expect(lines(session).slice(1, 5)).toEqual([
      'MAIL FROM:<probe@mailprobe.test>',
      'RCPT TO:<nobody@example.test>',
      'RCPT TO:<a@example.test>',
      'RCPT TO:<r4nd0m@example.test>',
    ]);
    // Each command was sent only after the reply to the one before.
    expect(session.commands.slice(1, 5).map((command) => command.repliesSentBefore)).toEqual([2, 3, 4, 5]);
  });

  it('without PIPELINING skips the catch-all probe when no recipient was accepted', async () => {
    const server = await start({ capabilities: [] });
    const outcome = await runSmtpSession(
      sessionOptions(server, {
        recipients: [address('nobody@example.test')],
        catchAllProbe: address('r4nd0m@example.test'),
      }),
    );
    expect(codes(outcome)).toEqual([550]);
    expect(outcome.catchAll).toBeNull();
    expect(lines(await onlySession(server))).not.toContain('RCPT TO:<r4nd0m@example.test>');
  });

  it('reports an accepted catch-all probe', async () => {
    const server = await start({ catchAll: true });
    const outcome = await runSmtpSession(
      sessionOptions(server, {
        recipients: [address('anyone@example.test')],
        catchAllProbe: address('q9z8x7@example.test'),
      }),
    );
    expect(codes(outcome)).toEqual([250]);
    expect(outcome.catchAll?.code).toBe(250);
  });

  it('falls back to HELO when EHLO gets a 5xx', async () => {
    const server = await start({
      mailboxes: ['a@example.test'],
      onCommand: (command) =>
        command.verb === 'EHLO' ? '502 5.5.2 Error: command not recognized' : undefined,
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: [address('a@example.test')] }));
    expect(outcome.failure).toBeNull();
    expect(outcome.pipelining).toBe(false);
    expect(codes(outcome)).toEqual([250]);
    const session = await onlySession(server);
    expect(lines(session).slice(0, 2)).toEqual(['EHLO probe.mailprobe.test', 'HELO probe.mailprobe.test']);
    expect(session.helo).toBe('probe.mailprobe.test');
  });

  it('fails at ehlo when HELO is refused too, and still says QUIT', async () => {
    const server = await start({
      onCommand: (command) =>
        command.verb === 'EHLO' || command.verb === 'HELO' ? '550 5.7.1 Go away' : undefined,
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: [address('a@example.test')] }));
    expect(outcome.failure).toMatchObject({ stage: 'ehlo', kind: 'reply', reply: { code: 550 } });
    expect(codes(outcome)).toEqual(['session_ended']);
    expect((await onlySession(server)).quitReceived).toBe(true);
  });

  it('stops at a 554 greeting, says QUIT and nothing else', async () => {
    const server = await start({
      greeting: '554 5.7.1 mx.example.test ESMTP not accepting messages from you',
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: [address('a@example.test')] }));
    expect(outcome.failure).toMatchObject({
      stage: 'greeting',
      kind: 'reply',
      reply: { code: 554, enhancedCode: '5.7.1' },
    });
    expect(lines(await onlySession(server))).toEqual(['QUIT']);
  });

  it('fails at mail when MAIL FROM is refused; recipients end unasked', async () => {
    const server = await start({
      onCommand: (command) =>
        command.verb === 'MAIL'
          ? '553 5.1.8 <probe@mailprobe.test>: Sender address rejected: Domain not found'
          : undefined,
    });
    const outcome = await runSmtpSession(
      sessionOptions(server, { recipients: [address('a@example.test'), address('b@example.test')] }),
    );
    expect(outcome.failure).toMatchObject({ stage: 'mail', kind: 'reply', reply: { code: 553 } });
    expect(codes(outcome)).toEqual(['session_ended', 'session_ended']);
    expect((await onlySession(server)).quitReceived).toBe(true);
  });
});

describe('runSmtpSession: SMTPUTF8', () => {
  it('adds SMTPUTF8 to MAIL FROM when a recipient needs it and the server offers it', async () => {
    const server = await start({ mailboxes: ['jörg@example.test'] });
    const outcome = await runSmtpSession(
      sessionOptions(server, {
        recipients: [address('jörg@example.test', true), address('ascii@example.test')],
      }),
    );
    expect(outcome.smtputf8).toBe(true);
    expect(codes(outcome)).toEqual([250, 550]);
    const session = await onlySession(server);
    expect(lines(session)).toContain('MAIL FROM:<probe@mailprobe.test> SMTPUTF8');
    expect(lines(session)).toContain('RCPT TO:<jörg@example.test>');
  });

  it('does not add SMTPUTF8 for ASCII recipients', async () => {
    const server = await start();
    await runSmtpSession(sessionOptions(server, { recipients: [address('ascii@example.test')] }));
    expect(lines(await onlySession(server))).toContain('MAIL FROM:<probe@mailprobe.test>');
  });

  it('skips UTF-8 recipients at a server without SMTPUTF8 and asks the others', async () => {
    const server = await start({ capabilities: ['PIPELINING'] });
    const outcome = await runSmtpSession(
      sessionOptions(server, {
        recipients: [address('jörg@example.test', true), address('ascii@example.test')],
      }),
    );
    expect(outcome.smtputf8).toBe(false);
    expect(outcome.recipients[0]).toEqual({
      address: address('jörg@example.test', true),
      reply: null,
      skipped: 'smtputf8_unsupported',
    });
    expect(codes(outcome)).toEqual(['smtputf8_unsupported', 550]);
    const session = await onlySession(server);
    expect(lines(session)).toContain('MAIL FROM:<probe@mailprobe.test>');
    expect(lines(session).some((line) => line.includes('jörg'))).toBe(false);
  });

  it('sends no MAIL at all when every recipient needs SMTPUTF8 the server lacks', async () => {
    const server = await start({ capabilities: ['PIPELINING'] });
    const outcome = await runSmtpSession(
      sessionOptions(server, { recipients: [address('jörg@example.test', true)] }),
    );
    expect(outcome.failure).toBeNull();
    expect(codes(outcome)).toEqual(['smtputf8_unsupported']);
    expect(lines(await onlySession(server))).toEqual(['EHLO probe.mailprobe.test', 'QUIT']);
  });
});

describe('runSmtpSession: STARTTLS', () => {
  let credentials: { key: string; cert: string };
  beforeAll(() => {
    credentials = createSelfSignedCertificate();
  });

  it('upgrades when offered, forgets plaintext capabilities and says EHLO again', async () => {
    // PIPELINING is offered only in plaintext: after TLS the client must go one by one.
    const server = await start({
      tls: credentials,
      mailboxes: ['a@example.test'],
      onCommand: (command, session) =>
        command.verb === 'EHLO' && session.tls ? '250-mx.scripted.test\r\n250 8BITMIME' : undefined,
    });
    const outcome = await runSmtpSession(
      sessionOptions(server, { recipients: [address('a@example.test'), address('b@example.test')] }),
    );
    expect(outcome.failure).toBeNull();
    expect(outcome.tls).toBe(true);
    expect(outcome.pipelining).toBe(false);
    expect(outcome.smtputf8).toBe(false);
    expect(codes(outcome)).toEqual([250, 550]);
    const session = await onlySession(server);
    expect(session.tls).toBe(true);
    expect(session.commands.map((command) => [command.verb, command.tls])).toEqual([
      ['EHLO', false],
      ['STARTTLS', false],
      ['EHLO', true],
      ['MAIL', true],
      ['RCPT', true],
      ['RCPT', true],
      ['QUIT', true],
    ]);
  });

  it('discards anything the server sends after its 220 to STARTTLS', async () => {
    const server = await start({
      tls: credentials,
      mailboxes: ['a@example.test'],
      onCommand: (command, session) => {
        if (command.verb !== 'STARTTLS') return undefined;
        session.write('220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 PIPELINING\r\n');
        session.startTls();
        return null;
      },
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: [address('a@example.test')] }));
    expect(outcome.failure).toBeNull();
    expect(outcome.tls).toBe(true);
    expect(codes(outcome)).toEqual([250]);
    expect(outcome.transcript).not.toContain('S: 250-injected');
  });

  it('continues in plaintext when STARTTLS is refused', async () => {
    const server = await start({
      tls: credentials,
      mailboxes: ['a@example.test'],
      onCommand: (command) =>
        command.verb === 'STARTTLS' ? '454 4.7.0 TLS not available due to local problem' : undefined,
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: [address('a@example.test')] }));
    expect(outcome.failure).toBeNull();
    expect(outcome.tls).toBe(false);
    expect(outcome.pipelining).toBe(true);
    expect(codes(outcome)).toEqual([250]);
  });

  it('fails at starttls when the handshake fails; tls: false then probes in plaintext', async () => {
    const server = await start({
      tls: credentials,
      mailboxes: ['a@example.test'],
      onCommand: (command, session) => {
        if (command.verb !== 'STARTTLS') return undefined;
        session.write('220 2.0.0 Ready to start TLS\r\n');
        setTimeout(() => session.write('this is not a TLS record\r\n'), 20);
        return null;
      },
    });
    const failed = await runSmtpSession(sessionOptions(server, { recipients: [address('a@example.test')] }));
    expect(failed.failure).toMatchObject({ stage: 'starttls', kind: 'connection' });
    expect(failed.tls).toBe(false);
    expect(codes(failed)).toEqual(['session_ended']);

    const plaintext = await runSmtpSession(
      sessionOptions(server, { recipients: [address('a@example.test')], tls: false }),
    );
    expect(plaintext.failure).toBeNull();
    expect(codes(plaintext)).toEqual([250]);
    expect(server.sessions).toHaveLength(2);
    await server.sessions[1]?.closed;
    expect(server.sessions[1]?.commands.map((command) => command.verb)).not.toContain('STARTTLS');
  });
});

describe('runSmtpSession: the refusal cap (maxRejections)', () => {
  const recipients = ['a', 'x1', 'x2', 'b', 'x3', 'x4', 'x5', 'c'].map((local) =>
    address(`${local}@example.test`),
  );
  const mailboxes = ['a@example.test', 'b@example.test', 'c@example.test'];

  it('pipelined: groups never hold more RCPTs than refusals left, and the session ends at the cap', async () => {
    const server = await start({ mailboxes });
    const outcome = await runSmtpSession(
      sessionOptions(server, { recipients, catchAllProbe: address('p9q8@example.test'), maxRejections: 4 }),
    );
    expect(outcome.failure).toBeNull();
    // Probe (550), a, x1, x2 → 3 refusals; then one RCPT (b, 250); then one more (x3 → 550, the 4th): stop.
    expect(codes(outcome)).toEqual([
      250,
      550,
      550,
      250,
      550,
      'rejection_limit',
      'rejection_limit',
      'rejection_limit',
    ]);
    expect(outcome.catchAll?.code).toBe(550);
    const session = await onlySession(server);
    const rcptGroups = new Map<number, string[]>();
    for (const command of session.commands.filter((item) => item.verb === 'RCPT')) {
      rcptGroups.set(command.repliesSentBefore, [
        ...(rcptGroups.get(command.repliesSentBefore) ?? []),
        command.line,
      ]);
    }
    expect([...rcptGroups.values()].map((group) => group.length)).toEqual([4, 1, 1]);
    expect(lines(session).at(-1)).toBe('QUIT');
  });

  it('one at a time: stops at the cap, the probe asked right after the first accepted recipient', async () => {
    const server = await start({ mailboxes, capabilities: ['SMTPUTF8'] });
    const outcome = await runSmtpSession(
      sessionOptions(server, { recipients, catchAllProbe: address('p9q8@example.test'), maxRejections: 2 }),
    );
    expect(outcome.pipelining).toBe(false);
    expect(codes(outcome)).toEqual([
      250,
      550,
      'rejection_limit',
      'rejection_limit',
      'rejection_limit',
      'rejection_limit',
      'rejection_limit',
      'rejection_limit',
    ]);
    expect(outcome.catchAll?.code).toBe(550);
    expect(lines(await onlySession(server)).filter((line) => line.startsWith('RCPT'))).toEqual([
      'RCPT TO:<a@example.test>',
      'RCPT TO:<p9q8@example.test>',
      'RCPT TO:<x1@example.test>',
    ]);
  });

  it('rejects a maxRejections that is not a positive integer', async () => {
    const server = await start();
    await expect(runSmtpSession(sessionOptions(server, { maxRejections: 0 }))).rejects.toThrow(
      SmtpSessionOptionsError,
    );
  });
});

describe('runSmtpSession: recipient limits and 421', () => {
  /** Answers 452 4.5.3 beyond `limit` RCPTs per transaction. */
  const limitPerTransaction = (limit: number, mailboxes: string[]): ScriptedServerOptions => {
    let count = 0;
    return {
      mailboxes,
      onCommand: (command) => {
        if (command.verb === 'MAIL' || command.verb === 'RSET') count = 0;
        if (command.verb !== 'RCPT') return undefined;
        count += 1;
        return count > limit ? '452 4.5.3 Error: too many recipients' : undefined;
      },
    };
  };
  const five = ['a', 'b', 'c', 'd', 'e'].map((local) => address(`${local}@example.test`));

  it('pipelined: asks the refused recipients again after RSET in transactions of the accepted size', async () => {
    const server = await start(limitPerTransaction(2, ['a@example.test', 'd@example.test']));
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: five }));
    expect(outcome.failure).toBeNull();
    expect(codes(outcome)).toEqual([250, 550, 550, 250, 550]);
    const verbs = (await onlySession(server)).commands.map((command) => command.verb);
    expect(verbs).toEqual([
      'EHLO',
      ...['MAIL', 'RCPT', 'RCPT', 'RCPT', 'RCPT', 'RCPT'],
      ...['RSET', 'MAIL', 'RCPT', 'RCPT'],
      ...['RSET', 'MAIL', 'RCPT'],
      'QUIT',
    ]);
  });

  it('one by one: continues in a new transaction after 452 4.5.3', async () => {
    const server = await start({ ...limitPerTransaction(2, ['e@example.test']), capabilities: [] });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: five }));
    expect(outcome.failure).toBeNull();
    expect(codes(outcome)).toEqual([550, 550, 550, 550, 250]);
    const verbs = (await onlySession(server)).commands.map((command) => command.verb);
    expect(verbs.filter((verb) => verb === 'RSET')).toHaveLength(2);
    expect(verbs.filter((verb) => verb === 'RCPT')).toHaveLength(7);
  });

  it('records a fresh transaction\'s "too many recipients" as the answers: not about the number', async () => {
    const server = await start(limitPerTransaction(0, []));
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: five.slice(0, 2) }));
    expect(outcome.failure).toBeNull();
    expect(codes(outcome)).toEqual([452, 452]);
    expect(outcome.recipients[0]?.reply).toMatchObject({
      enhancedCode: '4.5.3',
      text: 'Error: too many recipients',
    });
    const session = await onlySession(server);
    expect(session.commands.filter((command) => command.verb === 'MAIL')).toHaveLength(1);
    expect(session.quitReceived).toBe(true);
  });

  it('one by one: records each RCPT\'s "too many recipients" in a fresh transaction, and asks on', async () => {
    const server = await start({ ...limitPerTransaction(0, []), capabilities: [] });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: five.slice(0, 3) }));
    expect(outcome.failure).toBeNull();
    expect(codes(outcome)).toEqual([452, 452, 452]);
    const verbs = (await onlySession(server)).commands.map((command) => command.verb);
    expect(verbs).toEqual(['EHLO', 'MAIL', 'RCPT', 'RSET', 'MAIL', 'RCPT', 'RSET', 'MAIL', 'RCPT', 'QUIT']);
  });

  it('one by one: a recipient refused "too many" even alone does not cost the others their answers', async () => {
    const server = await start({
      mailboxes: ['a@example.test', 'd@example.test'],
      capabilities: [],
      onCommand: (command) =>
        command.line === 'RCPT TO:<b@example.test>'
          ? '452 4.5.3 only one recipient allowed with null reverse address'
          : undefined,
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: five.slice(0, 4) }));
    expect(outcome.failure).toBeNull();
    expect(codes(outcome)).toEqual([250, 452, 550, 250]);
    const verbs = (await onlySession(server)).commands.map((command) => command.verb);
    expect(verbs.filter((verb) => verb === 'RCPT')).toHaveLength(5);
  });

  it('records the refusal of a recipient the server takes in no transaction, after asking it alone once', async () => {
    const server = await start({
      mailboxes: ['a@example.test'],
      onCommand: (command) =>
        command.line === 'RCPT TO:<b@example.test>'
          ? '452-4.5.3 Domain policy size per transaction exceeded, please try this recipient\r\n452 4.5.3 in a separate transaction. - gsmtp'
          : undefined,
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: five.slice(0, 3) }));
    expect(outcome.failure).toBeNull();
    expect(codes(outcome)).toEqual([250, 452, 550]);
    const verbs = (await onlySession(server)).commands.map((command) => command.verb);
    expect(verbs).toEqual(['EHLO', 'MAIL', 'RCPT', 'RCPT', 'RCPT', 'RSET', 'MAIL', 'RCPT', 'QUIT']);
  });

  it('ends at a 421 to a RCPT: that is no answer, so that recipient and the rest are left unanswered', async () => {
    const server = await start({
      mailboxes: ['a@example.test'],
      onCommand: (command) =>
        command.line === 'RCPT TO:<b@example.test>'
          ? '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.1'
          : undefined,
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: five.slice(0, 3) }));
    expect(codes(outcome)).toEqual([250, 'session_ended', 'session_ended']);
    expect(outcome.failure).toMatchObject({ stage: 'rcpt', kind: 'reply', reply: { code: 421 } });
  });

  it('ends at a 421 the server sends on its own, at any moment', async () => {
    const server = await start({
      onCommand: (command, session) => {
        if (command.verb !== 'MAIL') return undefined;
        session.reply('421 4.3.2 System shutting down');
        session.end();
        return null;
      },
      capabilities: [],
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: five.slice(0, 1) }));
    expect(outcome.failure).toMatchObject({ stage: 'mail', kind: 'reply', reply: { code: 421 } });
    expect(codes(outcome)).toEqual(['session_ended']);
  });
});

describe('runSmtpSession: broken and hostile servers', () => {
  const QUICK = { connectMs: 1000, greetingMs: 300, commandMs: 300, totalMs: 3000 };

  it('fails at connect when nothing listens', async () => {
    const server = await start();
    const port = server.port;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const outcome = await runSmtpSession({ ...sessionOptions(server), port });
    expect(outcome).toMatchObject({
      connected: false,
      failure: { stage: 'connect', kind: 'connection' },
      smtpMs: 0,
    });
  });

  it('ends a tarpit that never greets at the greeting timeout, and says QUIT', async () => {
    const server = await start({ greeting: null });
    const outcome = await runSmtpSession(
      sessionOptions(server, { timeouts: QUICK, recipients: [address('a@example.test')] }),
    );
    expect(outcome.failure).toEqual({ stage: 'greeting', kind: 'timeout' });
    expect(outcome.transcript).toContain('*: greeting_timeout');
    expect((await onlySession(server)).quitReceived).toBe(true);
  });

  it('ends at the overall deadline even when every phase timeout is longer', async () => {
    const server = await start({ greeting: null });
    const outcome = await runSmtpSession(
      sessionOptions(server, {
        timeouts: { connectMs: 60_000, greetingMs: 60_000, commandMs: 60_000, totalMs: 300 },
      }),
    );
    expect(outcome.failure).toEqual({ stage: 'greeting', kind: 'timeout' });
    expect(outcome.transcript).toContain('*: total_timeout');
  });

  it('ends a server that drips its greeting byte by byte at the greeting timeout', async () => {
    const server = await start({
      onConnect: (session) => {
        const text = Buffer.from('220 mx.example.test ESMTP drip drip drip\r\n');
        let sent = 0;
        const timer = setInterval(() => {
          if (sent >= text.length) return clearInterval(timer);
          session.write(text.subarray(sent, sent + 1));
          sent += 1;
        }, 50);
        void session.closed.then(() => clearInterval(timer));
      },
    });
    const outcome = await runSmtpSession(sessionOptions(server, { timeouts: QUICK }));
    expect(outcome.failure).toEqual({ stage: 'greeting', kind: 'timeout' });
  });

  it('ends a drip-fed EHLO reply at the command timeout', async () => {
    const server = await start({
      onCommand: (command, session) => {
        if (command.verb !== 'EHLO') return undefined;
        const timer = setInterval(() => session.write('2'), 50);
        void session.closed.then(() => clearInterval(timer));
        return null;
      },
    });
    const outcome = await runSmtpSession(sessionOptions(server, { timeouts: QUICK }));
    expect(outcome.failure).toEqual({ stage: 'ehlo', kind: 'timeout' });
  });

  it('ends an endless multi-line reply as a protocol error, without buffering it', async () => {
    const server = await start({
      onCommand: (command, session) => {
        if (command.verb !== 'EHLO') return undefined;
        let open = true;
        void session.closed.then(() => {
          open = false;
        });
        const flood = (): void => {
          if (!open) return;
          session.write('250-SPAM SPAM SPAM SPAM SPAM SPAM SPAM SPAM\r\n'.repeat(50));
          setImmediate(flood);
        };
        flood();
        return null;
      },
    });
    const outcome = await runSmtpSession(sessionOptions(server, { timeouts: QUICK }));
    expect(outcome.failure).toEqual({ stage: 'ehlo', kind: 'protocol' });
    expect(outcome.transcript.some((line) => line.includes('too_many_lines'))).toBe(true);
    expect(outcome.transcript.length).toBeLessThanOrEqual(201);
  });

  it('ends a huge line without its end as a protocol error', async () => {
    const server = await start({ onConnect: (session) => session.write(`220 ${'x'.repeat(1024 * 1024)}`) });
    const outcome = await runSmtpSession(sessionOptions(server, { timeouts: QUICK }));
    expect(outcome.failure).toEqual({ stage: 'greeting', kind: 'protocol' });
    expect(outcome.transcript.some((line) => line.includes('line_too_long'))).toBe(true);
  });

  it('ends garbage as a protocol error, and still says QUIT', async () => {
    const server = await start({ onConnect: (session) => session.write('HTTP/1.1 400 Bad Request\r\n\r\n') });
    const outcome = await runSmtpSession(sessionOptions(server, { timeouts: QUICK }));
    expect(outcome.failure).toEqual({ stage: 'greeting', kind: 'protocol' });
    expect((await onlySession(server)).quitReceived).toBe(true);
  });

  it('treats a reply nobody asked for as a protocol error', async () => {
    const server = await start({
      onCommand: (command) => (command.verb === 'EHLO' ? '250 mx.example.test\r\n250 surprise' : undefined),
    });
    const outcome = await runSmtpSession(sessionOptions(server, { recipients: [address('a@example.test')] }));
    expect(outcome.failure).toMatchObject({ kind: 'protocol' });
    expect(codes(outcome)).toEqual(['session_ended']);
  });

  it('reports a connection dropped mid-session, keeping the replies already received', async () => {
    const server = await start({
      capabilities: [],
      mailboxes: ['a@example.test'],
      onCommand: (command, session) => {
        if (command.line !== 'RCPT TO:<b@example.test>') return undefined;
        session.destroy();
        return null;
      },
    });
    const outcome = await runSmtpSession(
      sessionOptions(server, {
        recipients: ['a', 'b', 'c'].map((local) => address(`${local}@example.test`)),
      }),
    );
    expect(outcome.failure).toEqual({ stage: 'rcpt', kind: 'connection' });
    expect(codes(outcome)).toEqual([250, 'session_ended', 'session_ended']);
  });

  it('does not wait long for the 221 after QUIT', async () => {
    const server = await start({ onCommand: (command) => (command.verb === 'QUIT' ? null : undefined) });
    const outcome = await runSmtpSession(
      sessionOptions(server, { recipients: [address('a@example.test')], timeouts: QUICK }),
    );
    expect(outcome.failure).toBeNull();
    expect((await onlySession(server)).quitReceived).toBe(true);
  });
});

describe('runSmtpSession: caller controls', () => {
  it('rejects with the abort reason when the signal fires, after saying QUIT', async () => {
    const server = await start({ greeting: null });
    const controller = new AbortController();
    const running = runSmtpSession(sessionOptions(server, { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('stop now')), 100);
    await expect(running).rejects.toThrow('stop now');
    expect((await onlySession(server)).quitReceived).toBe(true);
  });

  it('does not connect when the signal has already fired', async () => {
    const server = await start();
    await expect(
      runSmtpSession(sessionOptions(server, { signal: AbortSignal.abort() })),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('binds the configured source address', async () => {
    const server = await start({ mailboxes: ['a@example.test'] });
    await runSmtpSession(
      sessionOptions(server, { sourceAddress: '127.0.2.1', recipients: [address('a@example.test')] }),
    );
    expect((await onlySession(server)).clientAddress).toBe('127.0.2.1');
  });

  it('refuses a source address of the other family', async () => {
    const server = await start();
    await expect(runSmtpSession(sessionOptions(server, { sourceAddress: '::1' }))).rejects.toBeInstanceOf(
      SmtpSessionOptionsError,
    );
  });

  it('refuses to send a command carrying CR/LF, before writing any of its group', async () => {
    const server = await start();
    const smuggled = address('a@example.test>\r\nDATA\r\nRCPT TO:<b@example.test');
    await expect(
      runSmtpSession(sessionOptions(server, { recipients: [address('ok@example.test'), smuggled] })),
    ).rejects.toBeInstanceOf(UnsafeCommandError);
    const session = await onlySession(server);
    expect(lines(session)).toEqual(['EHLO probe.mailprobe.test', 'QUIT']);
  });

  it('refuses a HELO name carrying a control byte', async () => {
    const server = await start();
    await expect(
      runSmtpSession(sessionOptions(server, { heloName: 'probe\u0000.test' })),
    ).rejects.toBeInstanceOf(UnsafeCommandError);
    expect(lines(await onlySession(server))).toEqual(['QUIT']);
  });

  it('speaks IPv6', async () => {
    const server = await start({ host: '::1', mailboxes: ['a@example.test'] });
    const outcome = await runSmtpSession(
      sessionOptions(server, { family: 6, sourceAddress: '::1', recipients: [address('a@example.test')] }),
    );
    expect(outcome.failure).toBeNull();
    expect(codes(outcome)).toEqual([250]);
  });
});
