import { connect, type Socket } from 'node:net';
import { dialSocks5, ProxyError, type ProxyTimeouts } from '../egress/socks5-dial.js';
import type { Socks5Proxy } from '../egress/socks5-proxy.js';
import type { DoctorCheck, ProxyDoctorReport } from './doctor-report.js';

const skip = (id: DoctorCheck['id'], detail: string): DoctorCheck => ({ id, status: 'skip', detail });

function reachable(proxy: Socks5Proxy, timeoutMs: number): Promise<DoctorCheck> {
  const where = `${proxy.host}:${proxy.port}`;
  return new Promise((resolve) => {
    const socket = connect({ host: proxy.host, port: proxy.port });
    const done = (check: DoctorCheck) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(check);
    };
    const timer = setTimeout(
      () =>
        done({
          id: 'proxy_reachable',
          status: 'fail',
          detail: `no TCP connection to ${where} in ${timeoutMs} ms: check the address, and that a firewall lets this host reach it`,
        }),
      timeoutMs,
    );
    socket.once('connect', () =>
      done({ id: 'proxy_reachable', status: 'pass', detail: `${where} accepts TCP` }),
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({
        id: 'proxy_reachable',
        status: 'fail',
        detail: `cannot reach ${where} (${error.code ?? error.message}): check the host and port in the proxy URL`,
      }),
    );
  });
}

/** Reads the first reply line through the tunnel: a 220 passes. Sends QUIT, never more. */
function greeting(tunnel: Socket, where: string, timeoutMs: number): Promise<DoctorCheck> {
  return new Promise((resolve) => {
    let text = '';
    const done = (check: DoctorCheck) => {
      clearTimeout(timer);
      if (tunnel.writable) tunnel.end('QUIT\r\n');
      tunnel.destroy();
      resolve(check);
    };
    const timer = setTimeout(
      () =>
        done({
          id: 'proxy_smtp',
          status: 'fail',
          detail: `tunnel to ${where} opened but no greeting in ${timeoutMs} ms: the proxy provider may filter port 25 further on`,
        }),
      timeoutMs,
    );
    tunnel.setEncoding('latin1');
    tunnel.on('data', (data: string) => {
      text += data;
      const line = /^(\d{3})[ -](.*)\r?\n/m.exec(text);
      if (!line) return;
      done(
        line[1] === '220'
          ? { id: 'proxy_smtp', status: 'pass', detail: `${where} greets through the proxy: 220` }
          : {
              id: 'proxy_smtp',
              status: 'fail',
              detail: `${where} answers ${line[1]} ${(line[2] ?? '').slice(0, 160)} through the proxy: its egress address is refused (ask for a clean one)`,
            },
      );
    });
    tunnel.on('error', () => {});
    tunnel.on('close', () =>
      done({ id: 'proxy_smtp', status: 'fail', detail: `${where} closed the tunnel before greeting` }),
    );
  });
}

/**
 * The doctor's checks of one SOCKS5 egress: reachable, authentication accepted (RFC 1929), and CONNECT to the
 * probe target's port 25 gives a 220 greeting. Each failure says which check failed and what to do.
 */
export async function checkProxy(
  proxy: Socks5Proxy,
  target: { ip: string; port: number; name: string } | string,
  timeouts: ProxyTimeouts & { greetingMs: number },
): Promise<ProxyDoctorReport> {
  const checks: DoctorCheck[] = [await reachable(proxy, timeouts.connectMs)];
  const authMethod = proxy.username === undefined ? 'no authentication' : `username ${proxy.username}`;
  if (checks[0]?.status !== 'pass') {
    checks.push(skip('proxy_auth', 'proxy not reachable'), skip('proxy_smtp', 'proxy not reachable'));
  } else if (typeof target === 'string') {
    checks.push(skip('proxy_auth', target), { id: 'proxy_smtp', status: 'fail', detail: target });
  } else {
    const where = `${target.name} (${target.ip}:${target.port})`;
    try {
      const tunnel = await dialSocks5(proxy, target, timeouts, new AbortController().signal);
      checks.push({ id: 'proxy_auth', status: 'pass', detail: `accepted (${authMethod})` });
      checks.push(await greeting(tunnel, where, timeouts.greetingMs));
    } catch (error) {
      if (!ProxyError.isInstance(error)) throw error;
      if (error.code === 'proxy_auth_refused') {
        checks.push(
          {
            id: 'proxy_auth',
            status: 'fail',
            detail: `${error.message.replace(`proxy ${proxy.name}: `, '')}: check the user and password in the proxy URL (percent-encoded)`,
          },
          skip('proxy_smtp', 'authentication refused'),
        );
      } else if (error.code === 'proxy_connect_refused') {
        checks.push({ id: 'proxy_auth', status: 'pass', detail: `accepted (${authMethod})` });
        checks.push({
          id: 'proxy_smtp',
          status: 'fail',
          detail:
            error.replyCode === 2
              ? `the proxy's rules refuse CONNECT to ${where} (RFC 1928 reply 2, not allowed): ask the provider to allow outbound port 25`
              : `CONNECT to ${where} refused (RFC 1928 reply ${error.replyCode ?? '?'}): the proxy cannot reach it; try another --probe-host or ask the provider`,
        });
      } else if (error.phase === 'proxy_reply') {
        checks.push({ id: 'proxy_auth', status: 'pass', detail: `accepted (${authMethod})` });
        checks.push({
          id: 'proxy_smtp',
          status: 'fail',
          detail: `no CONNECT reply for ${where} in time (${error.code}): port 25 may be filtered beyond the proxy`,
        });
      } else {
        checks.push(
          {
            id: 'proxy_auth',
            status: 'fail',
            detail: `no SOCKS5 handshake (${error.code}): is ${proxy.host}:${proxy.port} a SOCKS5 proxy?`,
          },
          skip('proxy_smtp', 'no handshake'),
        );
      }
    }
  }
  return {
    name: proxy.name,
    url: proxy.redactedUrl,
    checks,
    ok: checks.every((check) => check.status !== 'fail'),
  };
}
