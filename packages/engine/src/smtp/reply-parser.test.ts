import { describe, expect, it } from 'vitest';
import { SmtpProtocolError } from './errors.js';
import { parseEnhancedCode, parseReply, ReplyParser } from './reply-parser.js';
import type { SmtpReply } from './types.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

function parseAll(text: string, parser = new ReplyParser()): SmtpReply[] {
  return parser.push(bytes(text));
}

function protocolError(run: () => unknown): SmtpProtocolError {
  try {
    run();
  } catch (error) {
    if (SmtpProtocolError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an SmtpProtocolError');
}

const GMAIL_NOT_FOUND =
  '550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n' +
  "550-5.1.1 double-checking the recipient's email address for typos or\r\n" +
  '550-5.1.1 unnecessary spaces. For more information, go to\r\n' +
  '550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-b4f5 - gsmtp\r\n';

describe('ReplyParser', () => {
  it('parses a single-line reply with an enhanced code', () => {
    expect(parseAll('250 2.1.5 Ok\r\n')).toEqual([
      { code: 250, enhancedCode: '2.1.5', text: 'Ok', lines: ['250 2.1.5 Ok'] },
    ]);
  });

  it('joins a multi-line reply, removing the repeated enhanced codes', () => {
    const [reply] = parseAll(GMAIL_NOT_FOUND);
    expect(reply?.code).toBe(550);
    expect(reply?.enhancedCode).toBe('5.1.1');
    expect(reply?.lines).toHaveLength(4);
    expect(reply?.text).toBe(
      "The email account that you tried to reach does not exist. Please try double-checking the recipient's " +
        'email address for typos or unnecessary spaces. For more information, go to ' +
        'https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-b4f5 - gsmtp',
    );
  });

  it('gives the same replies whatever the chunk boundaries', () => {
    const stream = `220-mx.example.test ESMTP\r\n220 ready\r\n250-mx.example.test\r\n250-PIPELINING\r\n250 SMTPUTF8\r\n${GMAIL_NOT_FOUND}452 4.5.3 Too many recipients\n`;
    const expected = parseAll(stream);
    expect(expected.map((reply) => reply.code)).toEqual([220, 250, 550, 452]);
    const data = bytes(stream);
    for (let size = 1; size <= 7; size++) {
      const parser = new ReplyParser();
      const replies: SmtpReply[] = [];
      for (let offset = 0; offset < data.length; offset += size) {
        replies.push(...parser.push(data.subarray(offset, offset + size)));
      }
      expect(replies).toEqual(expected);
      expect(parser.bufferedBytes).toBe(0);
    }
    // Every two-way split, including between CR and LF.
    for (let split = 0; split <= data.length; split++) {
      const parser = new ReplyParser();
      const replies = [...parser.push(data.subarray(0, split)), ...parser.push(data.subarray(split))];
      expect(replies).toEqual(expected);
    }
  });

  it('keeps a partial line until its end arrives', () => {
    const parser = new ReplyParser();
    expect(parser.push(bytes('250-first\r\n250 sec'))).toEqual([]);
    expect(parser.bufferedBytes).toBeGreaterThan(0);
    expect(parser.push(bytes('ond\r\n'))[0]?.text).toBe('first second');
  });

  it('accepts LF-only line endings', () => {
    const [reply] = parseAll('250-mx.example.test\n250-PIPELINING\n250 8BITMIME\n');
    expect(reply?.lines).toEqual(['250-mx.example.test', '250-PIPELINING', '250 8BITMIME']);
  });

  it('accepts a final line made of the code alone', () => {
    expect(parseAll('250\r\n')[0]).toEqual({ code: 250, enhancedCode: null, text: '', lines: ['250'] });
  });

  it('ignores an enhanced code whose class differs from the reply code', () => {
    expect(parseAll('550 4.1.1 odd\r\n')[0]?.enhancedCode).toBeNull();
    expect(parseAll('250 5.1.1 odd\r\n')[0]?.enhancedCode).toBeNull();
    expect(parseEnhancedCode(550, '5.1.10 RESOLVER.ADR.RecipientNotFound')).toBe('5.1.10');
    expect(parseEnhancedCode(550, '5.1.1000 too long')).toBeNull();
    expect(parseEnhancedCode(550, '5.1.1; no space')).toBeNull();
    // A colon where the echoed address was dropped (round 9 held-out #2010) still ends the status code.
    expect(parseEnhancedCode(550, '5.1.1: Recipient address rejected: undeliverable address.')).toBe('5.1.1');
    expect(parseEnhancedCode(550, '5.1.1:2 not a code')).toBe('5.1.1');
    expect(parseEnhancedCode(451, '4.7.500 Server busy')).toBe('4.7.500');
  });

  it('replaces control bytes in texts', () => {
    const [reply] = parseAll('550 bad\u0007\u001b[31mred\u0000\r\n');
    expect(reply?.text).toBe('bad\uFFFD\uFFFD[31mred\uFFFD');
  });

  it('rejects garbage', () => {
    expect(protocolError(() => parseAll('HTTP/1.1 400 Bad Request\r\n')).code).toBe('malformed_reply');
    expect(protocolError(() => parseAll('25O ok\r\n')).code).toBe('malformed_reply');
    expect(protocolError(() => parseAll('\r\n')).code).toBe('malformed_reply');
    expect(protocolError(() => parseAll('250ok\r\n')).code).toBe('malformed_reply');
  });

  it('rejects codes outside 2xx–5xx and the RFC 5321 grammar', () => {
    for (const line of ['199 x', '600 x', '100 continue', '9999 x', '57a x']) {
      expect(protocolError(() => parseAll(`${line}\r\n`)).code).toBe('malformed_reply');
    }
    expect(parseAll('354 Start mail input\r\n')[0]?.code).toBe(354);
  });

  it('reads codes with a second digit past 5 (571, 260) as replies of their class, RFC 5321 §4.2.1', () => {
    expect(parseAll('571 5.7.1 Delivery not authorized, message refused\r\n')[0]).toEqual({
      code: 571,
      enhancedCode: '5.7.1',
      text: 'Delivery not authorized, message refused',
      lines: ['571 5.7.1 Delivery not authorized, message refused'],
    });
    expect(parseAll('260 x\r\n')[0]?.code).toBe(260);
    expect(parseAll('599-a\r\n599 b\r\n')[0]?.text).toBe('a b');
  });

  it('rejects continuation lines with a different code', () => {
    expect(protocolError(() => parseAll('250-mx\r\n550 no\r\n')).code).toBe('mismatched_code');
  });

  it('bounds the line length, even before the line ends', () => {
    const parser = new ReplyParser({ maxLineBytes: 64 });
    expect(parser.push(bytes(`250 ${'x'.repeat(60)}\r\n`))[0]?.code).toBe(250);
    const error = protocolError(() => {
      for (let sent = 0; sent < 1_000_000; sent += 1000) parser.push(bytes('x'.repeat(1000)));
    });
    expect(error.code).toBe('line_too_long');
    expect(parser.bufferedBytes).toBe(0);
    // Once broken, the parser stays broken.
    expect(protocolError(() => parser.push(bytes('250 ok\r\n'))).code).toBe('line_too_long');
  });

  it('counts the CR of a CRLF split from its LF as part of the ending, not the line', () => {
    const parser = new ReplyParser({ maxLineBytes: 8 });
    expect(parser.push(bytes('250 1234\r'))).toEqual([]);
    expect(parser.push(bytes('\n'))[0]?.text).toBe('1234');
    expect(protocolError(() => new ReplyParser({ maxLineBytes: 8 }).push(bytes('250 12345\n'))).code).toBe(
      'line_too_long',
    );
  });

  it('bounds the number of lines in one reply', () => {
    const parser = new ReplyParser({ maxLines: 5 });
    expect(parser.push(bytes(`${'250-a\r\n'.repeat(4)}250 e\r\n`))[0]?.lines).toHaveLength(5);
    expect(protocolError(() => parser.push(bytes('250-a\r\n'.repeat(6)))).code).toBe('too_many_lines');
  });

  it('bounds the total size of one reply', () => {
    const parser = new ReplyParser({ maxReplyBytes: 100, maxLines: 1000 });
    expect(protocolError(() => parser.push(bytes(`250-${'y'.repeat(40)}\r\n`.repeat(3)))).code).toBe(
      'reply_too_large',
    );
  });

  it('forgets buffered bytes on reset', () => {
    const parser = new ReplyParser();
    parser.push(bytes('250-half a rep'));
    parser.reset();
    expect(parser.bufferedBytes).toBe(0);
    expect(parser.push(bytes('220 fresh\r\n'))[0]?.lines).toEqual(['220 fresh']);
  });

  it('decodes UTF-8 split across chunks', () => {
    const parser = new ReplyParser();
    const data = bytes('550 5.1.1 <jörg@exämple.test> unknown\r\n');
    const replies = [...parser.push(data.subarray(0, 16)), ...parser.push(data.subarray(16))];
    expect(replies[0]?.text).toBe('<jörg@exämple.test> unknown');
  });
});

describe('parseReply', () => {
  it('reads one reply held as text, with or without its line ending, single- or multi-line', () => {
    expect(parseReply('550 5.1.1 <a@example.com>: User unknown')).toEqual({
      code: 550,
      enhancedCode: '5.1.1',
      text: '<a@example.com>: User unknown',
      lines: ['550 5.1.1 <a@example.com>: User unknown'],
    });
    expect(parseReply('550-5.1.1 The email account\n550 5.1.1 does not exist.\n')).toMatchObject({
      code: 550,
      enhancedCode: '5.1.1',
      text: 'The email account does not exist.',
    });
    expect(parseReply('571 Delivery not authorized\r\n').code).toBe(571);
  });

  it('refuses text that is not exactly one complete reply', () => {
    for (const text of ['', 'User unknown', '550-5.1.1 only a continuation', '250 a\r\n250 b\r\n']) {
      expect(() => parseReply(text), JSON.stringify(text)).toThrow(SmtpProtocolError);
    }
  });
});
