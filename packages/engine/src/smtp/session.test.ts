import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedServer, type ScriptedServerOptions, startScriptedServer } from './__fixtures__/scripted-server.js';
import { runSmtpSession } from './session.js';
import type { ProbeAddress, SmtpSessionOptions } from './types.js';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const server = await startScriptedServer(options);
  servers.push(server);
  return server;
}

const address = (normalized: string, needsSmtpUtf8 = false): ProbeAddress => ({ normalized, needsSmtpUtf8 });

const TIMEOUTS = { connectMs: 2000, greetingMs: 2000, commandMs: 2000, totalMs: 5000 };

function sessionOptions(server: ScriptedServer, overrides: Partial<SmtpSessionOptions> = {}): SmtpSessionOptions {
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

describe('runSmtpSession — happy path', () => {
  it('asks every recipient in one pipelined group and ends with QUIT, never DATA', async () => {
    const server = await start({ mailboxes: ['alice@example.test'] });
    const outcome = await runSmtpSession(
      sessionOptions(server, {
        recipients: [address('alice@example.test'), address('nobody@example.test')],
        catchAllProbe: address('x7q2z9@example.test'),
      }),
    );
    expect(outcome.failure).toBeNull();
    expect(outcome.connected).toBe(true);
    expect(outcome.pipelining).toBe(true);
    expect(outcome.recipients.map((recipient) => recipient.reply?.code)).toEqual([250, 550]);
    expect(outcome.recipients[1]?.reply?.enhancedCode).toBe('5.1.1');
    expect(outcome.catchAll?.code).toBe(550);
    const [session] = server.sessions;
    await session?.closed;
    expect(session?.helo).toBe('probe.mailprobe.test');
    expect(session?.commands.map((command) => command.line)).toEqual([
      'EHLO probe.mailprobe.test',
      'MAIL FROM:<probe@mailprobe.test>',
      'RCPT TO:<alice@example.test>',
      'RCPT TO:<nobody@example.test>',
      'RCPT TO:<x7q2z9@example.test>',
      'QUIT',
    ]);
    expect(session?.dataReceived).toBe(false);
    expect(session?.quitReceived).toBe(true);
    expect(outcome.transcript[0]).toMatch(/^\*: connected to/);
  });
});
