import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, connect as netConnect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real SOCKS5 server from Debian (microsocks or dante) running on loopback for one test. */
export interface SocksServer {
  /** `socks5://[user:password@]127.0.0.1:port`. */
  url: string;
  port: number;
  /** The address its outbound connections come from (what the fake internet sees). */
  egressAddress: string;
  /** Kills the server at once (SIGKILL): connections through it die mid-session. */
  kill(): void;
  /** Stops the process (SIGSTOP): the kernel still accepts connections, the handshake stalls. */
  pause(): void;
  /** Lets a paused process run again (SIGCONT). */
  resume(): void;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 5000;
const POLL_MS = 25;

/** A port free on 127.0.0.1 right now (the servers cannot listen on port 0 and tell which port they got). */
async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function started(child: ChildProcess, port: number, name: string, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${output()}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not listen on ${port}: ${output()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function run(
  name: string,
  command: string,
  args: string[],
  port: number,
  egressAddress: string,
  auth: { user: string; password: string } | undefined,
): Promise<SocksServer> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  await started(child, port, name, () => stderr);
  const userinfo = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@` : '';
  return {
    url: `socks5://${userinfo}127.0.0.1:${port}`,
    port,
    egressAddress,
    kill: () => child.kill('SIGKILL'),
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    close: () => {
      child.kill('SIGCONT');
      return stop(child);
    },
  };
}

/** microsocks on 127.0.0.1, connecting out from `egressAddress` (`-b`), with username/password when given. */
export async function startMicrosocks(options: {
  egressAddress: string;
  auth?: { user: string; password: string };
}): Promise<SocksServer> {
  const port = await freePort();
  const args = ['-i', '127.0.0.1', '-p', String(port), '-b', options.egressAddress];
  if (options.auth) args.push('-u', options.auth.user, '-P', options.auth.password);
  return run('microsocks', 'microsocks', args, port, options.egressAddress, options.auth);
}

/** Dante (`danted`) on 127.0.0.1 whose rules refuse CONNECT to `refusedPort` (RFC 1928 reply 2, not allowed). */
export async function startDanteRefusingPort(options: {
  egressAddress: string;
  refusedPort: number;
}): Promise<SocksServer> {
  const port = await freePort();
  const base = join(tmpdir(), `mailprobe-dante-${process.pid}-${port}`);
  await writeFile(
    `${base}.conf`,
    [
      'logoutput: stderr',
      `internal: 127.0.0.1 port = ${port}`,
      `external: ${options.egressAddress}`,
      'socksmethod: none',
      'clientmethod: none',
      'client pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }',
      `socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 port = ${options.refusedPort} }`,
      'socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }',
      '',
    ].join('\n'),
  );
  return run(
    'danted',
    'danted',
    ['-f', `${base}.conf`, '-p', `${base}.pid`, '-N', '1'],
    port,
    options.egressAddress,
    undefined,
  );
}
