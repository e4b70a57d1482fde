import { describe, expect, it } from 'vitest';
import { classifyReply, parseReply, ReplyParser, SmtpProtocolError } from './index.js';

// Teams classify bounce replies they already hold with the engine's public entry alone.
describe('reply classification from the public entry', () => {
  it('parses and classifies a reply held as text', () => {
    const reply = parseReply(
      '550 5.1.1 <nobody@blocked-mail.example>: Recipient address rejected: User unknown',
    );
    expect(classifyReply('rcpt', reply)).toMatchObject({
      status: 'INVALID',
      reason: 'mailbox_not_found',
      rule: 'mailbox-not-found-code',
    });
    expect(classifyReply('mail', reply).status).toBe('UNKNOWN');
  });

  it('parses a byte stream of replies with the incremental parser', () => {
    const parser = new ReplyParser();
    const replies = parser.push(
      Buffer.from('421 4.7.0 Temporary System Problem\r\n571 Delivery not authorized\r\n'),
    );
    expect(replies.map((reply) => classifyReply('rcpt', reply).reason)).toEqual([
      'temporary_failure',
      'blocked',
    ]);
  });

  it('throws SmtpProtocolError for text that is not a reply', () => {
    expect(() => parseReply('User unknown')).toThrow(SmtpProtocolError);
  });
});
