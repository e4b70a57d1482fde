import { describe, expect, it } from 'vitest';
import { engineOnFakeInternet, mailboxes } from './engine-on-fake-internet.js';
import { createMemoryMxLimiter } from './engine-under-test.js';

const SOURCES = '127.0.2.0/29';
const USABLE_SOURCES = ['127.0.2.1', '127.0.2.2', '127.0.2.3', '127.0.2.4', '127.0.2.5', '127.0.2.6'];
const TIMEOUTS = { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 4000 };

describe('engine end to end: source addresses, rotation, benching and politeness', () => {
  const { start } = engineOnFakeInternet(TIMEOUTS);

  it('binds every connection to a configured source address, rotating, and records it', async () => {
    const { internet, engine } = await start(
      { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: mailboxes('ok.test', 6) } }] } },
      { sourceAddresses: [SOURCES], recipientsPerSession: 1, maxSessionsPerMx: 1 },
    );
    const results = await engine.verifyMany(mailboxes('ok.test', 6));
    const server = internet.smtp['mx.ok.test'];
    const clients = server?.sessions.map((session) => session.clientAddress) ?? [];
    // One session asks the catch-all probe too; the rest reuse its cached verdict.
    expect(new Set(clients)).toEqual(new Set(USABLE_SOURCES));
    expect(results.map((result) => result.reason)).toEqual(Array(6).fill('accepted'));
    expect(new Set(results.map((result) => result.smtp?.sourceAddress))).toEqual(new Set(USABLE_SOURCES));
    for (const result of results) expect(clients).toContain(result.smtp?.sourceAddress);
  });

  it('greets with the configured name, else the forward-confirmed PTR, else the default, and reports rDNS', async () => {
    const { internet, engine } = await start(
      { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: mailboxes('ok.test', 3) } }] } },
      {
        sourceAddresses: ['127.0.2.1', '127.0.2.2', '127.0.2.3'],
        heloNames: { '127.0.2.1': 'one.probe.test' },
        recipientsPerSession: 1,
        maxSessionsPerMx: 1,
      },
      {
        '127.0.2.1': { ptr: 'one.probe.test' },
        'one.probe.test': { a: ['127.0.2.1'] },
        '127.0.2.2': { ptr: 'two.probe.test' },
        'two.probe.test': { a: ['127.0.2.2'] },
      },
    );
    const results = await engine.verifyMany(mailboxes('ok.test', 3));
    const heloBySource = Object.fromEntries(
      internet.smtp['mx.ok.test']?.sessions.map((session) => [session.clientAddress, session.helo]) ?? [],
    );
    expect(heloBySource).toEqual({
      '127.0.2.1': 'one.probe.test',
      '127.0.2.2': 'two.probe.test',
      '127.0.2.3': 'probe.mailprobe.test',
    });
    for (const result of results)
      expect(result.smtp?.heloName).toBe(heloBySource[result.smtp?.sourceAddress ?? '']);

    const reports = await engine.checkSourceAddresses();
    expect(reports).toEqual([
      {
        address: '127.0.2.1',
        heloName: 'one.probe.test',
        heloNameSource: 'config',
        ptr: 'one.probe.test',
        forwardConfirmed: true,
        heloMatchesPtr: true,
      },
      {
        address: '127.0.2.2',
        heloName: 'two.probe.test',
        heloNameSource: 'ptr',
        ptr: 'two.probe.test',
        forwardConfirmed: true,
        heloMatchesPtr: true,
      },
      {
        address: '127.0.2.3',
        heloName: 'probe.mailprobe.test',
        heloNameSource: 'default',
        ptr: null,
        forwardConfirmed: false,
        heloMatchesPtr: false,
      },
    ]);
  });

  it.each([
    ['at RCPT', false],
    ['at the greeting', true],
  ])(
    'benches a source the MX blocks %s and retries from another before answering',
    async (_, blockAtGreeting) => {
      const { internet, engine } = await start(
        {
          'fortress.test': {
            mx: [
              {
                host: 'mx.fortress.test',
                smtp: {
                  mailboxes: ['frank@fortress.test', 'grace@fortress.test'],
                  allowedClients: ['127.0.2.4/30'],
                  blockAtGreeting,
                },
              },
            ],
          },
        },
        { sourceAddresses: [SOURCES] },
      );
      const first = await engine.verify('frank@fortress.test');
      expect(first).toMatchObject({
        status: 'VALID',
        reason: 'accepted',
        smtp: { sourceAddress: '127.0.2.4' },
      });
      const server = internet.smtp['mx.fortress.test'];
      expect(server?.sessions.map((session) => session.clientAddress)).toEqual([
        '127.0.2.1',
        '127.0.2.2',
        '127.0.2.3',
        '127.0.2.4',
      ]);
      // The refused sources stay benched for this MX: the next probe goes straight to an allowed one.
      const second = await engine.verify('grace@fortress.test');
      expect(second).toMatchObject({ reason: 'accepted', smtp: { sourceAddress: '127.0.2.5' } });
      expect(server?.sessions.slice(4).map((session) => session.clientAddress)).toEqual(['127.0.2.5']);
    },
  );

  it('answers blocked once every source has been refused', async () => {
    const { internet, engine } = await start(
      { 'fortress.test': { mx: [{ host: 'mx.fortress.test', smtp: { allowedClients: ['10.0.0.0/8'] } }] } },
      { sourceAddresses: ['127.0.2.1', '127.0.2.2'] },
    );
    const result = await engine.verify('frank@fortress.test');
    expect(result).toMatchObject({
      status: 'UNKNOWN',
      reason: 'blocked',
      smtp: { replyCode: 554, enhancedCode: '5.7.1' },
    });
    expect(internet.smtp['mx.fortress.test']?.sessions.map((session) => session.clientAddress)).toEqual([
      '127.0.2.1',
      '127.0.2.2',
    ]);
  });

  it('never runs more than maxSessionsPerMx sessions at one MX host, across domains', async () => {
    const shared = {
      host: 'mx.shared.test',
      smtp: { catchAll: false, replyDelayMs: 5, mailboxes: mailboxes('a.test', 20) },
    };
    const { internet, engine } = await start(
      { 'a.test': { mx: [shared] }, 'b.test': { mx: [{ host: 'mx.shared.test' }] } },
      { recipientsPerSession: 1, maxSessionsPerMx: 2, maxConnectionsPerMinute: 1000, concurrency: 50 },
    );
    const addresses = [...mailboxes('a.test', 20), ...mailboxes('b.test', 20)];
    const results = await engine.verifyMany(addresses);
    const server = internet.smtp['mx.shared.test'];
    expect(server?.sessions.length).toBe(40);
    expect(server?.peakConcurrency).toBe(2);
    expect(results.filter((result) => result.reason === 'accepted')).toHaveLength(20);
    expect(results.filter((result) => result.reason === 'mailbox_not_found')).toHaveLength(20);
    expect(results.some((result) => result.timings.queuedMs > 0)).toBe(true);
  });

  it('queues connections beyond the per-(source, MX) rate instead of failing them', async () => {
    const { internet, engine } = await start(
      { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: mailboxes('ok.test', 6) } }] } },
      {
        recipientsPerSession: 1,
        mxLimiter: createMemoryMxLimiter({
          maxSessionsPerMx: 2,
          maxConnectionsPerMinute: 2,
          rateWindowMs: 300,
        }),
      },
    );
    const results = await engine.verifyMany(mailboxes('ok.test', 6));
    expect(results.map((result) => result.reason)).toEqual(Array(6).fill('accepted'));
    expect(internet.smtp['mx.ok.test']?.sessions).toHaveLength(6);
    const queued = results.map((result) => result.timings.queuedMs).sort((left, right) => left - right);
    // Two connections fit the first window; the others waited for later windows.
    expect(queued.filter((ms) => ms >= 100).length).toBeGreaterThanOrEqual(4);
  });
});
