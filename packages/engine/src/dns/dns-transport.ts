import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { abortError, onAbort } from '../abort.js';
import { DnsQueryError } from '../errors.js';
import type { DnsServerAddress } from './dns-server-address.js';

/** The record types the engine asks for. */
export type DnsRecordType = 'MX' | 'A' | 'AAAA' | 'PTR' | 'SOA' | 'TXT';

export type DecodedDnsPacket = dnsPacket.DecodedPacket & { rcode?: string };

export interface DnsQuestion {
  name: string;
  type: DnsRecordType;
}

const MAX_DNS_ID = 0x1_0000;
// A TCP DNS message is prefixed by a 16-bit length, so it can never exceed this.
const MAX_TCP_MESSAGE_BYTES = 0xffff + 2;

function sameName(left: string, right: string): boolean {
  return left.replace(/\.$/, '').toLowerCase() === right.replace(/\.$/, '').toLowerCase();
}

function decodeReply(buffer: Buffer, id: number, question: DnsQuestion): DecodedDnsPacket | null {
  let packet: DecodedDnsPacket;
  try {
    packet = dnsPacket.decode(buffer) as DecodedDnsPacket;
  } catch {
    return null;
  }
  if (packet.type !== 'response' || packet.id !== id) return null;
  const asked = packet.questions?.[0];
  // A reply to a different question is a spoofing attempt or a confused server: ignore it.
  if (asked && (!sameName(asked.name, question.name) || asked.type !== question.type)) return null;
  return packet;
}

function encodeQuery(id: number, question: DnsQuestion): dnsPacket.Packet {
  return {
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: question.type, name: question.name, class: 'IN' }],
  };
}

interface QueryOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Runs `body` with a timeout and the caller's signal, and always runs `teardown` exactly once. */
function withDeadline<T>(
  options: QueryOptions,
  describe: string,
  body: (settle: { resolve: (value: T) => void; reject: (error: Error) => void }) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortError(options.signal));
      return;
    }
    let done = false;
    let teardown: () => void = () => {};
    const finish = (action: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      forgetAbort?.();
      teardown();
      action();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new DnsQueryError('dns_timeout', `No DNS reply within ${options.timeoutMs} ms: ${describe}`),
          ),
        ),
      options.timeoutMs,
    );
    const { signal } = options;
    const forgetAbort = signal ? onAbort(signal, () => finish(() => reject(abortError(signal)))) : undefined;
    teardown = body({
      resolve: (value) => finish(() => resolve(value)),
      reject: (error) => finish(() => reject(error)),
    });
    if (done) teardown();
  });
}

function queryUdp(
  server: DnsServerAddress,
  question: DnsQuestion,
  options: QueryOptions,
): Promise<DecodedDnsPacket> {
  const id = randomInt(MAX_DNS_ID);
  const describe = `${question.type} ${question.name} @${server.host}:${server.port}`;
  return withDeadline(options, describe, ({ resolve, reject }) => {
    const socket = createSocket(server.family === 6 ? 'udp6' : 'udp4');
    socket.on('error', (error) =>
      reject(new DnsQueryError('dns_transport', `DNS socket error: ${describe}`, { cause: error })),
    );
    socket.on('message', (message, remote) => {
      if (remote.port !== server.port) return;
      const packet = decodeReply(message, id, question);
      if (packet) resolve(packet);
    });
    socket.send(dnsPacket.encode(encodeQuery(id, question)), server.port, server.host, (error) => {
      if (error) reject(new DnsQueryError('dns_transport', `DNS send failed: ${describe}`, { cause: error }));
    });
    return () => socket.close();
  });
}

function queryTcp(
  server: DnsServerAddress,
  question: DnsQuestion,
  options: QueryOptions,
): Promise<DecodedDnsPacket> {
  const id = randomInt(MAX_DNS_ID);
  const describe = `${question.type} ${question.name} @${server.host}:${server.port} (TCP)`;
  return withDeadline(options, describe, ({ resolve, reject }) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    let received = 0;
    socket.on('error', (error) =>
      reject(new DnsQueryError('dns_transport', `DNS TCP error: ${describe}`, { cause: error })),
    );
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_TCP_MESSAGE_BYTES) {
        reject(new DnsQueryError('dns_malformed', `Oversized DNS TCP reply: ${describe}`));
        return;
      }
      chunks.push(chunk);
      const buffer = Buffer.concat(chunks);
      if (buffer.length < 2) return;
      const length = buffer.readUInt16BE(0);
      if (buffer.length < length + 2) return;
      const packet = decodeReply(buffer.subarray(2, length + 2), id, question);
      if (packet) resolve(packet);
      else reject(new DnsQueryError('dns_malformed', `Unusable DNS TCP reply: ${describe}`));
    });
    socket.on('close', () =>
      reject(new DnsQueryError('dns_transport', `DNS TCP connection closed early: ${describe}`)),
    );
    socket.connect(server.port, server.host, () =>
      socket.write(dnsPacket.streamEncode(encodeQuery(id, question))),
    );
    return () => socket.destroy();
  });
}

/** One question to one server: UDP first, TCP when the UDP reply is truncated (RFC 7766). */
export async function queryDnsServer(
  server: DnsServerAddress,
  question: DnsQuestion,
  options: QueryOptions,
): Promise<DecodedDnsPacket> {
  const packet = await queryUdp(server, question, options);
  if (!packet.flag_tc) return packet;
  return queryTcp(server, question, options);
}
