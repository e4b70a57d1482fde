import { createConnection, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import type { DoctorCheck } from './doctor-report.js';

function normalize(ip: string): string {
  return ipaddr.process(ip).toNormalizedString();
}

/** Whether `ip` is configured on an interface of this host (all of 127/8 is, on loopback). */
export function isAssignedHere(ip: string): boolean {
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4' && address.range() === 'loopback') return true;
  const wanted = normalize(ip);
  return Object.values(networkInterfaces()).some((entries) =>
    (entries ?? []).some((entry) => ipaddr.isValid(entry.address) && normalize(entry.address) === wanted),
  );
}

/** The address is assigned to this host and a socket can bind to it. */
export async function checkBind(ip: string): Promise<DoctorCheck> {
  if (!isAssignedHere(ip))
    return {
      id: 'bind',
      status: 'fail',
      detail: `${ip} is not assigned to any interface of this host (in a container: use host networking)`,
    };
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, ip, () => resolve());
    });
    return { id: 'bind', status: 'pass', detail: `${ip} is assigned here and binds` };
  } catch (error) {
    return { id: 'bind', status: 'fail', detail: `cannot bind ${ip}: ${(error as Error).message}` };
  } finally {
    server.close();
  }
}

/**
 * Opens TCP to `host:port` from `sourceAddress` and reads the greeting: 2xx passes; a 5xx greeting is a refusal
 * of this address (fail); a silent server is a warning. Sends QUIT, never more.
 */
export function checkOutboundSmtp(
  target: { host: string; port: number; name: string },
  sourceAddress: string | undefined,
  timeoutMs: number,
): Promise<DoctorCheck> {
  const from = sourceAddress ? ` from ${sourceAddress}` : '';
  const where = `${target.name} (${target.host}:${target.port})`;
  return new Promise((resolve) => {
    let greeting = '';
    let settled = false;
    const socket = createConnection({
      host: target.host,
      port: target.port,
      ...(sourceAddress ? { localAddress: sourceAddress } : {}),
    });
    const finish = (check: DoctorCheck) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (socket.writable) socket.end('QUIT\r\n');
      socket.destroy();
      resolve(check);
    };
    const timer = setTimeout(() => {
      finish(
        socket.connecting
          ? {
              id: 'outbound_smtp',
              status: 'fail',
              detail: `no TCP connection to ${where}${from} (port blocked?)`,
            }
          : { id: 'outbound_smtp', status: 'warn', detail: `connected to ${where}${from}, but no greeting` },
      );
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      greeting += data;
      const line = /^(\d{3}) (.*)\r?\n/m.exec(greeting);
      if (!line) return;
      const code = Number(line[1]);
      if (code >= 200 && code < 300)
        finish({ id: 'outbound_smtp', status: 'pass', detail: `${where} greets${from}: ${code}` });
      else
        finish({
          id: 'outbound_smtp',
          status: 'fail',
          detail: `${where} refuses${from}: ${code} ${(line[2] ?? '').slice(0, 200)}`,
        });
    });
    socket.on('error', (error) =>
      finish({ id: 'outbound_smtp', status: 'fail', detail: `TCP to ${where}${from}: ${error.message}` }),
    );
    socket.on('close', () =>
      finish({
        id: 'outbound_smtp',
        status: 'warn',
        detail: `${where} closed the connection${from} before greeting`,
      }),
    );
  });
}
