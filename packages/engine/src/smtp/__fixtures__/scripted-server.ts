import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';

/** A command line as the server received it. */
export interface ReceivedCommand {
  line: string;
  /** Upper-case first word: EHLO, MAIL, RCPT … */
  verb: string;
  /** Replies the server had written when the chunk carrying this line arrived (pipelining shows as equal counts). */
  repliesSentBefore: number;
  tls: boolean;
}

/** One client connection, recorded. */
export interface ScriptedSession {
  clientAddress: string;
  clientPort: number;
  helo: string | null;
  tls: boolean;
  commands: ReceivedCommand[];
  quitReceived: boolean;
  dataReceived: boolean;
  repliesSent: number;
  /** Resolves when the connection is gone. */
  closed: Promise<void>;
  /** Writes raw bytes (no line ending added). */
  write(raw: string | Uint8Array): void;
  /** Writes a reply: lines joined with CRLF, CRLF appended. */
  reply(reply: string): void;
  /** Switches to TLS now (after the caller wrote its own 220); needs the server's `tls` option. */
  startTls(): void;
  end(): void;
  destroy(): void;
}

/** What `onCommand` returns: a reply, `null` for no reply at all, `undefined` for the default behaviour. */
export type ScriptedReply = string | null | undefined;

export interface ScriptedServerOptions {
  /** Loopback address to listen on. */
  host?: string;
  hostname?: string;
  /** The greeting (CRLF between lines of a multi-line one); null never greets. Default `220 <hostname> ESMTP`. */
  greeting?: string | null;
  /** Replaces the greeting entirely (drip-feeding, garbage …). */
  onConnect?: (session: ScriptedSession) => void;
  /** EHLO keywords. Default PIPELINING, SMTPUTF8, 8BITMIME, SIZE. STARTTLS is added when `tls` is set. */
  capabilities?: string[];
  /** RCPTs accepted (case-insensitive); others get `550 5.1.1 … User unknown`. */
  mailboxes?: string[];
  catchAll?: boolean;
  /** Offer STARTTLS with this certificate. */
  tls?: { key: string; cert: string };
  /** Decide the reply to one command; may be async. */
  onCommand?: (command: ReceivedCommand, session: ScriptedSession) => ScriptedReply | Promise<ScriptedReply>;
}

export interface ScriptedServer {
  host: string;
  port: number;
  hostname: string;
  sessions: ScriptedSession[];
  close(): Promise<void>;
}

export const DEFAULT_CAPABILITIES = ['PIPELINING', 'SMTPUTF8', '8BITMIME', 'SIZE 10240000'];

