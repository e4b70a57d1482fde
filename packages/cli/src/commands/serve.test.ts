import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
});
