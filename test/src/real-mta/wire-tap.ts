import { randomInt } from 'node:crypto';
import { createConnection, createServer, type Socket } from 'node:net';
import { isAddressInUse, listen, MAX_BIND_ATTEMPTS, normalizeAddress } from '../net/loopback.js';

/** A TCP relay in front of a real server that records how the client's bytes arrived. */
export interface WireTap {
  host: string;
  port: number;
  /** Every chunk the client sent, as received by one `data` event, in order (all connections). */
  clientChunks: string[];
  close(): Promise<void>;
}

/**
 * Relays loopback connections to `target`, from the client's own address so the server logs the real
 * client. One `data` event per client write is what loopback gives in practice; Nagle can only merge
 * writes, never split a small one, so "several commands in one chunk" is proof they were sent together.
 */
export async function startWireTap(target: { host: string; port: number }): Promise<WireTap> {
  const clientChunks: string[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    client.pause();
    const upstream = createConnection({
      host: target.host,
      port: target.port,
      localAddress: normalizeAddress(client.remoteAddress),
    });
    track(upstream);
    upstream.once('connect', () => client.resume());
    client.on('data', (chunk: Buffer) => {
      clientChunks.push(chunk.toString('latin1'));
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  for (let attempt = 1; ; attempt += 1) {
    const host = `127.1.201.${randomInt(1, 255)}`;
    try {
      const port = await listen(server, host, 0);
      return {
        host,
        port,
        clientChunks,
        async close() {
          for (const socket of sockets) socket.destroy();
          await new Promise((resolve) => server.close(resolve));
        },
      };
    } catch (error) {
      if (!isAddressInUse(error) || attempt >= MAX_BIND_ATTEMPTS) throw error;
    }
  }
}
