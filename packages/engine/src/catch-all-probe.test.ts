import { parseAddress } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { acceptedRecipientAt, catchAllProbeAddress, readCatchAllReply } from './catch-all-probe.js';
import { classifyReply, parseReply } from './smtp/index.js';
import { decideVerdict } from './verdict.js';

/** The probe's reply as the session hands it over, and how the engine reads it. */
function readProbe(reply: string, acceptedAlongside: boolean) {
  const parsed = parseReply(reply);
  return readCatchAllReply(parsed, classifyReply('rcpt', parsed), null, acceptedAlongside);
}

/** What an accepted mailbox ends as, given how the probe of its session was answered. */
function acceptedMailboxWith(probeReply: string, acceptedAlongside: boolean) {
  return decideVerdict({
    stage: 'rcpt',
    classification: classifyReply('rcpt', parseReply('250 2.1.5 Ok')),
    catchAll: readProbe(probeReply, acceptedAlongside),
  });
}

const POLICY_REFUSALS = [
  '554 5.7.1 <mailprobe-0a1b2c3d4e5f@example.com>: Recipient address rejected: Access denied',
  '554 5.7.1 Access denied',
  '550 5.7.1 Recipient Prohibited (3)',
  '550 Administrative prohibition',
];

describe('readCatchAllReply', () => {
  it('an accepted probe: catch-all, whatever else the session did', () => {
    for (const alongside of [false, true]) {
      expect(readProbe('250 2.1.5 Ok', alongside)).toEqual({ kind: 'catch_all' });
      expect(acceptedMailboxWith('250 2.1.5 Ok', alongside)).toMatchObject({
        status: 'UNKNOWN',
        reason: 'catch_all',
      });
    }
  });

  it('a probe refused as unknown: not catch-all, with or without an acceptance alongside', () => {
    for (const reply of [
      '550 5.1.1 <mailprobe-0a1b2c3d4e5f@example.com>: Recipient address rejected: User unknown',
      '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)',
      '550 Requested action not taken: mailbox unavailable',
    ]) {
      expect(readProbe(reply, false)).toEqual({ kind: 'not_catch_all' });
      expect(readProbe(reply, true)).toEqual({ kind: 'not_catch_all' });
    }
  });

  it.each(POLICY_REFUSALS)(
    'a probe refused with policy wording (%s) while a real recipient was accepted: not catch-all, VALID',
    (reply) => {
      expect(readProbe(reply, true)).toEqual({ kind: 'not_catch_all' });
      expect(acceptedMailboxWith(reply, true)).toMatchObject({ status: 'VALID', reason: 'accepted' });
    },
  );

  it.each(POLICY_REFUSALS)('the same refusal (%s) with no one accepted alongside proves nothing', (reply) => {
    expect(readProbe(reply, false)).toMatchObject({ kind: 'inconclusive' });
    expect(acceptedMailboxWith(reply, false)).toMatchObject({ status: 'UNKNOWN', reason: 'blocked' });
  });

  it('a 4xx or a rate limit to the probe proves nothing, even with an acceptance alongside', () => {
    for (const reply of [
      '450 4.7.1 <mailprobe-0a1b2c3d4e5f@example.com>: Recipient address rejected: Access denied',
      '451 4.7.1 Greylisted, please retry in 60 seconds',
      '421 4.7.0 mx.example.com Error: too many errors',
      '554 5.2.122 The recipient has exceeded their limit for the number of messages they can receive per hour.',
    ]) {
      expect(readProbe(reply, true)).toMatchObject({ kind: 'inconclusive' });
      expect(acceptedMailboxWith(reply, true).status).toBe('UNKNOWN');
    }
  });

  it('no reply: the session failure decides, never proof', () => {
    expect(readCatchAllReply(null, null, 'timeout', true)).toEqual({
      kind: 'inconclusive',
      classification: null,
      failure: 'timeout',
    });
  });
});

describe('acceptedRecipientAt', () => {
  const address = (text: string) => {
    const parsed = parseAddress(text);
    if (!parsed.ok) throw new Error(`bad test address ${text}`);
    return parsed.address;
  };
  const alice = address('alice@example.com');
  const bob = address('bob@example.com');
  const other = address('carol@other.example');

  it('is true only for a 250/251 to a real recipient at the domain', () => {
    const ok = parseReply('250 2.1.5 Ok');
    const refused = parseReply('550 5.1.1 User unknown');
    expect(acceptedRecipientAt('example.com', [{ address: alice, reply: ok }])).toBe(true);
    expect(acceptedRecipientAt('example.com', [{ address: bob, reply: parseReply('251 forwarding') }])).toBe(
      true,
    );
    expect(acceptedRecipientAt('example.com', [{ address: alice, reply: refused }])).toBe(false);
    expect(acceptedRecipientAt('example.com', [{ address: alice, reply: null }])).toBe(false);
    expect(acceptedRecipientAt('example.com', [{ address: other, reply: ok }])).toBe(false);
    expect(acceptedRecipientAt('example.com', [])).toBe(false);
  });

  it('the probe address is at the same domain as the sample it was made for', () => {
    expect(catchAllProbeAddress(alice).domain).toBe('example.com');
  });
});
