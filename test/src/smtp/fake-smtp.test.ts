import { afterEach, describe, expect, it } from 'vitest';
import { RawSmtpClient } from '../testing/raw-smtp-client.js';
import { startFakeSmtp } from './fake-smtp.js';
import type { FakeSmtpOptions, FakeSmtpServer } from './fake-smtp-options.js';

const servers: FakeSmtpServer[] = [];
const clients: RawSmtpClient[] = [];

async function start(options: FakeSmtpOptions = {}): Promise<FakeSmtpServer> {
  const server = await startFakeSmtp(options);
  servers.push(server);
  return server;
}

async function connect(server: FakeSmtpServer, localAddress?: string): Promise<RawSmtpClient> {
  const client = await RawSmtpClient.connect(server.host, server.port, localAddress);
  clients.push(client);
  return client;
}

/** Connect, read the greeting, EHLO, MAIL FROM. */
async function openTransaction(server: FakeSmtpServer, localAddress?: string): Promise<RawSmtpClient> {
  const client = await connect(server, localAddress);
  expect((await client.readReply()).code).toBe(220);
  expect((await client.command('EHLO probe.test')).code).toBe(250);
  expect((await client.command('MAIL FROM:<check@probe.test>')).code).toBe(250);
  return client;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('startFakeSmtp: addresses', () => {
  it('listens on a fresh 127.1.x.y by default, each server on its own address', async () => {
    const [first, second] = await Promise.all([start(), start()]);
    expect(first?.host).toMatch(/^127\.1\.\d{1,3}\.\d{1,3}$/);
    expect(first?.host).not.toBe(second?.host);
    expect(first?.hostname).toMatch(/^mx\.[0-9a-f]+\.test$/);
  });

  it('listens on ::1 when asked', async () => {
    const server = await start({ host: '::1', hostname: 'mx6.example.test' });
    const client = await connect(server);
    expect(await client.readReply()).toEqual({
      code: 220,
      lines: ['mx6.example.test ESMTP Mailprobe fake MX'],
    });
    await client.command('QUIT');
    await waitUntil(() => server.sessions[0]?.endedAt != null);
    expect(server.sessions[0]?.clientAddress).toBe('::1');
  });
});

describe('startFakeSmtp: dialogue', () => {
  it('greets and lists its capabilities in a multi-line EHLO reply', async () => {
    const server = await start({ hostname: 'mx.example.test' });
    const client = await connect(server);
    expect(await client.readReply()).toEqual({
      code: 220,
      lines: ['mx.example.test ESMTP Mailprobe fake MX'],
    });
    const ehlo = await client.command('EHLO probe.test');
    expect(ehlo.code).toBe(250);
    expect(ehlo.lines).toEqual([
      'mx.example.test',
      'PIPELINING',
      'SIZE 35882577',
      'ENHANCEDSTATUSCODES',
      '8BITMIME',
      'SMTPUTF8',
    ]);
  });

  it('leaves out PIPELINING and SMTPUTF8 when turned off, and offers STARTTLS when turned on', async () => {
    const server = await start({ pipelining: false, smtputf8: false, starttls: true });
    const client = await connect(server);
    await client.readReply();
    const { lines } = await client.command('EHLO probe.test');
    expect(lines).not.toContain('PIPELINING');
    expect(lines).not.toContain('SMTPUTF8');
    expect(lines).toContain('STARTTLS');
    expect((await client.command('MAIL FROM:<a@probe.test> SMTPUTF8')).code).toBe(555);
  });

  it('answers RCPT per mailbox: known 250, unknown 550 5.1.1, disabled 550 5.2.1, full 452 4.2.2', async () => {
    const server = await start({
      mailboxes: ['alice@Example.test'],
      disabled: ['old@example.test'],
      full: ['hoarder@example.test'],
    });
    const client = await openTransaction(server);
    expect(await client.command('RCPT TO:<alice@EXAMPLE.TEST>')).toEqual({ code: 250, lines: ['2.1.5 Ok'] });
    const unknown = await client.command('RCPT TO:<bob@example.test>');
    expect(unknown.code).toBe(550);
    expect(unknown.lines[0]).toMatch(/^5\.1\.1 <bob@example\.test>: .*User unknown/);
    expect((await client.command('RCPT TO:<Alice@example.test>')).code).toBe(550);
    expect((await client.command('RCPT TO:<old@example.test>')).lines[0]).toMatch(/^5\.2\.1 /);
    const full = await client.command('RCPT TO:<hoarder@example.test>');
    expect([full.code, full.lines[0]?.slice(0, 5)]).toEqual([452, '4.2.2']);
  });

  it('accepts every recipient when catch-all', async () => {
    const server = await start({ catchAll: true });
    const client = await openTransaction(server);
    expect((await client.command('RCPT TO:<anything-x7q@example.test>')).code).toBe(250);
  });

  it('sends scripted raw replies verbatim, multi-line included', async () => {
    const server = await start({
      rcptReplies: {
        'gone@example.test':
          '550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1 https://support.example/mail',
      },
    });
    const client = await openTransaction(server);
    expect(await client.command('RCPT TO:<gone@example.test>')).toEqual({
      code: 550,
      lines: [
        '5.1.1 The email account that you tried to reach does not exist.',
        '5.1.1 https://support.example/mail',
      ],
    });
  });

  it('answers every address that is no mailbox with unknownReply, the address put in', async () => {
    const server = await start({
      mailboxes: ['alice@example.test'],
      unknownReply: '554 5.7.1 <{recipient}>: Recipient address rejected: Access denied',
    });
    const client = await openTransaction(server);
    expect(await client.command('RCPT TO:<alice@example.test>')).toEqual({ code: 250, lines: ['2.1.5 Ok'] });
    expect(await client.command('RCPT TO:<nobody@example.test>')).toEqual({
      code: 554,
      lines: ['5.7.1 <nobody@example.test>: Recipient address rejected: Access denied'],
    });
  });

  it('greylists each (client, sender, recipient) triple until greylistMs has passed', async () => {
    const greylistMs = 300;
    const server = await start({ catchAll: true, greylistMs });
    const client = await openTransaction(server);
    const first = await client.command('RCPT TO:<a@example.test>');
    expect(first.code).toBe(451);
    expect(first.lines[0]).toMatch(/^4\.7\.1 .*Greylisted/);
    expect((await client.command('RCPT TO:<a@example.test>')).code).toBe(451);
    await new Promise((resolve) => setTimeout(resolve, greylistMs + 50));
    expect((await client.command('RCPT TO:<a@example.test>')).code).toBe(250);
    expect((await client.command('RCPT TO:<b@example.test>')).code).toBe(451);
    expect((await client.command('RSET')).code).toBe(250);
    expect((await client.command('MAIL FROM:<other@probe.test>')).code).toBe(250);
    expect((await client.command('RCPT TO:<a@example.test>')).code).toBe(451);
  });

  it('refuses clients outside allowedClients with 554 5.7.1 at RCPT', async () => {
    const server = await start({ catchAll: true, allowedClients: ['127.0.2.0/29', '::1'] });
    const allowed = await openTransaction(server, '127.0.2.3');
    expect((await allowed.command('RCPT TO:<a@example.test>')).code).toBe(250);
    const refused = await openTransaction(server, '127.0.2.9');
    const reply = await refused.command('RCPT TO:<a@example.test>');
    expect(reply.code).toBe(554);
    expect(reply.lines[0]).toMatch(/^5\.7\.1 .*127\.0\.2\.9.*Client host rejected/);
  });

  it('refuses clients outside allowedClients at the greeting with blockAtGreeting, then only honours QUIT', async () => {
    const server = await start({ allowedClients: ['127.0.2.0/29'], blockAtGreeting: true });
    const client = await connect(server, '127.0.3.1');
    const greeting = await client.readReply();
    expect(greeting.code).toBe(554);
    expect(greeting.lines[0]).toMatch(/^5\.7\.1 /);
    expect((await client.command('EHLO probe.test')).code).toBe(503);
    expect((await client.command('QUIT')).code).toBe(221);
    await client.waitForClose();
    const allowed = await connect(server, '127.0.2.1');
    expect((await allowed.readReply()).code).toBe(220);
  });

  it('answers 421 4.7.0 at the greeting beyond maxConnectionsPerMinute from one client', async () => {
    const server = await start({ maxConnectionsPerMinute: 2 });
    for (let index = 0; index < 2; index++) {
      const client = await connect(server, '127.0.2.1');
      expect((await client.readReply()).code).toBe(220);
    }
    const third = await connect(server, '127.0.2.1');
    const reply = await third.readReply();
    expect(reply.code).toBe(421);
    expect(reply.lines[0]).toMatch(/^4\.7\.0 .*too many connections/);
    await third.waitForClose();
    const otherClient = await connect(server, '127.0.2.2');
    expect((await otherClient.readReply()).code).toBe(220);
  });

  it('answers 452 4.5.3 beyond maxRecipientsPerTransaction, and RSET starts afresh', async () => {
    const server = await start({ catchAll: true, maxRecipientsPerTransaction: 2 });
    const client = await openTransaction(server);
    expect((await client.command('RCPT TO:<a@example.test>')).code).toBe(250);
    expect((await client.command('RCPT TO:<b@example.test>')).code).toBe(250);
    const third = await client.command('RCPT TO:<c@example.test>');
    expect([third.code, third.lines[0]?.slice(0, 5)]).toEqual([452, '4.5.3']);
    await client.command('RSET');
    await client.command('MAIL FROM:<check@probe.test>');
    expect((await client.command('RCPT TO:<c@example.test>')).code).toBe(250);
  });

  it('cuts the session with 421 too many errors after maxRejectedRecipients refused RCPTs', async () => {
    const server = await start({
      hostname: 'mx.limit.test',
      mailboxes: ['a@example.test'],
      maxRejectedRecipients: 2,
    });
    const client = await openTransaction(server);
    expect((await client.command('RCPT TO:<x@example.test>')).code).toBe(550);
    expect((await client.command('RCPT TO:<a@example.test>')).code).toBe(250);
    expect((await client.command('RCPT TO:<y@example.test>')).code).toBe(550);
    const cut = await client.command('RCPT TO:<a@example.test>');
    expect([cut.code, cut.lines[0]]).toEqual([421, '4.7.0 mx.limit.test Error: too many errors']);
    await client.waitForClose();
  });

  it('rejects EHLO with 502 when HELO-only, and accepts HELO', async () => {
    const server = await start({ heloOnly: true, catchAll: true });
    const client = await connect(server);
    await client.readReply();
    expect((await client.command('EHLO probe.test')).code).toBe(502);
    expect(await client.command('HELO probe.test')).toEqual({ code: 250, lines: [server.hostname] });
    expect((await client.command('MAIL FROM:<check@probe.test>')).code).toBe(250);
    expect((await client.command('RCPT TO:<a@example.test>')).code).toBe(250);
  });

  it('requires the SMTPUTF8 parameter for a non-ASCII recipient', async () => {
    const server = await start({ catchAll: true });
    const plain = await openTransaction(server);
    expect((await plain.command('RCPT TO:<jörg@example.test>')).lines[0]).toMatch(/^5\.6\.7 /);
    const utf8 = await connect(server);
    await utf8.readReply();
    await utf8.command('EHLO probe.test');
    expect((await utf8.command('MAIL FROM:<check@probe.test> SMTPUTF8')).code).toBe(250);
    expect((await utf8.command('RCPT TO:<jörg@example.test>')).code).toBe(250);
    expect(server.sessions[1]?.commands.at(-1)).toBe('RCPT TO:<jörg@example.test>');
  });

  it('enforces command order', async () => {
    const server = await start({ catchAll: true });
    const client = await connect(server);
    await client.readReply();
    expect((await client.command('MAIL FROM:<check@probe.test>')).code).toBe(503);
    expect((await client.command('EHLO probe.test')).code).toBe(250);
    expect((await client.command('RCPT TO:<a@example.test>')).code).toBe(503);
    expect((await client.command('FROB')).code).toBe(500);
  });
});

describe('startFakeSmtp: recording', () => {
  it('records client address, HELO, every command verbatim, QUIT and DATA', async () => {
    const server = await start({ catchAll: true });
    const client = await openTransaction(server, '127.0.2.5');
    const clientPort = client.socket.localPort;
    await client.command('RCPT TO:<a@example.test>');
    expect((await client.command('DATA')).code).toBe(354);
    client.send('Subject: hi\r\n\r\nbody\r\n.\r\n');
    expect((await client.readReply()).code).toBe(250);
    await client.command('quit');
    await client.waitForClose();
    await waitUntil(() => server.activeSessions === 0);
    const [session] = server.sessions;
    expect(session).toMatchObject({
      clientAddress: '127.0.2.5',
      helo: 'probe.test',
      tls: false,
      commands: [
        'EHLO probe.test',
        'MAIL FROM:<check@probe.test>',
        'RCPT TO:<a@example.test>',
        'DATA',
        'quit',
      ],
      quitReceived: true,
      dataReceived: true,
    });
    expect(session?.clientPort).toBe(clientPort);
    expect(session?.endedAt).toBeGreaterThanOrEqual(session?.startedAt ?? Number.POSITIVE_INFINITY);
  });

  it('keeps a bare CR inside a recorded command so tests can catch injection', async () => {
    const server = await start({ catchAll: true });
    const client = await openTransaction(server);
    await client.command('RCPT TO:<a\r@example.test>');
    expect(server.sessions[0]?.commands.at(-1)).toBe('RCPT TO:<a\r@example.test>');
    expect(server.sessions[0]?.quitReceived).toBe(false);
    expect(server.sessions[0]?.dataReceived).toBe(false);
  });

  it('counts peak concurrency across parallel clients', async () => {
    const server = await start();
    const parallel = await Promise.all([connect(server), connect(server), connect(server)]);
    await Promise.all(parallel.map((client) => client.readReply()));
    expect(server.activeSessions).toBe(3);
    for (const client of parallel) await client.command('QUIT');
    await waitUntil(() => server.activeSessions === 0);
    const later = await connect(server);
    await later.readReply();
    expect(server.peakConcurrency).toBe(3);
    expect(server.sessions).toHaveLength(4);
  });

  it('ends a session when QUIT is answered, so a client that waits for 221 never overlaps itself', async () => {
    const server = await start();
    for (let round = 0; round < 5; round++) {
      const client = await connect(server);
      await client.readReply();
      expect((await client.command('QUIT')).code).toBe(221);
    }
    expect(server.sessions).toHaveLength(5);
    expect(server.peakConcurrency).toBe(1);
  });

  it('closes open connections on close()', async () => {
    const server = await start();
    const client = await connect(server);
    await client.readReply();
    await server.close();
    await client.waitForClose();
    expect(client.closed).toBe(true);
  });
});

describe('startFakeSmtp: simulated round trips', () => {
  it('answers a pipelined group in one segment after one reply delay', async () => {
    const replyDelayMs = 150;
    const server = await start({ catchAll: true, replyDelayMs });
    const client = await connect(server);
    await client.readReply();
    await client.command('EHLO probe.test');
    const chunksBefore = client.chunks.length;
    const sentAt = performance.now();
    client.send('MAIL FROM:<check@probe.test>\r\nRCPT TO:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n');
    const replies = [await client.readReply(), await client.readReply(), await client.readReply()];
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(replyDelayMs - 5);
    expect(replies.map((reply) => reply.code)).toEqual([250, 250, 250]);
    expect(client.chunks.length - chunksBefore).toBe(1);
  });

  it('delays every reply, greeting included, when sent one at a time', async () => {
    const replyDelayMs = 100;
    const server = await start({ replyDelayMs, greetingDelayMs: 50 });
    const connectedAt = performance.now();
    const client = await connect(server);
    await client.readReply();
    expect(performance.now() - connectedAt).toBeGreaterThanOrEqual(replyDelayMs + 50 - 5);
    const sentAt = performance.now();
    await client.command('EHLO probe.test');
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(replyDelayMs - 5);
  });
});