/** Starts a scripted SMTP server on an ephemeral loopback port, for exact control of transcripts. */
export async function startScriptedServer(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const host = options.host ?? '127.0.0.1';
  const hostname = options.hostname ?? 'mx.scripted.test';
  const sessions: ScriptedSession[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    sessions.push(handleConnection(socket, options, hostname));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('scripted server: no address');
  return {
    host,
    port: address.port,
    hostname,
    sessions,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function handleConnection(raw: Socket, options: ScriptedServerOptions, hostname: string): ScriptedSession {
  let socket: Socket = raw;
  let buffer = '';
  let queue = Promise.resolve();
  let upgrading = false;
  raw.on('error', () => {});
  const session: ScriptedSession = {
    clientAddress: raw.remoteAddress ?? '',
    clientPort: raw.remotePort ?? 0,
    helo: null,
    tls: false,
    commands: [],
    quitReceived: false,
    dataReceived: false,
    repliesSent: 0,
    closed: new Promise<void>((resolve) => raw.once('close', () => resolve())),
    write: (data) => {
      if (!socket.destroyed) socket.write(data);
    },
    reply: (reply) => {
      session.repliesSent += 1;
      session.write(`${reply}\r\n`);
    },
    startTls: () => {
      if (!options.tls) throw new Error('scripted server: startTls needs the tls option');
      upgrade(options.tls);
    },
    end: () => socket.end(),
    destroy: () => socket.destroy(),
  };

  const onData = (chunk: Buffer): void => {
    if (upgrading) return;
    buffer += chunk.toString('utf8');
    const lines = buffer.split(/\r?\n/);
    buffer = lines.pop() ?? '';
    const repliesSentBefore = session.repliesSent;
    for (const line of lines) {
      const command: ReceivedCommand = {
        line,
        verb: (line.split(' ')[0] ?? '').split(':')[0]?.toUpperCase() ?? '',
        repliesSentBefore,
        tls: session.tls,
      };
      session.commands.push(command);
      if (command.verb === 'QUIT') session.quitReceived = true;
      if (command.verb === 'DATA') session.dataReceived = true;
      queue = queue.then(() => (upgrading ? undefined : respond(command)));
    }
  };

  const respond = async (command: ReceivedCommand): Promise<void> => {
    const custom = await options.onCommand?.(command, session);
    if (custom === null) return;
    if (custom !== undefined) {
      session.reply(custom);
      // A 421 closes the channel, as RFC 5321 §3.8 says.
      if (custom.split('\r\n').at(-1)?.startsWith('421 ')) session.end();
      return;
    }
    defaultReply(command);
  };

  const defaultReply = (command: ReceivedCommand): void => {
    const argument = command.line.slice(command.verb.length).trim();
    switch (command.verb) {
      case 'EHLO': {
        session.helo = argument;
        const keywords = [...(options.capabilities ?? DEFAULT_CAPABILITIES)];
        if (options.tls && !session.tls) keywords.push('STARTTLS');
        const lines = [`${hostname} greets ${argument}`, ...keywords];
        session.reply(lines.map((line, index) => `250${index === lines.length - 1 ? ' ' : '-'}${line}`).join('\r\n'));
        return;
      }
      case 'HELO':
        session.helo = argument;
        session.reply(`250 ${hostname}`);
        return;
      case 'MAIL':
        session.reply('250 2.1.0 Ok');
        return;
      case 'RCPT': {
        const address = /<(.*)>/.exec(command.line)?.[1] ?? '';
        const known = (options.mailboxes ?? []).some((mailbox) => mailbox.toLowerCase() === address.toLowerCase());
        session.reply(
          known || options.catchAll
            ? '250 2.1.5 Ok'
            : `550 5.1.1 <${address}>: Recipient address rejected: User unknown in virtual mailbox table`,
        );
        return;
      }
      case 'RSET':
      case 'NOOP':
        session.reply('250 2.0.0 Ok');
        return;
      case 'DATA':
        session.reply('354 End data with <CR><LF>.<CR><LF>');
        return;
      case 'QUIT':
        session.reply('221 2.0.0 Bye');
        session.end();
        return;
      case 'STARTTLS':
        if (options.tls && !session.tls) {
          session.reply('220 2.0.0 Ready to start TLS');
          upgrade(options.tls);
          return;
        }
        session.reply('502 5.5.1 Error: command not implemented');
        return;
      default:
        session.reply('502 5.5.2 Error: command not recognized');
    }
  };

  const upgrade = (credentials: { key: string; cert: string }): void => {
    upgrading = true;
    buffer = '';
    raw.off('data', onData);
    const secure = new TLSSocket(raw, { isServer: true, key: credentials.key, cert: credentials.cert });
    secure.on('error', () => {});
    secure.once('secure', () => {
      socket = secure;
      session.tls = true;
      upgrading = false;
    });
    secure.on('data', onData);
  };

  raw.on('data', onData);
  if (options.onConnect) options.onConnect(session);
  else if (options.greeting !== null) session.reply(options.greeting ?? `220 ${hostname} ESMTP`);
  return session;
}

/** A throw-away self-signed certificate made with the openssl CLI. */
export function createSelfSignedCertificate(commonName = 'mx.scripted.test'): { key: string; cert: string } {
  const directory = mkdtempSync(join(tmpdir(), 'mailprobe-cert-'));
  try {
    const keyPath = join(directory, 'key.pem');
    const certPath = join(directory, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1']
        .concat(['-subj', `/CN=${commonName}`, '-keyout', keyPath, '-out', certPath]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
