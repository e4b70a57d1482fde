import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { selfSignedCredentials } from '@mailprobe/test-kit';
import { describe, expect, it } from 'vitest';
import { runServe } from './serve.js';

describe('mailprobe serve', () => {
  it('starts from flags and env, answers /readyz, and stops', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-serve-'));
    try {
      const { server, url } = await runServe(
        { listen: '127.0.0.1:0', dataDir, logLevel: 'silent' },
        { MAILPROBE_LISTEN: '127.0.0.1:1', MAILPROBE_CACHE_TTL_UNKNOWN_MS: '1234' },
      );
      try {
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(server.config.dataDir).toBe(dataDir);
        expect(server.config.cacheTtl.unknownMs).toBe(1234);
        expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
      } finally {
        await server.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('takes SOCKS5 egresses from --proxy / --route (over MAILPROBE_PROXIES) and lists them in /readyz', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-serve-'));
    try {
      const { server, url } = await runServe(
        {
          listen: '127.0.0.1:0',
          dataDir,
          logLevel: 'silent',
          proxy: ['eu=socks5://u:serve-s3cret@127.0.0.1:1080', 'us=socks5://127.0.0.1:1081'],
          route: ['google=eu', 'default=us'],
        },
        { MAILPROBE_PROXIES: 'env=socks5://127.0.0.1:9' },
      );
      try {
        const readyz = await (await fetch(`${url}/readyz`)).text();
        expect(JSON.parse(readyz)).toMatchObject({
          status: 'ready',
          proxies: [
            { name: 'eu', url: 'socks5://u:***@127.0.0.1:1080', benched: false },
            { name: 'us', url: 'socks5://127.0.0.1:1081', benched: false },
          ],
        });
        expect(readyz).not.toContain('serve-s3cret');
        expect(server.config.engine.egressRoutes).toEqual({ google: 'eu', default: 'us' });
      } finally {
        await server.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('serves HTTPS with --tls-cert and --tls-key, and refuses one without the other', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-serve-'));
    try {
      const { cert, key } = await selfSignedCredentials();
      const certFile = path.join(dataDir, 'cert.pem');
      const keyFile = path.join(dataDir, 'key.pem');
      await writeFile(certFile, cert);
      await writeFile(keyFile, key);
      await expect(runServe({ listen: '127.0.0.1:0', dataDir, tlsCert: certFile }, {})).rejects.toThrow(
        'TLS needs both a certificate and a key',
      );
      const { server, url } = await runServe(
        { listen: '127.0.0.1:0', dataDir, logLevel: 'silent' },
        { MAILPROBE_TLS_CERT: certFile, MAILPROBE_TLS_KEY: keyFile },
      );
      try {
        expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const answer = await new Promise<{ status: number; body: string; certificate: string }>(
          (resolve, reject) => {
            get(`${url}/readyz`, { rejectUnauthorized: false }, (response) => {
              const certificate = String((response.socket as TLSSocket).getPeerCertificate().subject.CN);
              let body = '';
              response.on('data', (chunk) => {
                body += chunk;
              });
              response.on('end', () => resolve({ status: response.statusCode ?? 0, body, certificate }));
            }).on('error', reject);
          },
        );
        expect(answer).toEqual({
          status: 200,
          body: '{"status":"ready"}',
          certificate: 'fake-mx.mailprobe.test',
        });
      } finally {
        await server.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
