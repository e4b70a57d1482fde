import { connect, type Socket } from 'node:net';
import { SocksClient } from 'socks';
import type { Socks5Proxy } from './socks5-proxy.js';

/** Named timeouts of the proxy phases, each inside the session's own deadline. */
export interface ProxyTimeouts {
  /** TCP connect to the proxy. */
  connectMs: number;
  /** From connection to the proxy's first reply (method selection, RFC 1928 §3). */
  greetingMs: number;
  /** From the greeting to the CONNECT reply (authentication included): the proxy's own connect to the MX. */
  replyMs: number;
}

export type ProxyPhase = 'proxy_connect' | 'proxy_greeting' | 'proxy_reply';

export type ProxyFailureCode =
  | 'proxy_unreachable'
  | 'proxy_auth_refused'
  | 'proxy_connect_refused'
  | 'proxy_timeout'
  | 'proxy_protocol'
  | 'proxy_benched';

/** RFC 1928 §6 reply codes (`REP`), by the name the `socks` library reports them with. */
export const SOCKS5_REPLY_CODES: Record<string, number> = {
  Failure: 1,
  NotAllowed: 2,
  NetworkUnreachable: 3,
  HostUnreachable: 4,
  ConnectionRefused: 5,
  TTLExpired: 6,
  CommandNotSupported: 7,
  AddressNotSupported: 8,
};

// Replies about the destination, not the proxy: the MX did not answer through a working proxy.
const DESTINATION_REPLIES = new Set([1, 3, 4, 5, 6]);

const ignore = (): void => {};
const PROXY_ERROR_MARKER = Symbol.for('mailprobe.engine.proxy-error');

/** A SOCKS5 egress could not give a connection. Carries the proxy's name, never its password. */
export class ProxyError extends Error {
  readonly code: ProxyFailureCode;
  readonly proxy: string;
  readonly phase: ProxyPhase;
  /** RFC 1928 reply code of a refused CONNECT. */
  readonly replyCode: number | null;
  readonly [PROXY_ERROR_MARKER] = true;

  constructor(
    code: ProxyFailureCode,
    proxy: string,
    phase: ProxyPhase,
    detail: string,
    replyCode: number | null = null,
  ) {
    super(`proxy ${proxy}: ${detail}`);
    this.name = 'ProxyError';
    this.code = code;
    this.proxy = proxy;
    this.phase = phase;
    this.replyCode = replyCode;
  }

  /** The proxy itself failed (so it is benched), rather than the destination behind it. */
  get proxyAtFault(): boolean {
    return (
      this.code !== 'proxy_benched' && !(this.replyCode !== null && DESTINATION_REPLIES.has(this.replyCode))
    );
  }

  static isInstance(error: unknown): error is ProxyError {
    return typeof error === 'object' && error !== null && PROXY_ERROR_MARKER in error;
  }
}

function failureOf(proxy: Socks5Proxy, phase: ProxyPhase, message: string): ProxyError {
  const rejected = /rejected connection - (\w+)/.exec(message);
  if (rejected) {
    const code = SOCKS5_REPLY_CODES[rejected[1] as string] ?? null;
    return new ProxyError(
      'proxy_connect_refused',
      proxy.name,
      'proxy_reply',
      `CONNECT refused (reply ${code ?? '?'}, ${rejected[1]})`,
      code,
    );
  }
  if (/Authentication failed/i.test(message)) {
    return new ProxyError('proxy_auth_refused', proxy.name, phase, 'username/password refused (RFC 1929)');
  }
  if (/no accepted authentication type/i.test(message)) {
    return new ProxyError(
      'proxy_auth_refused',
      proxy.name,
      phase,
      'no acceptable authentication method (credentials needed?)',
    );
  }
  if (/timed out/i.test(message))
    return new ProxyError('proxy_timeout', proxy.name, phase, `${phase} timed out`);
  return new ProxyError(
    'proxy_protocol',
    proxy.name,
    phase,
    `handshake failed: ${message.replace(/[^\x20-\x7e]/g, '?').slice(0, 120)}`,
  );
}

/**
 * Opens a tunnel to `ip:port` through `proxy`: TCP to the proxy, then RFC 1928 CONNECT to the address (already
 * resolved, so the caller's target checks hold) with RFC 1929 username/password when configured. Resolves with
 * the tunnelled socket, ready for SMTP (and STARTTLS); rejects with a `ProxyError`. Every timer is cleared, and
 * the socket destroyed on failure or abort.
 */
export function dialSocks5(
  proxy: Socks5Proxy,
  destination: { ip: string; port: number },
  timeouts: ProxyTimeouts,
  signal: AbortSignal,
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    let phase: ProxyPhase = 'proxy_connect';
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    let client: SocksClient | undefined;
    const socket = connect({ host: proxy.host, port: proxy.port, noDelay: true });

    const startPhase = (next: ProxyPhase, ms: number) => {
      phase = next;
      clearTimeout(timer);
      timer = setTimeout(
        () => fail(new ProxyError('proxy_timeout', proxy.name, next, `${next} timed out after ${ms} ms`)),
        ms,
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('data', onFirstData);
      // The library reports the socket's close as an error after we are done with it: heard, and ignored.
      client?.removeAllListeners();
      client?.on('error', ignore);
    };
    const fail = (error: ProxyError | Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const onFirstData = () => startPhase('proxy_reply', timeouts.replyMs);

    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    startPhase('proxy_connect', timeouts.connectMs);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (phase === 'proxy_connect') {
        fail(
          new ProxyError('proxy_unreachable', proxy.name, phase, `unreachable (${error.code ?? 'error'})`),
        );
      }
    });
    socket.once('connect', () => {
      if (settled) return;
      startPhase('proxy_greeting', timeouts.greetingMs);
      socket.once('data', onFirstData);
      const credentials = proxy.credentials();
      client = new SocksClient({
        proxy: { host: proxy.host, port: proxy.port, type: 5, ...(credentials ?? {}) },
        command: 'connect',
        destination: { host: destination.ip, port: destination.port },
        // Our phase timers decide; the library's own is a backstop only.
        timeout: timeouts.greetingMs + timeouts.replyMs + 1000,
      });
      client.once('established', ({ socket: tunnel }) => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve(tunnel);
      });
      client.once('error', (error: Error) => fail(failureOf(proxy, phase, error.message)));
      client.connect(socket);
    });
  });
}
