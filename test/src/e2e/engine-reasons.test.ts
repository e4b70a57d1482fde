import {
  PROBER_ONLY_REASONS,
  parseAddress,
  REASON_STATUS,
  REASONS,
  type Reason,
  VerificationResultSchema,
} from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeInternet, startFakeInternet } from '../index.js';
import { createEngine, type Engine } from './engine-under-test.js';

// One fake internet where each address below ends in a different reason.
const CASES: Record<string, Reason> = {
  'alice@ok.test': 'accepted',
  'not an address': 'invalid_syntax',
  'someone@gone.test': 'domain_not_found',
  'someone@web-only.test': 'no_mx',
  'someone@null.test': 'null_mx',
  'bob@ok.test': 'mailbox_not_found',
  'carol@ok.test': 'mailbox_disabled',
  'anyone@catchall.test': 'catch_all',
  'dave@grey.test': 'greylisted',
  'erin@ok.test': 'mailbox_full',
  'frank@fortress.test': 'blocked',
  'grace@busy.test': 'rate_limited',
  'heidi@tarpit.test': 'timeout',
  'ivan@dead.test': 'connection_failed',
  'judy@broken.test': 'dns_error',
  'mallory@ok.test': 'temporary_failure',
  'oscar@garbage.test': 'unexpected_response',
};
const UNROUTABLE: Record<string, Reason> = { 'peggy@ok.test': 'unroutable_mx' };

