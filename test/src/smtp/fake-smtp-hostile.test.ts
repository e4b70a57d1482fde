import { afterEach, describe, expect, it } from 'vitest';
import { RawSmtpClient } from '../testing/raw-smtp-client.js';
import { startFakeSmtp } from './fake-smtp.js';
import { type FakeSmtpOptions, type FakeSmtpServer, SMTP_LIMITS } from './fake-smtp-options.js';

const servers: FakeSmtpServer[] = [];
const clients: RawSmtpClient[] = [];

async function connectTo(
  options: FakeSmtpOptions,
): Promise<{ server: FakeSmtpServer; client: RawSmtpClient }> {
  const server = await startFakeSmtp(options);
  servers.push(server);
  const client = await RawSmtpClient.connect(server.host, server.port);
  clients.push(client);
  return { server, client };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('startFakeSmtp: hostile behaviours', () => {
  it('never-greet: stays silent but records what the client sends', async () => {
    const { server, client } = await connectTo({ behaviour: 'never-greet' });
    client.send('EHLO impatient.test\r\n');
    await sleep(300);
    expect(client.chunks).toEqual([]);
    expect(client.closed).toBe(false);
    expect(server.sessions[0]?.commands).toEqual(['EHLO impatient.test']);
  });

  it('greetingDelayMs: greets late, and answers commands sent before the greeting after it', async () => {
    const server = await startFakeSmtp({ greetingDelayMs: 200 });
    servers.push(server);
    const connectingAt = performance.now();
    const client = await RawSmtpClient.connect(server.host, server.port);
    clients.push(client);
    client.send('EHLO eager.test\r\n');
    expect((await client.readReply()).code).toBe(220);
    expect(performance.now() - connectingAt).toBeGreaterThanOrEqual(195);
    expect((await client.readReply()).code).toBe(250);
    expect(server.sessions[0]?.commands).toEqual(['EHLO eager.test']);
  });

  it('drop-after-greeting: greets, then closes without a reply when the client speaks', async () => {
    const { server, client } = await connectTo({ behaviour: 'drop-after-greeting' });
    expect((await client.readReply()).code).toBe(220);
    client.send('EHLO probe.test\r\n');
    await client.waitForClose();
    expect(client.unread).toBe('');
    expect(server.sessions[0]?.commands).toEqual(['EHLO probe.test']);
  });

  it('drop-at-rcpt: answers up to MAIL, then closes at RCPT without a reply', async () => {
    const { server, client } = await connectTo({ behaviour: 'drop-at-rcpt', catchAll: true });
    await client.readReply();
    await client.command('EHLO probe.test');
    client.send('MAIL FROM:<check@probe.test>\r\nRCPT TO:<a@example.test>\r\n');
    expect((await client.readReply()).code).toBe(250);
    await client.waitForClose();
    expect(client.unread).toBe('');
    expect(server.sessions[0]?.quitReceived).toBe(false);
  });

  it('drip: sends the greeting one byte at a time', async () => {
    const { client } = await connectTo({ behaviour: 'drip' });
    await sleep(SMTP_LIMITS.dripIntervalMs * 2 + 300);
    expect(client.chunks.length).toBeGreaterThanOrEqual(2);
    expect(client.chunks.every((chunk) => chunk.length === 1)).toBe(true);
    expect('220 '.startsWith(client.unread)).toBe(true);
  });

  it('garbage: sends bytes that are no reply, and more garbage for each command', async () => {
    const { server, client } = await connectTo({ behaviour: 'garbage' });
    await client.waitForBytes(SMTP_LIMITS.garbageBytes);
    const greeting = Buffer.concat(client.chunks);
    expect(greeting[0]).toBeGreaterThanOrEqual(0x80);
    expect(greeting.subarray(0, 3).toString('latin1')).not.toMatch(/^\d{3}/);
    client.send('EHLO probe.test\r\n');
    await client.waitForBytes(greeting.length + SMTP_LIMITS.garbageBytes);
    expect(server.sessions[0]?.commands).toEqual(['EHLO probe.test']);
  });

  it('huge-line: sends a greeting line far longer than any sane bound', async () => {
    const { client } = await connectTo({ behaviour: 'huge-line' });
    const oneMebibyte = 1024 * 1024;
    await client.waitForBytes(oneMebibyte);
    expect(client.unread.startsWith('220 xxxx')).toBe(true);
    expect(client.unread.slice(0, oneMebibyte)).not.toContain('\r\n');
  });

  it('endless-multiline: sends continuation lines without end', async () => {
    const { client } = await connectTo({ behaviour: 'endless-multiline' });
    await client.waitForBytes(256 * 1024);
    const lines = client.unread.split('\r\n').slice(0, -1);
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.every((line) => line.startsWith('220-'))).toBe(true);
  });

  it('greeting-554: refuses service at the greeting, answers 503 until QUIT', async () => {
    const { server, client } = await connectTo({ behaviour: 'greeting-554' });
    expect((await client.readReply()).code).toBe(554);
    expect((await client.command('EHLO probe.test')).code).toBe(503);
    expect((await client.command('QUIT')).code).toBe(221);
    await client.waitForClose();
    expect(server.sessions[0]?.quitReceived).toBe(true);
  });

  it('closes a hostile connection quickly on close()', async () => {
    const { server, client } = await connectTo({ behaviour: 'drip' });
    await client.waitForBytes(1);
    await server.close();
    await client.waitForClose();
    expect(server.activeSessions).toBe(0);
  });
});
