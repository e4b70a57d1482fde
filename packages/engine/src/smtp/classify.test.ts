import { readFileSync } from 'node:fs';
import { REASONS } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { REPLY_FIXTURES } from './__fixtures__/replies.js';
import { CLASSIFICATION_RULES, classifyReply, retryHintSeconds } from './classify.js';
import { ReplyParser } from './reply-parser.js';
import { serverWording } from './server-wording.js';
import type { SmtpReply, SmtpStage } from './types.js';

function parseOne(raw: string): SmtpReply {
  const replies = new ReplyParser().push(Buffer.from(raw, 'utf8'));
  expect(replies).toHaveLength(1);
  return replies[0] as SmtpReply;
}

const STAGES: SmtpStage[] = ['connect', 'greeting', 'ehlo', 'starttls', 'mail', 'rcpt'];
const BEFORE_RCPT = STAGES.filter((stage) => stage !== 'rcpt');

// The strongest wording of every kind, tried under every code and stage.
const SWEEP_TEXTS = [
  '',
  'Ok',
  'Access denied',
  '5.1.1 User unknown',
  '4.2.2 over quota',
  'try again later',
  '5.2.1 The email account that you tried to reach is disabled.',
  '5.4.1 Recipient address rejected: Access denied. AS(201806281)',
  '5.7.1 No such user!',
  'sorry, no mailbox here by that name. (#5.7.17)',
  "delivery error: dd This user doesn't have a yahoo.com account",
  'Benutzer unbekannt',
  'нет такого пользователя',
  'Account has been disabled',
  '<probe@mailprobe.example>: Sender address rejected: User unknown in local recipient table',
];

