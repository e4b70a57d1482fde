import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { Packet, TCPServer, UDPServer } from 'dns2';
import { FakeNetworkError } from '../errors.js';
import { isAddressInUse, listen, MAX_BIND_ATTEMPTS } from '../net/loopback.js';
import { answerQuestion, canonicalName, type Rcode } from './answer.js';
import type { FakeZone } from './fake-zone.js';
import { reverseName } from './reverse-name.js';

export interface FakeDnsOptions {
  /** Records by name (case-insensitive). A key that is an IP address stands for its reverse name. */
  zones: Record<string, FakeZone>;
  /** Address to listen on (UDP and TCP, same port), default 127.0.0.1. */
  host?: string;
}

export interface FakeDnsQuery {
  /** Lower-case, without trailing dot. */
  name: string;
  /** 'MX', 'A', 'AAAA', 'PTR', … */
  type: string;
}

export interface FakeDns {
  /** 'host:port', ready for `Resolver#setServers` and the engine's `dnsServers`. */
  server: string;
  host: string;
  port: number;
  /** Add or replace the records of one name; takes effect for the next query. */
  setZone(name: string, zone: FakeZone): void;
  /** Every question received, in arrival order. */
  queries: FakeDnsQuery[];
  close(): Promise<void>;
}

const DEFAULT_DNS_HOST = '127.0.0.1';

/** RFC 1035 §4.1.1 response codes. */
const RCODES: Record<Rcode, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

const TYPE_NAMES = new Map<number, string>(
  Object.entries(Packet.TYPE as Record<string, number>).map(([name, value]) => [value, name]),
);

function zoneKey(name: string): string {
  return isIP(name) === 0 ? canonicalName(name) : reverseName(name);
}

function bindUdp(server: InstanceType<typeof UDPServer>, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.bind(port, host, () => {
      server.off('error', onError);
      resolve(server.address().port);
    });
  });
}

/** Start a real DNS server (UDP + TCP on one port) answering from the given zones. */
export async function startFakeDns(options: FakeDnsOptions): Promise<FakeDns> {
  const host = options.host ?? DEFAULT_DNS_HOST;
  const zones = new Map<string, FakeZone>();
  for (const [name, zone] of Object.entries(options.zones)) zones.set(zoneKey(name), zone);
  const queries: FakeDnsQuery[] = [];
  const pendingAnswers = new Set<NodeJS.Timeout>();
  const tcpConnections = new Set<Socket>();
  let closed = false;

  const handle = (request: Packet, send: (response: Packet) => unknown) => {
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    response.header.ra = 1;
    let delayMs = 0;
    for (const question of request.questions) {
      const name = canonicalName(question.name);
      queries.push({ name, type: TYPE_NAMES.get(question.type) ?? String(question.type) });
      const zone = zones.get(name);
      const answer = answerQuestion(name, question.type, zone);
      response.header.rcode = RCODES[answer.rcode];
      response.answers.push(...(answer.answers as unknown as typeof response.answers));
      response.authorities.push(...(answer.authorities as unknown as typeof response.authorities));
      delayMs = Math.max(delayMs, zone?.delayMs ?? 0);
    }
    const reply = () => {
      if (closed) return;
      try {
        Promise.resolve(send(response)).catch(() => {});
      } catch {
        // The socket closed under us: nothing to answer.
      }
    };
    if (delayMs === 0) {
      reply();
      return;
    }
    const timer = setTimeout(() => {
      pendingAnswers.delete(timer);
      reply();
    }, delayMs);
    pendingAnswers.add(timer);
  };

  for (let attempt = 1; ; attempt++) {
    const udp = new UDPServer({ type: isIP(host) === 6 ? 'udp6' : 'udp4' });
    const tcp = new TCPServer();
    try {
      const port = await bindUdp(udp, host, 0);
      await listen(tcp, host, port);
      udp.on('error', () => {});
      tcp.on('error', () => {});
      udp.on('request', handle);
      tcp.on('request', handle);
      tcp.on('connection', (socket: Socket) => {
        tcpConnections.add(socket);
        socket.once('close', () => tcpConnections.delete(socket));
      });
      return {
        server: isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`,
        host,
        port,
        queries,
        setZone(name, zone) {
          zones.set(zoneKey(name), zone);
        },
        async close() {
          if (closed) return;
          closed = true;
          for (const timer of pendingAnswers) clearTimeout(timer);
          pendingAnswers.clear();
          for (const socket of tcpConnections) socket.destroy();
          await Promise.all([
            new Promise<void>((resolve) => udp.close(() => resolve())),
            new Promise<void>((resolve) => tcp.close(() => resolve())),
          ]);
        },
      };
    } catch (error) {
      try {
        udp.close();
      } catch {
        // Never bound.
      }
      tcp.close();
      if (!isAddressInUse(error) || attempt >= MAX_BIND_ATTEMPTS) {
        throw new FakeNetworkError('listen_failed', `fake DNS could not listen on ${host}`, { cause: error });
      }
    }
  }
}
