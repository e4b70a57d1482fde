import { type AddressInfo, createServer, type Socket } from 'node:net';
import { connect, DEFAULT_CIPHERS } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { clientCiphers, clientSecureContext } from './tls-sessions.js';

// IANA codes of the TLS 1.3 suites.
const SUITE_CODES: Record<number, string> = {
  4865: 'TLS_AES_128_GCM_SHA256',
  4866: 'TLS_AES_256_GCM_SHA384',
  4867: 'TLS_CHACHA20_POLY1305_SHA256',
};

/** The cipher suites of the ClientHello the engine's context sends, in its order (read off the wire). */
async function offeredSuites(): Promise<number[]> {
  let client: Socket | undefined;
  const hello = new Promise<Buffer>((resolve) => {
    const server = createServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk);
        socket.destroy();
        server.close();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      client = connect({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        secureContext: clientSecureContext(),
        rejectUnauthorized: false,
      });
      client.on('error', () => {});
    });
  });
  const record = await hello;
  client?.destroy();
  // Record header 5, handshake header 4, version 2, random 32, then the session id and the suites.
  let offset = 5 + 4 + 2 + 32;
  offset += 1 + (record[offset] as number);
  const length = record.readUInt16BE(offset);
  const suites: number[] = [];
  for (let at = offset + 2; at < offset + 2 + length; at += 2) suites.push(record.readUInt16BE(at));
  return suites;
}

describe('the STARTTLS client context', () => {
  it('offers TLS 1.3 with its mandatory suite first, and every suite Node offers', async () => {
    const suites = await offeredSuites();
    const tls13 = suites.filter((code) => code in SUITE_CODES).map((code) => SUITE_CODES[code]);
    const nodeDefaults = DEFAULT_CIPHERS.split(':').filter((name) => name.startsWith('TLS_'));
    expect(tls13[0]).toBe('TLS_AES_128_GCM_SHA256');
    expect([...tls13].sort()).toEqual([...nodeDefaults].sort());
  });

  it('reorders nothing but that suite, and leaves a list without it alone', () => {
    expect(
      clientCiphers('TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:HIGH'),
    ).toBe('TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES128-GCM-SHA256:HIGH');
    expect(clientCiphers('TLS_AES_256_GCM_SHA384:HIGH')).toBe('TLS_AES_256_GCM_SHA384:HIGH');
    expect(clientCiphers().split(':').sort()).toEqual(DEFAULT_CIPHERS.split(':').sort());
  });
});
