import { describe, expect, it } from 'vitest';
import { EngineError, EngineOptionsError } from './errors.js';
import { ENGINE_DEFAULTS, resolveEngineOptions } from './options.js';
import { engineOptionsFromEnv } from './options-env.js';

describe('resolveEngineOptions', () => {
  it('fills the documented defaults', () => {
    const options = resolveEngineOptions({ defaultHeloName: 'probe.example.com' });
    expect(options).toMatchObject({
      dnsServers: [],
      dnsTimeoutMs: 3000,
      dnsRetries: 2,
      dnsCacheSize: 10_000,
      implicitMx: false,
      allowPrivateTargets: false,
      sourceAddresses: [],
      ports: [25],
      fallbackPorts: [587],
      maxSessionsPerMx: 2,
      recipientsPerSession: 100,
      maxRejectionsPerSession: 9,
      maxMxAttempts: 3,
      defaultHeloName: 'probe.example.com',
      timeouts: ENGINE_DEFAULTS.timeouts,
    });
  });

  it('leaves the HELO name and the sender automatic unless given', () => {
    const options = resolveEngineOptions({});
    expect(options.defaultHeloName).toBeUndefined();
    // Unset: each session sends `verify@<the HELO name it greets with>`.
    expect(options.mailFrom).toBeUndefined();
    expect(resolveEngineOptions({ mailFrom: 'bounce@example.com' }).mailFrom).toBe('bounce@example.com');
  });

  it('caps every phase timeout at the session deadline', () => {
    expect(resolveEngineOptions({ timeouts: { totalMs: 2000 } }).timeouts).toEqual({
      connectMs: 2000,
      greetingMs: 2000,
      commandMs: 2000,
      totalMs: 2000,
    });
  });

  it.each([
    [{ ports: [0] }, 'ports'],
    [{ ports: [] }, 'ports'],
    [{ fallbackPorts: [70_000] }, 'fallbackPorts'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ maxSessionsPerMx: 1.5 }, 'maxSessionsPerMx'],
    [{ dnsServers: ['dns.example.com'] }, 'dnsServers'],
    [{ dnsServers: ['127.0.0.1:99999'] }, 'dnsServers'],
    [{ sourceAddresses: ['127.0.2.0/33'] }, 'sourceAddresses'],
    [{ defaultHeloName: 'probe\r\nRCPT TO:<x@y>' }, 'defaultHeloName'],
    [{ heloNames: { '127.0.2.1': 'a b' } }, 'heloNames.127.0.2.1'],
    [{ mailFrom: 'a@b>\r\nDATA' }, 'mailFrom'],
    [{ mailFrom: 'no-at-sign' }, 'mailFrom'],
  ])('refuses %j', (input, option) => {
    let thrown: unknown;
    try {
      resolveEngineOptions(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EngineOptionsError);
    expect(EngineError.isInstance(thrown)).toBe(true);
    expect((thrown as EngineOptionsError).code).toBe('invalid_option');
    expect((thrown as EngineOptionsError).option).toBe(option);
  });

  it('accepts the null sender', () => {
    expect(resolveEngineOptions({ mailFrom: '' }).mailFrom).toBe('');
  });
});

describe('engineOptionsFromEnv', () => {
  it('reads every MAILPROBE_* variable named after the CLI flags', () => {
    const input = engineOptionsFromEnv({
      MAILPROBE_DNS_SERVERS: '127.0.53.53, 127.0.0.1:5300',
      MAILPROBE_SOURCE_ADDRESSES: '127.0.2.0/29,::1',
      MAILPROBE_HELO_NAME: 'probe.example.com',
      MAILPROBE_HELO_NAMES: '127.0.2.1=a.example.com,127.0.2.2=b.example.com',
      MAILPROBE_MAIL_FROM: 'bounce@example.com',
      MAILPROBE_PORTS: '25,2525',
      MAILPROBE_FALLBACK_PORTS: '',
      MAILPROBE_TIMEOUT_MS: '5000',
      MAILPROBE_CONCURRENCY: '8',
      MAILPROBE_MAX_SESSIONS_PER_MX: '3',
      MAILPROBE_MAX_CONNECTIONS_PER_MINUTE: '10',
      MAILPROBE_ALLOW_PRIVATE_TARGETS: '1',
      MAILPROBE_IMPLICIT_MX: 'true',
      UNRELATED: 'x',
    });
    expect(input).toEqual({
      dnsServers: ['127.0.53.53', '127.0.0.1:5300'],
      sourceAddresses: ['127.0.2.0/29', '::1'],
      defaultHeloName: 'probe.example.com',
      heloNames: { '127.0.2.1': 'a.example.com', '127.0.2.2': 'b.example.com' },
      mailFrom: 'bounce@example.com',
      ports: [25, 2525],
      fallbackPorts: [],
      timeouts: { totalMs: 5000 },
      concurrency: 8,
      maxSessionsPerMx: 3,
      maxConnectionsPerMinute: 10,
      allowPrivateTargets: true,
      implicitMx: true,
    });
    expect(resolveEngineOptions(input).timeouts.connectMs).toBe(5000);
  });

  it('accepts MAILPROBE_PORT for a single port and leaves unset variables out', () => {
    expect(engineOptionsFromEnv({ MAILPROBE_PORT: '2525' })).toEqual({ ports: [2525] });
    expect(engineOptionsFromEnv({})).toEqual({});
  });

  it.each([
    ['MAILPROBE_CONCURRENCY', 'many'],
    ['MAILPROBE_ALLOW_PRIVATE_TARGETS', 'maybe'],
    ['MAILPROBE_HELO_NAMES', '127.0.2.1'],
    ['MAILPROBE_PORTS', '25,x'],
  ])('refuses %s=%s with the variable named', (name, value) => {
    expect(() => engineOptionsFromEnv({ [name]: value })).toThrow(name);
  });
});
