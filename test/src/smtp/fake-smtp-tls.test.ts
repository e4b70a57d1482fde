import { afterEach, describe, expect, it } from 'vitest';
import { RawSmtpClient } from '../testing/raw-smtp-client.js';
import { startFakeSmtp } from './fake-smtp.js';
import type { FakeSmtpServer } from './fake-smtp-options.js';

let server: FakeSmtpServer | undefined;
let client: RawSmtpClient | undefined;

afterEach(async () => {
  client?.close();
  await server?.close();
});

describe('startFakeSmtp: STARTTLS', () => {
  it('upgrades to TLS with a self-signed certificate, then forgets the pre-TLS state', async () => {
    server = await startFakeSmtp({ starttls: true, catchAll: true });
    client = await RawSmtpClient.connect(server.host, server.port);
    await client.readReply();
    expect((await client.command('EHLO probe.test')).lines).toContain('STARTTLS');
    // Plaintext pipelined after STARTTLS must be discarded (RFC 3207 §4.2).
    client.send('STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n');
    expect(await client.readReply()).toEqual({ code: 220, lines: ['2.0.0 Ready to start TLS'] });
    await client.startTls();
    expect((await client.command('MAIL FROM:<check@probe.test>')).code).toBe(503);
    const ehlo = await client.command('EHLO probe.test');
    expect(ehlo.code).toBe(250);
    expect(ehlo.lines).not.toContain('STARTTLS');
    expect((await client.command('STARTTLS')).code).toBe(503);
    expect((await client.command('MAIL FROM:<check@probe.test>')).code).toBe(250);
    expect((await client.command('RCPT TO:<a@example.test>')).code).toBe(250);
    await client.command('QUIT');
    await client.waitForClose();
    expect(server.sessions[0]).toMatchObject({
      tls: true,
      quitReceived: true,
      commands: [
        'EHLO probe.test',
        'STARTTLS',
        'MAIL FROM:<check@probe.test>',
        'EHLO probe.test',
        'STARTTLS',
        'MAIL FROM:<check@probe.test>',
        'RCPT TO:<a@example.test>',
        'QUIT',
      ],
    });
  });

  it('refuses STARTTLS when not offered', async () => {
    server = await startFakeSmtp();
    client = await RawSmtpClient.connect(server.host, server.port);
    await client.readReply();
    await client.command('EHLO probe.test');
    expect((await client.command('STARTTLS')).code).toBe(502);
  });
});
