import { UnsafeCommandError } from './errors.js';

/** RFC 5321 §4.5.3.1.4 allows 512 octets; SMTPUTF8 addresses may be longer, so be generous but bounded. */
export const MAX_COMMAND_LENGTH = 2048;

// Any C0 control byte (CR, LF and NUL included) or DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control bytes is the point
const CONTROL_BYTE = /[\u0000-\u001f\u007f]/;

/**
 * Throws {@link UnsafeCommandError} unless `line` is one harmless command line: no CR, LF, NUL or other
 * control byte can ever reach the server, whatever a caller passes in.
 */
export function assertSafeCommandLine(line: string): void {
  if (CONTROL_BYTE.test(line)) {
    throw new UnsafeCommandError(
      `refusing to send a command containing a control byte: ${JSON.stringify(line)}`,
    );
  }
  if (line.length === 0 || line.length > MAX_COMMAND_LENGTH) {
    throw new UnsafeCommandError(`refusing to send a command of ${line.length} characters`);
  }
}

/** `line` checked by {@link assertSafeCommandLine}, encoded with its CRLF, ready for the socket. */
export function encodeCommands(lines: readonly string[]): Buffer {
  let text = '';
  for (const line of lines) {
    assertSafeCommandLine(line);
    text += `${line}\r\n`;
  }
  return Buffer.from(text, 'utf8');
}

export const commands = {
  ehlo: (heloName: string) => `EHLO ${heloName}`,
  helo: (heloName: string) => `HELO ${heloName}`,
  starttls: () => 'STARTTLS',
  mailFrom: (sender: string, smtputf8: boolean) => `MAIL FROM:<${sender}>${smtputf8 ? ' SMTPUTF8' : ''}`,
  rcptTo: (recipient: string) => `RCPT TO:<${recipient}>`,
  rset: () => 'RSET',
  quit: () => 'QUIT',
} as const;
