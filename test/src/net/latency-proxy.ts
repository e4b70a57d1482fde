import { randomInt } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { FakeNetworkError } from '../errors.js';
import { isAddressInUse, listen, MAX_BIND_ATTEMPTS, normalizeAddress } from './loopback.js';

export interface LatencyProxyOptions {
  /** The real server every front address relays to. */
  target: { host: string; port: number };
  /** How many front addresses (each a distinct loopback address, all on one port), e.g. one per MX address. */
  addresses: number;
  /** Delay added to every chunk, in each direction (so a round trip costs twice this). */
  delayMs: number;
  /** The port every front address listens on (e.g. 25, for clients that know no other); default ephemeral. */
  port?: number;
}

/** Sessions seen at one front address. */
export interface FrontStats {
  host: string;
  connections: number;
  /** Most connections open at once. */
  peakConcurrent: number;
  /** Time with at least one connection open, ms. */
  busyMs: number;
  /** Connection time summed over connections, ms (÷ busyMs = mean sessions at once while busy). */
  sessionMs: number;
}

/** Loopback front addresses that relay to one server with a fixed delay each way, like a long network path. */
export interface LatencyProxy {
  /** The front addresses, in creation order. */
  hosts: string[];
  /** The one port every front address listens on. */
  port: number;
  stats(): FrontStats[];
  close(): Promise<void>;
}

/**
 * Relays each direction chunk by chunk, every chunk held `delayMs` (timers of one duration fire in order, so the
 * byte stream keeps its order). The upstream connection binds the client's own address, so the server logs and
 * limits the real client. A FIN is relayed after the bytes before it.
 */
function relay(from: Socket, to: Socket, delayMs: number): void {
  from.on('data', (chunk: Buffer) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.once('end', () => {
    setTimeout(() => {
      if (!to.destroyed) to.end();
    }, delayMs);
  });
}

/** Starts `options.addresses` front addresses in 127.3.0.0/16 on one shared port (ephemeral unless `options.port`). */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const sockets = new Set<Socket>();
  const stats = new Map<string, FrontStats & { open: number; busySince: number }>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const frontFor = (host: string) => (client: Socket) => {
    const front = stats.get(host);
    if (front) {
      const openedAt = performance.now();
      if (front.open === 0) front.busySince = openedAt;
      front.connections += 1;
      front.open += 1;
      front.peakConcurrent = Math.max(front.peakConcurrent, front.open);
      // A session ends for the server when the client's FIN (or reset) arrives, not when the relay closes.
      let counted = true;
      const ended = () => {
        if (!counted) return;
        counted = false;
        const now = performance.now();
        front.open -= 1;
        front.sessionMs += now - openedAt;
        if (front.open === 0) front.busyMs += now - front.busySince;
      };
      client.once('end', ended);
      client.once('close', ended);
    }
    track(client);
    client.pause();
    const upstream = createConnection({
      host: options.target.host,
      port: options.target.port,
      localAddress: normalizeAddress(client.remoteAddress),
      allowHalfOpen: true,
    });
    track(upstream);
    upstream.once('connect', () => client.resume());
    relay(client, upstream, options.delayMs);
    relay(upstream, client, options.delayMs);
    client.once('close', () => setTimeout(() => upstream.destroy(), options.delayMs));
    upstream.once('close', () => setTimeout(() => client.destroy(), options.delayMs));
  };

  const servers: Server[] = [];
  const closeAll = () =>
    Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))).then(
      () => undefined,
    );
  for (let attempt = 1; ; attempt += 1) {
    const block = randomInt(0, 256);
    const hosts = Array.from({ length: options.addresses }, (_, index) => `127.3.${block}.${index + 1}`);
    let port = options.port ?? 0;
    try {
      for (const host of hosts) {
        const server = createServer({ allowHalfOpen: true }, frontFor(host));
        servers.push(server);
        port = await listen(server, host, port);
        stats.set(host, {
          host,
          connections: 0,
          peakConcurrent: 0,
          busyMs: 0,
          sessionMs: 0,
          open: 0,
          busySince: 0,
        });
      }
      return {
        hosts,
        port,
        stats: () =>
          hosts.map((host) => {
            const { connections, peakConcurrent, busyMs, sessionMs } = stats.get(host) as FrontStats;
            return { host, connections, peakConcurrent, busyMs, sessionMs };
          }),
        async close() {
          for (const socket of sockets) socket.destroy();
          await closeAll();
        },
      };
    } catch (error) {
      await closeAll();
      servers.length = 0;
      stats.clear();
      if (!isAddressInUse(error) || attempt >= MAX_BIND_ATTEMPTS) {
        throw new FakeNetworkError('listen_failed', 'latency proxy could not listen', { cause: error });
      }
    }
  }
}
