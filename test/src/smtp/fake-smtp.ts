import { randomBytes } from 'node:crypto';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { FakeNetworkError } from '../errors.js';
import {
  cidrMatcher,
  isAddressInUse,
  listen,
  MAX_BIND_ATTEMPTS,
  normalizeAddress,
  randomLoopbackAddress,
} from '../net/loopback.js';
import { ConnectionRate } from './connection-rate.js';
import {
  type FakeSmtpOptions,
  type FakeSmtpServer,
  type ResolvedSmtpOptions,
  SMTP_LIMITS,
  type SmtpSessionRecord,
} from './fake-smtp-options.js';
import { Greylist } from './greylist.js';
import { MailboxDirectory } from './mailbox-directory.js';
import { ScriptedSession, type ServerContext } from './scripted-session.js';
import { selfSignedCredentials } from './tls-credentials.js';

const RANDOM_HOSTNAME_BYTES = 4;

function resolveOptions(options: FakeSmtpOptions): ResolvedSmtpOptions {
  for (const key of [
    'greylistMs',
    'greetingDelayMs',
    'replyDelayMs',
    'port',
    'maxRejectedRecipients',
  ] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new FakeNetworkError('invalid_option', `${key} must be a non-negative integer, got ${value}`);
    }
  }
  return {
    hostname: options.hostname ?? `mx.${randomBytes(RANDOM_HOSTNAME_BYTES).toString('hex')}.test`,
    mailboxes: options.mailboxes ?? [],
    disabled: options.disabled ?? [],
    full: options.full ?? [],
    catchAll: options.catchAll ?? false,
    rcptReplies: options.rcptReplies ?? {},
    unknownReply: options.unknownReply ?? null,
    greylistMs: options.greylistMs ?? null,
    allowedClients: options.allowedClients ?? null,
    blockAtGreeting: options.blockAtGreeting ?? false,
    maxConnectionsPerMinute: options.maxConnectionsPerMinute ?? null,
    maxRecipientsPerTransaction: options.maxRecipientsPerTransaction ?? null,
    maxRejectedRecipients: options.maxRejectedRecipients ?? null,
    starttls: options.starttls ?? false,
    pipelining: options.pipelining ?? true,
    smtputf8: options.smtputf8 ?? true,
    heloOnly: options.heloOnly ?? false,
    greetingDelayMs: options.greetingDelayMs ?? 0,
    replyDelayMs: options.replyDelayMs ?? 0,
    behaviour: options.behaviour ?? 'normal',
  };
}

async function createContext(options: ResolvedSmtpOptions): Promise<ServerContext> {
  return {
    options,
    directory: new MailboxDirectory(options),
    greylist: options.greylistMs === null ? null : new Greylist(options.greylistMs),
    isAllowedClient: options.allowedClients === null ? null : cidrMatcher(options.allowedClients),
    connectionRate:
      options.maxConnectionsPerMinute === null
        ? null
        : new ConnectionRate(options.maxConnectionsPerMinute, SMTP_LIMITS.connectionRateWindowMs),
    tlsContext: options.starttls ? createSecureContext(await selfSignedCredentials()) : null,
  };
}

/** Listen on the requested host, or on fresh random 127.1.x.y addresses until one is free at that port. */
async function listenOnLoopback(
  server: Server,
  host: string | undefined,
  port: number,
): Promise<[string, number]> {
  for (let attempt = 1; ; attempt++) {
    const candidate = host ?? randomLoopbackAddress();
    try {
      return [candidate, await listen(server, candidate, port)];
    } catch (error) {
      if (host !== undefined || !isAddressInUse(error) || attempt >= MAX_BIND_ATTEMPTS) {
        throw new FakeNetworkError(
          isAddressInUse(error) ? 'address_allocation_failed' : 'listen_failed',
          `fake SMTP server could not listen on ${candidate}:${port}`,
          { cause: error },
        );
      }
    }
  }
}

/** Start one scripted SMTP server on its own loopback address. */
export async function startFakeSmtp(options: FakeSmtpOptions = {}): Promise<FakeSmtpServer> {
  const resolved = resolveOptions(options);
  const context = await createContext(resolved);
  if (options.host !== undefined && isIP(options.host) === 0) {
    throw new FakeNetworkError('invalid_option', `host must be an IP address, got ${options.host}`);
  }
  const sessions: SmtpSessionRecord[] = [];
  const open = new Set<ScriptedSession>();
  let activeSessions = 0;
  let peakConcurrency = 0;

  const server = createServer((socket: Socket) => {
    const record: SmtpSessionRecord = {
      clientAddress: normalizeAddress(socket.remoteAddress),
      clientPort: socket.remotePort ?? 0,
      helo: null,
      tls: false,
      commands: [],
      quitReceived: false,
      dataReceived: false,
      startedAt: Date.now(),
      endedAt: null,
    };
    sessions.push(record);
    const session = new ScriptedSession(socket, record, context, {
      onFinish: () => {
        activeSessions -= 1;
      },
      onClose: () => open.delete(session),
    });
    open.add(session);
    activeSessions += 1;
    peakConcurrency = Math.max(peakConcurrency, activeSessions);
    session.start();
  });
  server.on('error', () => {
    // Errors after listening (none expected on loopback) must not crash the test process.
  });

  const [host, port] = await listenOnLoopback(server, options.host, options.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    hostname: resolved.hostname,
    sessions,
    get activeSessions() {
      return activeSessions;
    },
    get peakConcurrency() {
      return peakConcurrency;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of open) session.destroy();
      });
      return closing;
    },
  };
}