describe('engine end to end: every reason of the vocabulary', () => {
  let internet: FakeInternet;
  let engine: Engine;
  let guarded: Engine;

  beforeAll(async () => {
    internet = await startFakeInternet({
      domains: {
        'ok.test': {
          mx: [
            {
              host: 'mx.ok.test',
              smtp: {
                mailboxes: ['alice@ok.test', 'peggy@ok.test'],
                disabled: ['carol@ok.test'],
                full: ['erin@ok.test'],
                rcptReplies: {
                  'mallory@ok.test': '451 4.3.0 Temporary lookup failure',
                },
              },
            },
          ],
        },
        'busy.test': {
          mx: [
            {
              host: 'mx.busy.test',
              smtp: {
                rcptReplies: {
                  'grace@busy.test': '421 4.7.0 mx.busy.test Error: too many connections from 127.0.0.1',
                },
              },
            },
          ],
        },
        'gone.test': { nxdomain: true },
        'web-only.test': { a: ['192.0.2.20'] },
        'null.test': { nullMx: true },
        'catchall.test': { mx: [{ host: 'mx.catchall.test', smtp: { catchAll: true } }] },
        'grey.test': {
          mx: [{ host: 'mx.grey.test', smtp: { mailboxes: ['dave@grey.test'], greylistMs: 60_000 } }],
        },
        'fortress.test': {
          mx: [
            {
              host: 'mx.fortress.test',
              smtp: { mailboxes: ['frank@fortress.test'], allowedClients: ['10.0.0.0/8'] },
            },
          ],
        },
        'tarpit.test': { mx: [{ host: 'mx.tarpit.test', smtp: { behaviour: 'never-greet' } }] },
        'dead.test': { mx: [{ host: 'mx.dead.test', smtp: false }] },
        'broken.test': { servfail: true },
        'garbage.test': { mx: [{ host: 'mx.garbage.test', smtp: { behaviour: 'garbage' } }] },
      },
    });
    const common = {
      ...internet.engineOptions,
      defaultHeloName: 'probe.mailprobe.test',
      mailFrom: 'verify@mailprobe.test',
      timeouts: { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 3000 },
    };
    engine = createEngine(common);
    guarded = createEngine({ ...common, allowPrivateTargets: false });
  });

  afterAll(async () => {
    await engine?.close();
    await guarded?.close();
    await internet?.close();
  });

  it('reaches each reason through real DNS and SMTP on loopback, and all of them together', async () => {
    const addresses = Object.keys(CASES);
    const results = await engine.verifyMany(addresses);
    const unroutable = await guarded.verifyMany(Object.keys(UNROUTABLE));

    const reached = new Set<Reason>();
    for (const [index, result] of [...results, ...unroutable].entries()) {
      const input = [...addresses, ...Object.keys(UNROUTABLE)][index] as string;
      expect(VerificationResultSchema.parse(result)).toEqual(result);
      expect(result.address).toBe(input);
      expect({ input, reason: result.reason }).toEqual({ input, reason: CASES[input] ?? UNROUTABLE[input] });
      expect(result.status).toBe(REASON_STATUS[result.reason]);
      reached.add(result.reason);
    }
    const engineReasons = REASONS.filter((reason) => !PROBER_ONLY_REASONS.includes(reason));
    expect([...reached].sort()).toEqual(engineReasons.sort());
  });

  it('answers addresses parsed by the caller (verifyParsed) exactly as it answers the same inputs as text', async () => {
    // Inputs as the service parses them before its cache lookup (spacing and case kept in `address`), one of each reason
    // that a probe decides; the slow ones (timeout, unreachable) are left out to keep the test short.
    const inputs = [
      ' alice@OK.test ',
      'bob@ok.test',
      'carol@ok.test',
      'anyone@catchall.test',
      'erin@ok.test',
    ];
    const parsed = inputs.map((input) => {
      const outcome = parseAddress(input);
      if (!outcome.ok) throw new Error(`${input} does not parse`);
      return outcome.address;
    });
    const seen: number[] = [];
    const fromParsed = await engine.verifyParsed(parsed, { onResult: (index) => seen.push(index) });
    const fromText = await engine.verifyMany(inputs);
    // What a run took and when it ran differ between two runs; everything else is the same.
    const comparable = ({ timings, checkedAt, ...rest }: (typeof fromText)[number]) => rest;
    expect(fromParsed.map(comparable)).toEqual(fromText.map(comparable));
    expect(fromParsed.map((result) => result.address)).toEqual(inputs);
    expect(fromParsed.map((result) => result.reason)).toEqual([
      'accepted',
      'mailbox_not_found',
      'mailbox_disabled',
      'catch_all',
      'mailbox_full',
    ]);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('never sends DATA and always says QUIT when the server lets it', () => {
    const sessions = Object.values(internet.smtp).flatMap((server) => server.sessions);
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      expect(session.dataReceived).toBe(false);
      expect(session.commands.some((command) => /^DATA\b/i.test(command))).toBe(false);
    }
    const talkative = ['mx.ok.test', 'mx.catchall.test', 'mx.grey.test', 'mx.fortress.test'];
    for (const host of talkative) {
      for (const session of internet.smtp[host]?.sessions ?? [])
        expect(session.quitReceived, host).toBe(true);
    }
  });
});

// Issue #10: replies whose echoes hold refusal words, servers that refuse unknown recipients by policy, codes past x5x.
describe('engine end to end: the server’s own words decide', () => {
  let internet: FakeInternet;
  let engine: Engine;
  const POLICY_REFUSAL = '554 5.7.1 <{recipient}>: Recipient address rejected: Access denied';

  beforeAll(async () => {
    const server = (host: string, smtp: Record<string, unknown>) => ({ mx: [{ host, smtp }] });
    internet = await startFakeInternet({
      domains: {
        // Postfix's default refusal echoes the recipient: "<nobody@blocked-spam-policy.test>: … User unknown".
        'blocked-spam-policy.test': server('mx.blocked-spam-policy.test', {
          mailboxes: ['alice@blocked-spam-policy.test'],
        }),
        'gateway.test': server('mx.gateway.test', {
          mailboxes: ['alice@gateway.test'],
          unknownReply: POLICY_REFUSAL,
        }),
        'deferring.test': server('mx.deferring.test', {
          mailboxes: ['alice@deferring.test'],
          unknownReply: '450 4.7.1 <{recipient}>: Recipient address rejected: Access denied',
        }),
        'odd-codes.test': server('mx.odd-codes.test', {
          rcptReplies: {
            'refused@odd-codes.test': '571 Delivery not authorized, message refused',
            'gone@odd-codes.test': '571 <gone@odd-codes.test>... User unknown',
          },
        }),
      },
    });
    engine = createEngine({
      ...internet.engineOptions,
      defaultHeloName: 'probe.mailprobe.test',
      mailFrom: 'verify@mailprobe.test',
      timeouts: { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 3000 },
    });
  });

  afterAll(async () => {
    await engine?.close();
    await internet?.close();
  });

  it('a domain and mailbox named with refusal words: INVALID by the 5.1.1, VALID when it exists', async () => {
    const [known, unknown, named] = await engine.verifyMany([
      'alice@blocked-spam-policy.test',
      'nobody@blocked-spam-policy.test',
      'relay-denied@blocked-spam-policy.test',
    ]);
    expect(known).toMatchObject({ status: 'VALID', reason: 'accepted', flags: { catchAll: false } });
    for (const result of [unknown, named]) {
      expect(result).toMatchObject({
        status: 'INVALID',
        reason: 'mailbox_not_found',
        smtp: { replyCode: 550 },
      });
      expect(result?.smtp?.replyText).toContain('@blocked-spam-policy.test>: Recipient address rejected');
    }
  });

  it('a gateway refusing unknown recipients with policy wording: the accepted one is VALID, the refused UNKNOWN', async () => {
    const [known, unknown] = await engine.verifyMany(['alice@gateway.test', 'nobody@gateway.test']);
    expect(known).toMatchObject({ status: 'VALID', reason: 'accepted', flags: { catchAll: false } });
    expect(unknown).toMatchObject({ status: 'UNKNOWN', reason: 'blocked', smtp: { replyCode: 554 } });
    const probes = (internet.smtp['mx.gateway.test']?.sessions ?? [])
      .flatMap((session) => session.commands)
      .filter((command) => /^RCPT TO:<mailprobe-[0-9a-f]{12}@gateway\.test>/.test(command));
    expect(probes).toHaveLength(1);
  });

  it('such a refusal does not bench our source: the domain’s next address is still asked', async () => {
    // One dedicated source address: a refusal of it would bench it for the MX and leave nothing to ask from.
    const sourced = createEngine({
      ...internet.engineOptions,
      sourceAddresses: ['127.0.2.50'],
      defaultHeloName: 'probe.mailprobe.test',
      timeouts: { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 3000 },
    });
    try {
      const first = await sourced.verifyMany(['carol@gateway.test', 'alice@gateway.test']);
      expect(first.map((result) => [result.reason, result.smtp?.sourceAddress])).toEqual([
        ['blocked', '127.0.2.50'],
        ['accepted', '127.0.2.50'],
      ]);
      // A new call (the domain's catch-all verdict cached): alice alone, from the same source.
      expect(await sourced.verify('alice@gateway.test')).toMatchObject({
        status: 'VALID',
        reason: 'accepted',
      });
    } finally {
      await sourced.close();
    }
  });

  it('a 4xx policy refusal of the probe proves nothing, even with a recipient accepted', async () => {
    const result = await engine.verify('alice@deferring.test');
    expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'blocked', flags: { catchAll: false } });
  });

  it('a 571 is a permanent refusal read by its first digit, not a protocol error', async () => {
    const [refused, gone] = await engine.verifyMany(['refused@odd-codes.test', 'gone@odd-codes.test']);
    expect(refused).toMatchObject({ status: 'UNKNOWN', reason: 'blocked', smtp: { replyCode: 571 } });
    expect(gone).toMatchObject({ status: 'INVALID', reason: 'mailbox_not_found', smtp: { replyCode: 571 } });
  });
});