describe('classifyReply on real servers’ replies', () => {
  it.each(REPLY_FIXTURES)('$server at $stage: $raw → $reason', (fixture) => {
    const classification = classifyReply(fixture.stage, parseOne(fixture.raw));
    expect({ reason: classification.reason, rule: classification.rule }).toEqual({
      reason: fixture.reason,
      rule: fixture.rule,
    });
    expect(classification.retryAfterSeconds).toBe(fixture.retryAfterSeconds);
  });

  it('has a real transcript for every row of the table', () => {
    const covered = new Set(REPLY_FIXTURES.map((fixture) => fixture.rule));
    expect(CLASSIFICATION_RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('the classification table', () => {
  it('has unique ids', () => {
    const ids = CLASSIFICATION_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(CLASSIFICATION_RULES.map((rule) => [rule.id, rule] as const))(
    'row %s decides its own example',
    (_, rule) => {
      const stage = 'stages' in rule ? (rule.stages[rule.stages.length - 1] as SmtpStage) : 'rcpt';
      const example = rule.example.includes('\n') ? rule.example : `${rule.example}\r\n`;
      expect(classifyReply(stage, parseOne(example)).rule).toBe(rule.id);
    },
  );

  it('never says INVALID outside RCPT, for a 4xx, or for a 5xx without proof', () => {
    // Every code the parser lets through, 5x6–5x9 too (read by their first digit). Violations are collected and
    // compared once: 36,000 classifications with an expect each would spend the time in the matcher.
    const violations: string[] = [];
    for (let code = 200; code <= 599; code++) {
      for (const text of SWEEP_TEXTS) {
        const [reply] = new ReplyParser().push(Buffer.from(`${code} ${text}\r\n`, 'utf8'));
        if (!reply) throw new Error(`not parsed: ${code} ${text}`);
        for (const stage of STAGES) {
          const { status, reason } = classifyReply(stage, reply);
          const label = `${stage} ${code} ${text} → ${status} ${reason}`;
          if (!(REASONS as readonly string[]).includes(reason)) violations.push(`unknown reason: ${label}`);
          if (
            status === 'INVALID' &&
            (stage !== 'rcpt' || code < 500 || !/^mailbox_(not_found|disabled)$/.test(reason))
          ) {
            violations.push(label);
          }
          if (status === 'VALID' && (stage !== 'rcpt' || code >= 300)) violations.push(label);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('never says INVALID for any real reply received before RCPT', () => {
    for (const fixture of REPLY_FIXTURES) {
      const reply = parseOne(fixture.raw);
      for (const stage of BEFORE_RCPT) {
        expect({ stage, raw: fixture.raw, status: classifyReply(stage, reply).status }).not.toMatchObject({
          status: 'INVALID',
        });
      }
    }
  });

  it.each([
    '550 5.1.1 User unknown; Client host [192.0.2.1] blocked using zen.spamhaus.org',
    '550 5.7.1 User unknown - rejected by local policy',
    '554 5.7.1 <user@example.com>: Recipient address rejected: Relay access denied; no such user',
    '550-Verification failed for <probe@mailprobe.example>\r\n550-Unrouteable address\r\n550 Sender verify failed',
    '550 5.1.1 No such user: your IP 192.0.2.1 is listed at bl.example.org',
    '550 5.1.1 Sender address does not exist',
  ])('lets refusal wording outweigh mailbox wording: %s', (raw) => {
    expect(classifyReply('rcpt', parseOne(`${raw}\r\n`)).reason).toBe('blocked');
  });

  it('treats a 554 at the greeting as blocked and a 5xx to MAIL FROM as a refusal of us', () => {
    expect(classifyReply('greeting', parseOne('554 5.3.2 Service currently unavailable\r\n')).reason).toBe(
      'blocked',
    );
    expect(classifyReply('mail', parseOne('550 5.1.0 Sender rejected\r\n')).reason).toBe('blocked');
    expect(classifyReply('mail', parseOne('550 5.1.1 User unknown\r\n')).reason).toBe('blocked');
  });

  it('is documented row by row in docs/classification.md', () => {
    const doc = readFileSync(new URL('../../docs/classification.md', import.meta.url), 'utf8');
    for (const rule of CLASSIFICATION_RULES) {
      expect(doc).toContain(`\`${rule.id}\``);
      expect(doc).toContain(`\`${rule.example}\``);
    }
  });
});

// Item 1 of issue #10: what a server echoes (the recipient, its domain, our IP and HELO name, links) is not
// its own words. Every row's example is replayed with the trigger words of every other row hidden in echoes.
type Rule = (typeof CLASSIFICATION_RULES)[number];
const triggersOf = (rule: Rule): readonly string[] => ('triggers' in rule ? rule.triggers : []);
const slug = (words: string): string =>
  words
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
/** One echo of each kind a server sends, each carrying `words`. */
function echoesOf(words: string): string[] {
  const name = slug(words);
  return [
    `<${name}@${name}.example>`,
    `<"${words}"@example.com>`,
    `${name}@mail.${name}.example`,
    `"${words}"@example.org`,
    `${name}.example.com`,
    `mx1.${name}.example.net[192.0.2.1]`,
    `[${name}.example.net]`,
    `https://${name}.example.org/help/${name}?q=${name}`,
    `[IPv6:2001:db8::${name.length}]`,
  ];
}
/** `example` with `echo` right after its codes, and again at its end. */
function withEcho(example: string, echo: string): string {
  const match = /^(\d{3})([ -])((?:[245]\.\d{1,3}\.\d{1,3} )?)(.*)$/s.exec(example);
  if (!match) throw new Error(`not a reply: ${example}`);
  const [, code, separator, enhanced, rest] = match;
  return `${code}${separator}${enhanced}${echo}: ${rest} (${echo})\r\n`;
}
const stageOf = (rule: Rule): SmtpStage => ('stages' in rule ? (rule.stages.at(-1) as SmtpStage) : 'rcpt');

describe('echoes never decide', () => {
  it('every wording row names trigger words, and each decides the row on its own', () => {
    for (const rule of CLASSIFICATION_RULES) {
      if (!('text' in rule)) continue;
      expect({ rule: rule.id, triggers: triggersOf(rule).length }).not.toEqual({
        rule: rule.id,
        triggers: 0,
      });
      for (const trigger of triggersOf(rule)) {
        expect({ rule: rule.id, trigger, matches: rule.text.test(serverWording(trigger)) }).toEqual({
          rule: rule.id,
          trigger,
          matches: true,
        });
      }
    }
  });

  it.each(CLASSIFICATION_RULES.map((rule) => [rule.id, rule] as const))(
    "row %s decides its example with every other row's words echoed in addresses, hosts, tags and URLs",
    (_, rule) => {
      const stage = stageOf(rule);
      const expected = classifyReply(stage, parseOne(`${rule.example}\r\n`));
      expect(expected.rule).toBe(rule.id);
      for (const other of CLASSIFICATION_RULES) {
        if (other.id === rule.id) continue;
        for (const trigger of triggersOf(other)) {
          for (const echo of echoesOf(trigger)) {
            const raw = withEcho(rule.example, echo);
            const { rule: decided, reason } = classifyReply(stage, parseOne(raw));
            expect({ raw, rule: decided, reason }).toEqual({ raw, rule: rule.id, reason: expected.reason });
          }
        }
      }
    },
  );

  // Addresses become `_`, hosts, IPs, client tags and URLs `~`: "<address> does not exist" can prove a missing
  // mailbox, "<host> does not exist" cannot.
  it('keeps the server’s own words, and points at a blocklist only for an operator’s link or a zone it looked in', () => {
    expect(serverWording('<nobody@blocked-mail.example>: Recipient address rejected: User unknown')).toBe(
      '_ Recipient address rejected: User unknown',
    );
    expect(
      serverWording('Client host [192.0.2.1] blocked using zen.spamhaus.org; see http://x.example/'),
    ).toBe('Client host ~ blocked using dnsbl; see ~');
    expect(serverWording('http://www.spamhaus.org/query/bl?ip=192.0.2.1')).toBe('dnsbl');
    // A zone's label counts only where the reply names the list it looked in; elsewhere it is a host like any other.
    expect(serverWording('Rejected 192.0.2.1 found in dnsbl.example.net')).toBe('Rejected ~ found in dnsbl');
    expect(serverWording('dnsbl.example.net: user unknown')).toBe('~ user unknown');
    expect(serverWording('User unknown (bl.example.ch)')).toBe('User unknown (~)');
    expect(serverWording('Mailbox unknown at rbl.com')).toBe('Mailbox unknown at ~');
    expect(serverWording('host mx.policy.example[192.0.2.7] said: 550 5.1.1 unknown user: "spam"')).toBe(
      'host ~ said: 550 5.1.1 unknown user: _',
    );
    expect(serverWording('client=[IPv6:2001:db8::1], from 2001:db8::2 at 12:30:45')).toBe(
      'client=~, from ~ at 12:30:45',
    );
    // Sentences run together and Exchange's diagnostic names are the server's words, not host names.
    expect(serverWording('User unknown.Please check RESOLVER.ADR.RecipientNotFound')).toBe(
      'User unknown.Please check RESOLVER.ADR.RecipientNotFound',
    );
    expect(serverWording("This user doesn't have a yahoo.com account")).toBe(
      "This user doesn't have a ~ account",
    );
  });
});

describe('retryHintSeconds', () => {
  it.each([
    ['Greylisted, try again in 300 seconds', 300],
    ['please retry in 5 minutes', 300],
    ['Try again after 2 hours', 7200],
    ['greylisted: wait 90s', 90],
    ['Try again in 99999999 seconds', undefined],
    ['try again in 999999 seconds', 86_400],
    ['Please try again later', undefined],
    ['4.7.1 Greylisted', undefined],
  ])('%s → %s', (text, seconds) => {
    expect(retryHintSeconds(text)).toBe(seconds);
  });
});
