import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify.js';
import { SmtpProtocolError } from './errors.js';
import { parseQuotedReply } from './quoted-reply.js';

const read = (quoted: string) => {
  const { code, enhancedCode, text, lines } = parseQuotedReply(quoted);
  return { code, enhancedCode, text, lines: lines.length };
};

describe('parseQuotedReply', () => {
  it('reads a whole reply as parseReply does, its lines separated by LF or CRLF, a final newline or not', () => {
    const gmail =
      "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser x - gsmtp";
    const expected = { code: 550, enhancedCode: '5.1.1', lines: 3 };
    expect(read(gmail)).toMatchObject(expected);
    expect(read(`${gmail.replace(/\n/g, '\r\n')}\r\n`)).toMatchObject(expected);
    expect(read(`${gmail}\n`)).toEqual(read(gmail));
  });

  it("reads a bounce's lines written with a space after every code as one reply", () => {
    expect(
      read('550 5.1.1 <x@example.com>... User unknown\n550 5.1.1 Please check the address'),
    ).toMatchObject({
      code: 550,
      lines: 2,
    });
  });

  it.each([
    ['a DSN diagnostic', 'smtp; 550 5.1.1 <x@example.com>: Recipient address rejected: User unknown'],
    [
      "Postfix's bounce",
      'host mx.example.com[192.0.2.1] said: 550 5.1.1 <x@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
    ],
    [
      "Exim's bounce",
      'SMTP error from remote mail server after RCPT TO:<x@example.com>: 550 5.1.1 <x@example.com>: Recipient address rejected: User unknown',
    ],
    [
      "Exchange's NDR",
      "Remote Server returned '550 5.1.1 <x@example.com>: Recipient address rejected: User unknown'",
    ],
  ])('reads the reply inside %s from its code', (_frame, quoted) => {
    const reply = parseQuotedReply(quoted);
    expect(reply.code).toBe(550);
    expect(reply.enhancedCode).toBe('5.1.1');
    expect(reply.text.startsWith('<x@example.com>: Recipient address rejected: User unknown')).toBe(true);
    // The quote's closing mark is the quote's, not the server's.
    expect(reply.text.endsWith("'")).toBe(false);
    expect(classifyReply('rcpt', reply).status).toBe('INVALID');
  });

  it('gives a diagnostic without a reply code the class of its enhanced code, else 550', () => {
    expect(read('5.1.1 <x@example.com>: Recipient address rejected: User unknown')).toMatchObject({
      code: 550,
      enhancedCode: '5.1.1',
    });
    expect(read('4.2.2 The email account that you tried to reach is over quota')).toMatchObject({
      code: 450,
      enhancedCode: '4.2.2',
    });
    expect(read('#5.1.1 Sorry, no mailbox here by that name')).toMatchObject({
      code: 550,
      enhancedCode: '5.1.1',
    });
    expect(read('User unknown')).toMatchObject({ code: 550, text: 'User unknown' });
  });

  it('ends a quote cut after a continuation line at that line', () => {
    expect(
      read('host mx.example.com said: 552-Requested mail action aborted: exceeded storage'),
    ).toMatchObject({
      code: 552,
      lines: 1,
      text: 'Requested mail action aborted: exceeded storage',
    });
  });

  it("reads a transcript's last reply: the answer to the last command", () => {
    expect(read('250 2.1.0 Ok\n550 5.1.1 User unknown')).toMatchObject({
      code: 550,
      text: 'User unknown',
    });
  });

  it('reads REJECT as 554 5.7.1 and every DEFER as 450 4.7.1, never a permanent deferral', () => {
    expect(read('REJECT limit of 200 recipients exceeded')).toMatchObject({
      code: 554,
      enhancedCode: '5.7.1',
    });
    expect(read('DEFER_IF_PERMIT maintenance time')).toMatchObject({ code: 450, enhancedCode: '4.7.1' });
    expect(parseQuotedReply('REJECT who is that?')).toMatchObject({ code: 554, enhancedCode: '5.7.1' });
    expect(parseQuotedReply('DEFER_IF_PERMIT User unknown')).toMatchObject({
      code: 450,
      enhancedCode: '4.7.1',
    });
    expect(classifyReply('rcpt', parseQuotedReply('DEFER_IF_PERMIT User unknown')).status).toBe('UNKNOWN');
    // a word that only starts like an action is the server's text
    expect(parseQuotedReply('REJECTED by policy').code).toBe(550);
  });

  it("reads a reply quoted inside a bounce's own text from its first code, the quote's closing mark left out", () => {
    // Exchange's NDR (dev #2256): the reply in quotes
    expect(
      parseQuotedReply("Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found'"),
    ).toMatchObject({ code: 550, enhancedCode: '5.1.10', text: 'RESOLVER.ADR.RecipientNotFound; not found' });
    // the first code is the reply's: a 451 that quotes a 550 is temporary, not proof
    const deferred = parseQuotedReply("Remote Server returned '451 4.0.0 550 No such user here'");
    expect(deferred).toMatchObject({ code: 451, enhancedCode: '4.0.0' });
    expect(classifyReply('rcpt', deferred).status).toBe('UNKNOWN');
    expect(
      parseQuotedReply('<x@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown'),
    ).toMatchObject({
      code: 550,
      text: 'User unknown',
    });
  });

  it('reads a quote taken from a quoted-printable bounce body unread as the text it encodes', () => {
    // a soft break inside a word, and every space written =20
    expect(
      parseQuotedReply('550 Recipient address rejected: User unk=\nnown in virtual mailbox table'),
    ).toMatchObject({
      code: 550,
      text: 'Recipient address rejected: User unknown in virtual mailbox table',
    });
    expect(parseQuotedReply('550=205.1.1=20User=20unknown')).toMatchObject({
      code: 550,
      enhancedCode: '5.1.1',
      text: 'User unknown',
    });
    // bytes of a UTF-8 character, beside a soft break
    expect(parseQuotedReply('550 5.1.1 Mailbox=\n does not exist =E2=80=94 sorry').text).toBe(
      'Mailbox does not exist \u2014 sorry',
    );
    // a reply's own "=XX" words are left as they are without a soft break
    expect(parseQuotedReply('550 5.1.1 User unknown id=AB12').text).toBe('User unknown id=AB12');
    expect(parseQuotedReply('550 5.7.1 id=3D20 blocked').text).toBe('id=3D20 blocked');
    // a literal "%" beside a soft break is the server's own: only "=XX" escapes are bytes
    expect(parseQuotedReply('550 5.2.2 Mailbox 100%41 full, quo=\nta exceeded').text).toBe(
      'Mailbox 100%41 full, quota exceeded',
    );
  });

  it('throws as parseReply does on what no server could send', () => {
    expect(() => parseQuotedReply(`550 ${'x'.repeat(5000)}`)).toThrow(SmtpProtocolError);
  });
});
