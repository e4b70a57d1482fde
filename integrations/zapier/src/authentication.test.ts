import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTester } from 'zapier-platform-core';
import { type AuthData, LEADS, type LiveService, startLiveService } from '../test/live-service.js';
import { zapierErrorOf } from '../test/zapier-error.js';
import { connectionLabel, testConnection } from './authentication.js';
import { DEFAULT_RETRY_DELAY_SECONDS } from './constants.js';
import { performVerifyEmail } from './creates/verify-email.js';
import app from './index.js';

const appTester = createAppTester(app);
let service: LiveService;
let authData: AuthData;

beforeAll(async () => {
  service = await startLiveService();
  authData = await service.connect('Acme CRM sync');
});
afterAll(() => service?.close());

/** A loopback port nothing listens on: bound once to learn a free number, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('authentication', () => {
  it('tests the connection with GET /v1/me and labels it with the account name', async () => {
    const me = await appTester(testConnection, { authData });
    expect(me).toMatchObject({ accountName: 'Acme CRM sync', limits: { used: 0 } });
    const label = await appTester(connectionLabel, { authData, inputData: me });
    expect(label).toBe(`Acme CRM sync (${new URL(service.prober.url).host})`);
  });

  it('labels a connection to the hosted endpoint with the account name alone', async () => {
    const label = await appTester(connectionLabel, {
      authData: { api_key: 'unused', api_url: '' },
      inputData: { accountName: 'Acme CRM sync' },
    });
    expect(label).toBe('Acme CRM sync');
  });

  it('turns an unknown key into an authentication error that asks to reconnect', async () => {
    const error = await zapierErrorOf(
      appTester(testConnection, { authData: { ...authData, api_key: 'mp_wrong_key_0123456789' } }),
    );
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(/did not accept this API key.*reconnect Mailprobe/);
    expect(error.message).not.toContain('mp_wrong_key');
  });

  it('turns 429 rate_limited into a ThrottledError that honours Retry-After', async () => {
    const throttled = await service.connect('one a minute', { requestsPerMinute: 1 });
    const bundle = { authData: throttled, inputData: { email: LEADS.valid } };
    await appTester(performVerifyEmail, bundle);
    const error = await zapierErrorOf(appTester(performVerifyEmail, bundle));
    expect(error.name).toBe('ThrottledError');
    expect(error.message).toMatch(/requests this API key may make per minute/);
    // The limiter's window is one minute, so the prober asks for 1..60 seconds.
    expect(error.delay).toBeGreaterThanOrEqual(1);
    expect(error.delay).toBeLessThanOrEqual(60);
  });

  it('does not retry 429 quota_exceeded: retrying cannot help', async () => {
    const spent = await service.connect('one check in total', { quota: 1 });
    const bundle = { authData: spent, inputData: { email: LEADS.valid } };
    await appTester(performVerifyEmail, bundle);
    const error = await zapierErrorOf(appTester(performVerifyEmail, bundle));
    expect(error).toMatchObject({ name: 'AppError', code: 'quota_exceeded', status: 429 });
    expect(error.message).toMatch(/used its whole verification quota/);
  });

  it("passes a 400's message on to the user", async () => {
    const error = await zapierErrorOf(
      appTester(performVerifyEmail, { authData, inputData: { email: `${'a'.repeat(1100)}@acme.test` } }),
    );
    expect(error).toMatchObject({ name: 'AppError', code: 'bad_request', status: 400 });
    expect(error.message).toMatch(/^Mailprobe could not do this: .*email/);
  });

  it('retries when the prober cannot be reached', async () => {
    const port = await closedPort();
    const error = await zapierErrorOf(
      appTester(testConnection, { authData: { ...authData, api_url: `http://127.0.0.1:${port}` } }),
    );
    expect(error).toMatchObject({ name: 'ThrottledError', delay: DEFAULT_RETRY_DELAY_SECONDS });
    expect(error.message).toContain(`Could not reach Mailprobe at http://127.0.0.1:${port}`);
  });

  it('explains an endpoint URL that is not an http(s) URL', async () => {
    const error = await zapierErrorOf(
      appTester(testConnection, { authData: { ...authData, api_url: 'ftp://prober.example.com' } }),
    );
    expect(error).toMatchObject({ name: 'AppError', code: 'invalid_endpoint_url' });
  });

  it('refuses a server that does not answer like a prober', async () => {
    const notAProber = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
    });
    await new Promise<void>((resolve) => notAProber.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = notAProber.address() as AddressInfo;
      const error = await zapierErrorOf(
        appTester(testConnection, { authData: { ...authData, api_url: `http://127.0.0.1:${port}` } }),
      );
      expect(error).toMatchObject({ name: 'AppError', code: 'invalid_response', status: 200 });
      expect(error.message).toMatch(/did not answer like a Mailprobe prober \(accountName: /);
    } finally {
      await new Promise<void>((resolve) => notAProber.close(() => resolve()));
    }
  });
});
