import { describe, expect, it } from 'vitest';
import { parseCapabilities } from './capabilities.js';
import { assertSafeCommandLine, commands, encodeCommands, MAX_COMMAND_LENGTH } from './command.js';
import { UnsafeCommandError } from './errors.js';
import { ReplyParser } from './reply-parser.js';
import { MAX_TRANSCRIPT_LINES, Transcript } from './transcript.js';

describe('assertSafeCommandLine', () => {
  it.each([
    'RCPT TO:<a@example.test>\r\nDATA',
    'RCPT TO:<a@example.test>\nDATA',
    'RCPT TO:<a@example.test>\rDATA',
    'RCPT TO:<a\u0000@example.test>',
    'EHLO probe\u001b[2J',
    'MAIL FROM:<a\u007f@example.test>',
    'RCPT TO:<a\t@example.test>',
    '',
    `RCPT TO:<${'a'.repeat(MAX_COMMAND_LENGTH)}@example.test>`,
  ])('refuses %j', (line) => {
    expect(() => assertSafeCommandLine(line)).toThrow(UnsafeCommandError);
  });

  it('lets UTF-8 addresses and quoted local parts through', () => {
    expect(() => assertSafeCommandLine('RCPT TO:<jörg@exämple.test>')).not.toThrow();
    expect(() => assertSafeCommandLine('RCPT TO:<"john doe"@example.test>')).not.toThrow();
  });

  it('encodes a group as CRLF-terminated UTF-8, or nothing at all if any line is unsafe', () => {
    expect(
      encodeCommands([commands.mailFrom('', false), commands.rcptTo('jörg@example.test')]).toString('utf8'),
    ).toBe('MAIL FROM:<>\r\nRCPT TO:<jörg@example.test>\r\n');
    expect(() => encodeCommands(['RSET', 'RCPT TO:<a@b>\r\nDATA'])).toThrow(UnsafeCommandError);
    expect(commands.mailFrom('probe@mailprobe.test', true)).toBe('MAIL FROM:<probe@mailprobe.test> SMTPUTF8');
  });
});

describe('parseCapabilities', () => {
  it('reads the keywords after the first line, case-insensitively', () => {
    const [reply] = new ReplyParser().push(
      Buffer.from(
        '250-mx.example.test Hello\r\n250-size 35882577\r\n250-Pipelining\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n',
      ),
    );
    const capabilities = parseCapabilities(reply as NonNullable<typeof reply>);
    expect(capabilities).toMatchObject({ pipelining: true, smtputf8: true, starttls: true });
    expect(capabilities.keywords.get('SIZE')).toEqual(['35882577']);
  });

  it('does not take the greeting line for a keyword', () => {
    const [reply] = new ReplyParser().push(Buffer.from('250 PIPELINING\r\n'));
    expect(parseCapabilities(reply as NonNullable<typeof reply>).pipelining).toBe(false);
  });
});

describe('Transcript', () => {
  it('keeps a bounded number of truncated lines', () => {
    const transcript = new Transcript();
    for (let index = 0; index < MAX_TRANSCRIPT_LINES + 10; index++)
      transcript.server(`250-${'x'.repeat(1000)}`);
    const lines = transcript.lines();
    expect(lines).toHaveLength(MAX_TRANSCRIPT_LINES + 1);
    expect(lines.at(-1)).toBe('*: … 10 more lines omitted');
    expect((lines[0] as string).length).toBeLessThan(320);
  });
});
