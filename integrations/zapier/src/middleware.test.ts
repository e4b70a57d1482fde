import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bundle, createAppTester, type ZObject } from 'zapier-platform-core';
import app from './index.js';

const appTester = createAppTester(app);
const API_KEY = 'mp_test_key_for_middleware';
let server: Server;
let baseUrl: string;
const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fetchPath = (url: string) => async (z: ZObject, _bundle: Bundle) => (await z.request({ url })).status;

describe('addApiKey', () => {
  it('sends the key as a Bearer token to the prober of the connection', async () => {
    seen.length = 0;
    await appTester(fetchPath(`${baseUrl}/prefix/v1/me`), {
      authData: { api_key: API_KEY, api_url: `${baseUrl}/prefix/` },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('never sends the key to another host or outside the prober path', async () => {
    seen.length = 0;
    const authData = { api_key: API_KEY, api_url: `${baseUrl}/prefix` };
    await appTester(fetchPath(`${baseUrl}/prefixed-lookalike/v1/me`), { authData });
    await appTester(fetchPath(`${baseUrl.replace('127.0.0.1', 'localhost')}/prefix/v1/me`), { authData });
    expect(seen).toHaveLength(2);
    expect(seen.map((request) => request.headers.authorization)).toEqual([undefined, undefined]);
  });
});
